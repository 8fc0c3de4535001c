import Database from 'better-sqlite3';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnCli } from '../cli/run-cli.ts';
import { rng } from './random.ts';

export interface FaultRun {
  /** How many times the job was killed before a run of it finished. */
  kills: number;
  /** How many runs it took in all (kills + the one that finished). */
  runs: number;
  /** The finished run's exit status. */
  code: number | null;
}

/**
 * Runs a CLI job (`pont …args`) in a child process and kills it with SIGKILL at seeded random moments, `kills`
 * times, running the same command again after each kill, then once more to its end. The moments are drawn between
 * `minMs` and `maxMs` after each start, or after `working` first says the job has begun its work (checked every
 * 20 ms: start-up time varies with the machine's load, and a kill that always lands before the work tests
 * nothing): a run that finishes before its moment counts as the end. Whatever a kill leaves, the next run must
 * resume from it; the caller then compares the workspace with a clean run's.
 */
export async function killAndResume(
  args: string[],
  o: { seed: number; kills: number; minMs: number; maxMs: number; working?: () => boolean },
): Promise<FaultRun> {
  const random = rng(o.seed);
  let kills = 0;
  let runs = 0;
  for (;;) {
    runs++;
    const child = spawnCli(args);
    child.stdout.resume();
    child.stderr.resume();
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    if (kills < o.kills) {
      const at = o.minMs + random() * (o.maxMs - o.minMs);
      let over = false;
      void exited.then(() => (over = true));
      if (o.working) while (!over && !o.working()) await sleep(20);
      const outcome = over ? 'exited' : await Promise.race([exited.then(() => 'exited' as const), sleep(at).then(() => 'time' as const)]);
      if (outcome === 'time') {
        child.kill('SIGKILL');
        await exited;
        kills++;
        continue;
      }
    }
    const [code] = await exited;
    return { kills, runs, code };
  }
}

/** `PRAGMA integrity_check` of a workspace's database: 'ok' when SQLite finds nothing wrong. */
export function integrity(ws: string): string {
  const file = join(ws, 'pont.db');
  if (!existsSync(file)) return 'no database';
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('PRAGMA integrity_check').pluck().all() as string[]).join('; ');
  } finally {
    db.close();
  }
}

/** Whether a workspace's database has a row for `sql` (a query on a table that may not exist yet). */
export function exists(ws: string, sql: string): boolean {
  if (!existsSync(join(ws, 'pont.db'))) return false;
  try {
    return query(ws, sql).length > 0;
  } catch {
    return false;
  }
}

/** Runs a query on a workspace's database, read-only. */
export function query<T>(ws: string, sql: string): T[] {
  const db = new Database(join(ws, 'pont.db'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}
