import type Database from 'better-sqlite3';
import { PontError } from '../errors.ts';
import { getCollection } from '../store/collections.ts';
import { release, uint32Bytes } from './codec.ts';
import { forEachJoinedTerm, joinedDocs, memoryCursor } from './concat.ts';
import { termString } from './dictionary.ts';
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

const BLOCK_ROWS = 16;

/**
 * Inserts terms' blocks, up to BLOCK_ROWS rows per statement (a call per row cost a third of the write); the rows of
 * one statement get consecutive ids, as they would one by one. `lo` and `hi` are the first and last block written.
 */
export class BlockWriter {
  private readonly db: Database.Database;
  private readonly stmts: Database.Statement[] = [];
  private readonly rows: Uint8Array[] = [];
  lo: number | null = null;
  hi: number | null = null;

  constructor(db: Database.Database) {
    this.db = db;
  }

  /** Writes a term's `n` blocks, block j being data[bound(j), bound(j + 1)); returns the first one's id. */
  write(data: Uint8Array, bound: (j: number) => number, n: number): number {
    let first: number | null = null;
    for (let b = 0; b < n; b += BLOCK_ROWS) {
      const rows = this.rows;
      rows.length = 0;
      for (let j = b; j < Math.min(n, b + BLOCK_ROWS); j++) rows.push(data.subarray(bound(j), bound(j + 1)));
      const stmt = (this.stmts[rows.length] ??= this.db.prepare(`INSERT INTO lexical_blocks (data) VALUES ${Array(rows.length).fill('(?)').join(', ')}`));
      this.hi = Number(stmt.run(...rows).lastInsertRowid);
      first ??= this.hi - rows.length + 1;
      this.lo ??= first;
    }
    return first!;
  }
}

/**
 * Writes encoded segments of consecutive document ranges (in range order) as one segment, joining them term by term
 * on the way (`forEachJoinedTerm`), so that no joined copy is built in memory; the caller holds the transaction.
 * `cursors` read the segments' terms when they are not in memory (`spill.ts`). Returns the segment id.
 */
export function writeSegment(db: Database.Database, indexId: number, segs: readonly EncodedSegment[], cursors = segs.map(memoryCursor)): number {
  const { docs, docIds, lens, totalLen } = joinedDocs(segs);
  const segId = Number(
    db
      .prepare('INSERT INTO lexical_segments (index_id, docs, total_len, live_docs, live_len, doc_ids, doc_lens) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(indexId, docs, totalLen, docs, totalLen, docIds, uint32Bytes(lens)).lastInsertRowid,
  );
  release(docIds);
  const insTerm = db.prepare('INSERT INTO lexical_terms (segment_id, term, df, skips, first_block, postings) VALUES (?, ?, ?, ?, ?, ?)');
  const blocks = new BlockWriter(db);
  forEachJoinedTerm(cursors, segs.map((s) => s.docs), lens, (term, df, data, bounds) => {
    const nBlocks = bounds.length - 2;
    const skips = data.subarray(bounds[nBlocks]!, bounds[nBlocks + 1]!);
    if (nBlocks === 1) {
      insTerm.run(segId, termString(term), df, skips, null, data.subarray(bounds[0]!, bounds[1]!));
      return;
    }
    insTerm.run(segId, termString(term), df, skips, blocks.write(data, (j) => bounds[j]!, nBlocks), null);
  });
  // The lengths are the write's largest array (10 MB for 2.5M passages): freed now, not left to the collector.
  release(lens);
  db.prepare('UPDATE lexical_segments SET block_lo = ?, block_hi = ? WHERE id = ?').run(blocks.lo, blocks.hi, segId);
  bumpGeneration(db, indexId);
  return segId;
}
