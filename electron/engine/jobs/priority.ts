import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/**
 * Lowers the scheduling priority of the calling thread (and of the threads it starts later, which inherit it) by
 * `by` nice levels: a long job's threads then yield the cores to the thread that answers searches whenever both
 * want them, which on a laptop's two or four busy cores is what keeps a search from waiting behind a build. Linux
 * gives each thread its own nice value (the thread id, read from /proc/thread-self, names it); elsewhere this does
 * nothing. Returns whether it did something.
 */
export function lowerThreadPriority(by = 10): boolean {
  if (process.platform !== 'linux') return false;
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    setPriority(tid, Math.min(19, getPriority(tid) + by));
    return true;
  } catch {
    // No /proc (a sandbox), or not allowed: the job runs at the engine's priority.
    return false;
  }
}
