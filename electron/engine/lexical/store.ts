import type Database from 'better-sqlite3';
import { PontError } from '../errors.ts';
import { getCollection } from '../store/collections.ts';
import type { EncodedSegment } from './inverter.ts';

export interface IndexRow {
  id: number;
  collection_id: number;
  name: string;
  analyzer: string;
  analyzer_version: number;
  title_weight: number;
  state: 'building' | 'ready';
  built_upto: number;
  change_cursor: number;
  generation: number;
  created_at: string;
  updated_at: string;
}

export function findIndex(db: Database.Database, collectionId: number, name: string): IndexRow | undefined {
  return db.prepare('SELECT * FROM lexical_indexes WHERE collection_id = ? AND name = ?').get(collectionId, name) as IndexRow | undefined;
}

export function listIndexes(db: Database.Database, collectionId?: number): (IndexRow & { collection: string })[] {
  return db
    .prepare(
      `SELECT i.*, c.name AS collection FROM lexical_indexes i JOIN collections c ON c.id = i.collection_id
       WHERE (? IS NULL OR i.collection_id = ?) ORDER BY c.name, i.name`,
    )
    .all(collectionId ?? null, collectionId ?? null) as (IndexRow & { collection: string })[];
}

export function getIndex(db: Database.Database, collection: string, name: string): IndexRow {
  const c = getCollection(db, collection);
  const row = findIndex(db, c.id, name);
  if (!row) {
    const known = listIndexes(db, c.id).map((i) => i.name);
    throw new PontError('not_found', 'index.missing', { collection, name, known: known.length ? `it has: ${known.join(', ')}` : 'it has none yet: pont index build' }, [
      { field: 'index', reason: `"${name}" does not exist` },
    ]);
  }
  return row;
}

export function bumpGeneration(db: Database.Database, indexId: number): void {
  db.prepare("UPDATE lexical_indexes SET generation = generation + 1, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?").run(indexId);
}

/** Writes one encoded segment; the caller holds the transaction. Returns the segment id. */
export function writeSegment(db: Database.Database, indexId: number, seg: EncodedSegment): number {
  const segId = Number(
    db
      .prepare('INSERT INTO lexical_segments (index_id, docs, total_len, live_docs, live_len, doc_ids, doc_lens) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(indexId, seg.docs, seg.totalLen, seg.docs, seg.totalLen, seg.docIds, seg.docLens).lastInsertRowid,
  );
  const insTerm = db.prepare('INSERT INTO lexical_terms (segment_id, term, df, skips, first_block, postings) VALUES (?, ?, ?, ?, ?, ?)');
  const insBlock = db.prepare('INSERT INTO lexical_blocks (data) VALUES (?)');
  let lo: number | null = null;
  let hi: number | null = null;
  const { data, layout, layoutStart } = seg;
  for (let i = 0; i < seg.terms.length; i++) {
    // layout: start of the first block, end of each block, end of the skips.
    const at = layoutStart[i]!;
    const end = i + 1 < seg.terms.length ? layoutStart[i + 1]! : layout.length;
    const nBlocks = end - at - 2;
    const skips = data.subarray(layout[end - 2]!, layout[end - 1]!);
    if (nBlocks === 1) {
      insTerm.run(segId, seg.terms[i]!, seg.dfs[i]!, skips, null, data.subarray(layout[at]!, layout[at + 1]!));
      continue;
    }
    let first: number | null = null;
    for (let b = 0; b < nBlocks; b++) {
      const id = Number(insBlock.run(data.subarray(layout[at + b]!, layout[at + b + 1]!)).lastInsertRowid);
      first ??= id;
      lo ??= id;
      hi = id;
    }
    insTerm.run(segId, seg.terms[i]!, seg.dfs[i]!, skips, first, null);
  }
  db.prepare('UPDATE lexical_segments SET block_lo = ?, block_hi = ? WHERE id = ?').run(lo, hi, segId);
  bumpGeneration(db, indexId);
  return segId;
}
