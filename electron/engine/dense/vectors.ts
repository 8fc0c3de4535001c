import type Database from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';
import { PontError } from '../errors.ts';
import { getCollection } from '../store/collections.ts';

/**
 * Where a dense index's float vectors live: a sqlite-vec `vec0` table per index (exact search, and the source of
 * truth the ANN graph is built from and rescores with). Every write and removal also marks the document pending for
 * the index's graph, when it has one, in the same transaction.
 */
export interface DenseIndexRow {
  id: number;
  collection_id: number;
  model: string;
  model_checksum: string;
  dimension: number;
  checkpoint: number;
  documents: number;
  state: 'building' | 'ready';
  updated_at: string;
  change_cursor: number;
}

const withVec = new WeakSet<Database.Database>();

/** sqlite-vec is loaded into a connection the first time dense vectors are touched. */
export function ensureVec(db: Database.Database): void {
  if (withVec.has(db)) return;
  sqliteVec.load(db);
  withVec.add(db);
}

export const vectorTable = (id: number): string => `dense_vectors_${id}`;

/** The checksum of an index whose vectors came from a file while the model pack was not in the workspace. */
export const IMPORTED = 'imported';

export function getDenseIndex(db: Database.Database, collection: string, model: string): DenseIndexRow {
  const c = getCollection(db, collection);
  const row = db.prepare('SELECT * FROM dense_indexes WHERE collection_id = ? AND model = ?').get(c.id, model) as DenseIndexRow | undefined;
  if (!row) {
    throw new PontError('not_found', 'dense.missing', { collection, model }, [
      { field: 'model', reason: 'no dense index' },
    ]);
  }
  ensureVec(db);
  return row;
}

/** A new, empty index; it starts after every document change logged so far, since it will encode the documents as they are now. */
export function createDenseIndex(db: Database.Database, collectionId: number, model: string, checksum: string, dimension: number): DenseIndexRow {
  ensureVec(db);
  const id = db.transaction(() => {
    const r = db
      .prepare(
        `INSERT INTO dense_indexes (collection_id, model, model_checksum, dimension, state, change_cursor)
         VALUES (?, ?, ?, ?, 'building', (SELECT coalesce(max(id), 0) FROM dense_changes))`,
      )
      .run(collectionId, model, checksum, dimension);
    const id = Number(r.lastInsertRowid);
    // A deleted collection's index leaves its vector table behind, and row ids can be reused.
    db.exec(`DROP TABLE IF EXISTS ${vectorTable(id)}`);
    db.exec(`CREATE VIRTUAL TABLE ${vectorTable(id)} USING vec0(embedding float[${dimension}] distance_metric=cosine)`);
    return id;
  })();
  return db.prepare('SELECT * FROM dense_indexes WHERE id = ?').get(id) as DenseIndexRow;
}

export function dropDenseIndex(db: Database.Database, id: number): void {
  ensureVec(db);
  db.transaction(() => {
    db.exec(`DROP TABLE IF EXISTS ${vectorTable(id)}`);
    db.prepare('DELETE FROM dense_indexes WHERE id = ?').run(id);
  })();
}

/** Call inside a transaction. The vector is stored as given: callers normalise. */
export function writeVector(db: Database.Database, index: DenseIndexRow, docId: number, vector: Float32Array): void {
  db.prepare(`DELETE FROM ${vectorTable(index.id)} WHERE rowid = ?`).run(BigInt(docId));
  db.prepare(`INSERT INTO ${vectorTable(index.id)} (rowid, embedding) VALUES (?, ?)`).run(BigInt(docId), vector);
  markPending(db, index.id, docId, vector);
}

/** Call inside a transaction; true when there was a vector to remove. */
export function removeVector(db: Database.Database, index: DenseIndexRow, docId: number): boolean {
  const removed = db.prepare(`DELETE FROM ${vectorTable(index.id)} WHERE rowid = ?`).run(BigInt(docId)).changes > 0;
  if (removed) markPending(db, index.id, docId, undefined);
  return removed;
}

/** For an index with a graph: the vector's row beside the graph, and the document pending for it. */
function markPending(db: Database.Database, indexId: number, docId: number, vector: Float32Array | undefined): void {
  if (!db.prepare('SELECT 1 FROM dense_ann WHERE index_id = ?').get(indexId)) return;
  db.prepare('INSERT OR IGNORE INTO dense_ann_pending (index_id, doc_id) VALUES (?, ?)').run(indexId, docId);
  if (vector) db.prepare('INSERT OR REPLACE INTO dense_ann_vectors (index_id, doc_id, vector) VALUES (?, ?, ?)').run(indexId, docId, vector);
  else db.prepare('DELETE FROM dense_ann_vectors WHERE index_id = ? AND doc_id = ?').run(indexId, docId);
}

const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** A statement prepared once per connection: a graph search runs a few per query, and preparing one costs more than running it. */
export function cachedStatement(db: Database.Database, sql: string): Database.Statement {
  let m = statements.get(db);
  if (!m) statements.set(db, (m = new Map()));
  let st = m.get(sql);
  if (!st) m.set(sql, (st = db.prepare(sql)));
  return st;
}

/** A vector as the graph of its index has it: one row read, where sqlite-vec reads a chunk of 1,024. */
export function readAnnVector(db: Database.Database, indexId: number, docId: number): Float32Array | undefined {
  const b = cachedStatement(db, 'SELECT vector FROM dense_ann_vectors WHERE index_id = ? AND doc_id = ?').pluck().get(indexId, docId) as Uint8Array | undefined;
  return b ? floats(b) : undefined;
}

/** The vectors of several documents beside the graph, in one statement (rescoring a search's candidates); absent ones are left out. */
export function readAnnVectors(db: Database.Database, indexId: number, docIds: readonly number[]): Map<number, Float32Array> {
  const rows = cachedStatement(db, 'SELECT doc_id, vector FROM dense_ann_vectors WHERE index_id = ? AND doc_id IN (SELECT value FROM json_each(?))')
    .raw()
    .all(indexId, JSON.stringify(docIds)) as [number, Uint8Array][];
  return new Map(rows.map(([id, b]) => [id, floats(b)]));
}

/**
 * sqlite-vec's own exact k-nearest scan, one query at a time: the baseline the benchmark measures Pont's scan
 * against, and the reference its property test holds the scan to.
 */
export function sqliteVecScan(db: Database.Database, index: DenseIndexRow, query: Float32Array, k: number): { docId: number; score: number }[] {
  ensureVec(db);
  const rows = db
    .prepare(`SELECT rowid, distance FROM ${vectorTable(index.id)} WHERE embedding MATCH ? AND k = ? ORDER BY distance`)
    .all(query, k) as { rowid: number | bigint; distance: number }[];
  return rows.map((r) => ({ docId: Number(r.rowid), score: 1 - r.distance }));
}

/**
 * Every vector, a block of `batch` at a time, in one pass over the table in its storage order: the document ids and
 * the vectors row-major in one array (a block is copied once out of SQLite's rows, not one array per vector). For
 * scans and statistics, which do not depend on the order; no other statement may run on the connection meanwhile.
 */
export function* vectorBlocks(db: Database.Database, index: DenseIndexRow, batch = 4096): Generator<{ ids: number[]; matrix: Float32Array }> {
  const rows = db.prepare(`SELECT rowid, embedding FROM ${vectorTable(index.id)}`).raw().iterate() as Iterable<[number | bigint, Uint8Array]>;
  let block: [number | bigint, Uint8Array][] = [];
  for (const row of rows) {
    block.push(row);
    if (block.length === batch) {
      yield toBlock(block, index.dimension);
      block = [];
    }
  }
  if (block.length > 0) yield toBlock(block, index.dimension);
}

function toBlock(rows: [number | bigint, Uint8Array][], d: number): { ids: number[]; matrix: Float32Array } {
  const matrix = new Float32Array(rows.length * d);
  const bytes = new Uint8Array(matrix.buffer);
  rows.forEach(([, embedding], i) => bytes.set(embedding, i * d * 4));
  return { ids: rows.map(([rowid]) => Number(rowid)), matrix };
}

/**
 * Every vector in document order (exports). A page at a time: vec0 cannot seek by rowid, so each page scans and
 * sorts the table; use `vectorBlocks` wherever the order does not matter.
 */
export function* iterateVectors(db: Database.Database, index: DenseIndexRow, batch = 1024): Generator<{ docId: number; vector: Float32Array }> {
  const page = db.prepare(`SELECT rowid, embedding FROM ${vectorTable(index.id)} WHERE rowid > ? ORDER BY rowid LIMIT ?`).raw();
  const d = index.dimension;
  for (let after = 0; ; ) {
    const rows = page.all(BigInt(after), batch) as [number | bigint, Uint8Array][];
    if (rows.length === 0) return;
    const { ids, matrix } = toBlock(rows, d);
    for (let i = 0; i < ids.length; i++) yield { docId: ids[i]!, vector: matrix.slice(i * d, (i + 1) * d) };
    after = ids.at(-1)!;
  }
}

/** Up to `limit` vectors, row-major, for statistics such as quantisation scales. */
export function readVectorSample(db: Database.Database, index: DenseIndexRow, limit: number): Float32Array {
  const blocks: Float32Array[] = [];
  let rows = 0;
  for (const { ids, matrix } of vectorBlocks(db, index)) {
    const take = Math.min(ids.length, limit - rows);
    blocks.push(matrix.subarray(0, take * index.dimension));
    rows += take;
    if (rows >= limit) break;
  }
  const m = new Float32Array(rows * index.dimension);
  let o = 0;
  for (const b of blocks) {
    m.set(b, o);
    o += b.length;
  }
  return m;
}

function floats(b: Uint8Array): Float32Array {
  // A blob of its own is aligned and viewed in place; one carved from a shared pool is copied.
  return b.byteOffset % 4 === 0 ? new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4) : new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}
