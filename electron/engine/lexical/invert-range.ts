import type Database from 'better-sqlite3';
import type { Analyzer } from '../analysis/analyzer.ts';
import { Inverter, type DocInput, type EncodedSegment } from './inverter.ts';

/** Documents of a collection with from < id ≤ to, inverted into one segment. */
export interface RangeTask {
  analyzer: string;
  titleWeight: number;
  collectionId: number;
  from: number;
  to: number;
  /** Postings expected in the range (from a sample), reserved up front. */
  postings?: number;
  /** Memory the inverting thread may use (its heap, the inverter's arrays and the encoding's peak), in bytes. */
  memoryBytes?: number;
}

/** A range's segment; `upto` is the last document in it: `to`, or less when the range stopped at its memory. */
export interface InvertedRange {
  seg: EncodedSegment;
  upto: number;
}

/** How often (in documents) the thread's memory is measured. */
const MEASURE_EVERY = 1024;

/**
 * Inverts the range, or the start of it that fits in `memoryBytes`: the thread's heap is measured as it is (the
 * vocabulary's strings, the analyser's memo, garbage not yet collected), not estimated before the range starts,
 * and the range ends once the heap, the inverter's arrays and what encoding them will take exceed the share.
 */
export function invertRange(db: Database.Database, analyzer: Analyzer, task: RangeTask): InvertedRange {
  const inv = new Inverter(analyzer, task.titleWeight, task.postings);
  const rows = db
    .prepare('SELECT id, title, text FROM documents WHERE collection_id = ? AND id > ? AND id <= ? ORDER BY id')
    .iterate(task.collectionId, task.from, task.to) as IterableIterator<DocInput>;
  for (const doc of rows) {
    inv.add(doc);
    if (task.memoryBytes && inv.docs % MEASURE_EVERY === 0 && process.memoryUsage().heapUsed + inv.peakBytes() > task.memoryBytes) {
      rows.return?.();
      return { seg: inv.finish(), upto: doc.id };
    }
  }
  return { seg: inv.finish(), upto: task.to };
}
