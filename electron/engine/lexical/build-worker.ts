// Inverts one range of a collection's documents into an encoded segment, off the thread that writes. Reads the
// documents through its own read-only connection; the writing thread writes the segment (SQLite has one writer).
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { inverterFor, invertRange, type RangeTask } from './invert-range.ts';
import { transferList } from './concat.ts';
import { RangeEncoder, type Inverter } from './inverter.ts';

const { file } = workerData as { file: string };
const db = new Database(file, { readonly: true, timeout: 10_000 });

// Kept from one range to the next: a word already analysed is not analysed again.
let inv: Inverter | undefined;
const encoder = new RangeEncoder();

parentPort!.on('message', (task: RangeTask) => {
  try {
    inv = inverterFor(task, inv);
    const { range, upto } = invertRange(db, inv, task);
    const seg = encoder.encode(range);
    // Transferred, not cloned: the dictionary too is packed into buffers.
    parentPort!.postMessage({ ok: true, range: { seg, upto } }, transferList(seg));
  } catch (e) {
    parentPort!.postMessage({ ok: false, error: (e as Error).stack ?? String(e) });
  }
});
