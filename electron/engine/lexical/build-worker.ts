// Counts one range of a collection's documents, off the thread that writes. Reads the documents through its own
// read-only connection; the writing thread encodes the range while this one counts the next, and writes the segment
// (SQLite has one writer).
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { inverterFor, invertRange, type RangeTask } from './invert-range.ts';
import { countedBuffers, type Inverter } from './inverter.ts';

const { file } = workerData as { file: string };
const db = new Database(file, { readonly: true, timeout: 10_000 });

// Kept from one range to the next: a word already analysed is not analysed again.
let inv: Inverter | undefined;

parentPort!.on('message', (task: RangeTask) => {
  try {
    inv = inverterFor(task, inv);
    const range = invertRange(db, inv, task);
    // Transferred, not cloned (but for the range's new terms); the next range gets a new stream (`reserve`).
    parentPort!.postMessage({ ok: true, range }, countedBuffers(range.range));
  } catch (e) {
    parentPort!.postMessage({ ok: false, error: (e as Error).stack ?? String(e) });
  }
});
