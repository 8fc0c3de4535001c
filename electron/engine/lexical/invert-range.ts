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
}

export function invertRange(db: Database.Database, analyzer: Analyzer, task: RangeTask): EncodedSegment {
  const inv = new Inverter(analyzer, task.titleWeight, task.postings);
  const rows = db
    .prepare('SELECT id, title, text FROM documents WHERE collection_id = ? AND id > ? AND id <= ? ORDER BY id')
    .iterate(task.collectionId, task.from, task.to) as IterableIterator<DocInput>;
  for (const doc of rows) inv.add(doc);
  return inv.finish();
}
