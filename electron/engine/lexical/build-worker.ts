// Inverts one range of a collection's documents into an encoded segment, off the main thread. Reads the documents
// through its own read-only connection; the main thread writes the segment (SQLite has one writer).
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { transferList } from './concat.ts';
import { inverterFor, invertRange, type RangeTask } from './invert-range.ts';
import type { Inverter } from './inverter.ts';

const { file } = workerData as { file: string };
const db = new Database(file, { readonly: true, timeout: 10_000 });

// Kept from one range to the next: a word already analysed is not analysed again.
let inv: Inverter | undefined;

parentPort!.on('message', (task: RangeTask) => {
  try {
    inv = inverterFor(task, inv);
    const range = invertRange(db, inv, task);
    // Transferred, not cloned: the dictionary too is packed into buffers.
    parentPort!.postMessage({ ok: true, range }, transferList(range.seg));
  } catch (e) {
    parentPort!.postMessage({ ok: false, error: (e as Error).stack ?? String(e) });
  }
});
