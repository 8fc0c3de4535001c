import type Database from 'better-sqlite3';
import { parseAnalyzer } from '../analysis/analyzer.ts';
import { Inverter, type CountedRange, type DocInput } from './inverter.ts';

/**
 * A collection's documents after an id, read in id order along the table itself. With `collection_id = ?` SQLite
 * takes the (collection_id, ext_id) index and sorts every document of the collection, text included, in a temporary
 * B-tree before the first row comes out (2.0 against 0.8 CPU s for 1M passages, and the index build read each range
 * that way); the `+` keeps it off that index. Other collections' documents between the ids are read and skipped, so
 * reading starts just before the collection's first document (see `buildIndex`).
 */
export const IN_ID_ORDER = '+collection_id = ? AND id > ?';

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
  /** Bytes of vocabulary (words analysed, terms numbered) an inverter kept from earlier ranges may bring (`Inverter.trim`). */
  vocabularyBytes?: number;
}

/**
 * A range as counted (`RangeEncoder` encodes it); `upto` is the last document in it: `to`, or less when the range
 * stopped at its memory.
 */
export interface InvertedRange {
  range: CountedRange;
  upto: number;
}

/** How often (in documents) the thread's memory is measured. */
const MEASURE_EVERY = 1024;
const MIN_POSTING_SHARE = 1 / 8;

/**
 * The inverter for a task: `last` when it analyses the same way (its vocabulary, already analysed, is kept from one
 * range to the next, within the task's bound), else a new one.
 */
export function inverterFor(task: RangeTask, last?: Inverter): Inverter {
  const inv = last?.suits(task.analyzer, task.titleWeight) ? last : new Inverter(parseAnalyzer(task.analyzer), task.titleWeight);
  if (task.vocabularyBytes !== undefined) inv.trim(task.vocabularyBytes);
  inv.reserve(task.postings ?? 0);
  return inv;
}

/**
 * Counts the range, or the start of it that fits in `memoryBytes`, with `inv` (see `inverterFor`): the thread's
 * heap is measured as it is (the vocabulary's strings, the analyser's memo, garbage not yet collected), not
 * estimated before the range starts, and the range ends once the heap, the inverter's arrays and what encoding them
 * will take exceed the share. The heap counts as the process holds it, young generation included: a worker's was
 * 56 MB when 34 MB of it was in use.
 */
export function invertRange(db: Database.Database, inv: Inverter, task: RangeTask): InvertedRange {
  const rows = db
    .prepare(`SELECT id, title, text FROM documents WHERE ${IN_ID_ORDER} AND id <= ? ORDER BY id`)
    .iterate(task.collectionId, task.from, task.to) as IterableIterator<DocInput>;
  for (const doc of rows) {
    inv.add(doc);
    // A range holds postings worth at least MIN_POSTING_SHARE of the share whatever the heap: the vocabulary, kept
    // from one range to the next, and garbage not yet collected would otherwise end ranges after a few documents.
    if (
      task.memoryBytes &&
      inv.docs % MEASURE_EVERY === 0 &&
      inv.postingBytes() > task.memoryBytes * MIN_POSTING_SHARE &&
      process.memoryUsage().heapTotal + inv.peakBytes() > task.memoryBytes
    ) {
      rows.return?.();
      return { range: inv.take(), upto: doc.id };
    }
  }
  return { range: inv.take(), upto: task.to };
}
