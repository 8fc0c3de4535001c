import type Database from 'better-sqlite3';
import { TopK, type ScoredDoc } from '../lexical/topk.ts';
import { vectorBlocks, type DenseIndexRow } from './vectors.ts';

/** A document id (documents.id) and its cosine similarity to the query. */
export type DenseHit = ScoredDoc;

/**
 * Exact search for a batch of queries by a scan of the index's float vectors: the vector table is read once per
 * batch, a block at a time (memory stays at one block whatever the collection's size), and every query is scored
 * against the block; the best k per query, by cosine (the vectors are unit length), ties by document id. Reading
 * the table is most of a single query's cost, so batching a query set makes the scan cheap; it is what answers
 * collections too small for a graph, and `exact` searches.
 */
export function scanDense(db: Database.Database, index: DenseIndexRow, queries: readonly Float32Array[], k: number, block = 4096): DenseHit[][] {
  const d = index.dimension;
  const heaps = queries.map(() => new TopK(k));
  if (k === 0 || queries.length === 0) return heaps.map(() => []);
  for (const { ids, matrix } of vectorBlocks(db, index, block)) {
    for (let qi = 0; qi < queries.length; qi++) {
      const q = queries[qi]!;
      const heap = heaps[qi]!;
      for (let r = 0, at = 0; r < ids.length; r++, at += d) {
        let s = 0;
        for (let j = 0; j < d; j++) s += matrix[at + j]! * q[j]!;
        if (s >= heap.threshold) heap.offer(ids[r]!, s);
      }
    }
  }
  return heaps.map((h) => h.sorted());
}
