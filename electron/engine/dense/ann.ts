import type Database from 'better-sqlite3';
import { ProgressMeter, throwIfCancelled, type JobContext } from '../jobs/progress.ts';
import { writeIfFree } from '../store/snapshot.ts';
import { CHUNK, Hnsw, defaultHnswParams, type HnswParams } from './hnsw.ts';
import { int8Scales } from './quantise.ts';
import { cachedStatement, readAnnVector, readAnnVectors, readVectorSample, vectorTable, type DenseIndexRow } from './vectors.ts';

/**
 * The approximate index of a dense index: an HNSW graph over int8 codes (hnsw.ts), stored in SQLite in chunks, kept
 * up to date from `dense_ann_pending` (every vector written or removed is logged there), and searched with exact
 * rescoring of its best candidates against the float vectors in the sqlite-vec table.
 */
export interface AnnRow {
  index_id: number;
  kind: 'hnsw-int8';
  params: string;
  scales: Uint8Array;
  entry: number;
  max_level: number;
  nodes: number;
  deleted: number;
  generation: number;
  clamped: Uint8Array | null;
}

export interface AnnSearchOptions {
  /** Candidates explored on the graph's bottom layer (HNSW efSearch). */
  ef: number;
  /** Candidates rescored with the exact float vectors. */
  rescore: number;
}

export const defaultAnnSearch: AnnSearchOptions = { ef: 128, rescore: 64 };

/** A search catches the graph up with at most this many pending vectors itself; beyond, it scans exactly until `dense index` runs. */
export const ANN_CATCH_UP_ON_SEARCH = 2000;

const cache = new WeakMap<Database.Database, Map<number, { generation: number; graph: Hnsw }>>();

export function annOf(db: Database.Database, indexId: number): AnnRow | undefined {
  return cachedStatement(db, 'SELECT * FROM dense_ann WHERE index_id = ?').get(indexId) as AnnRow | undefined;
}

export function pendingAnn(db: Database.Database, indexId: number): number {
  return cachedStatement(db, 'SELECT count(*) FROM dense_ann_pending WHERE index_id = ?').pluck().get(indexId) as number;
}

/** Starts a graph over an index: quantisation scales from a sample of its vectors, and every vector pending. */
export function createAnn(db: Database.Database, index: DenseIndexRow, params: HnswParams = defaultHnswParams): void {
  const scales = int8Scales(readVectorSample(db, index, 100_000), index.dimension);
  db.transaction(() => {
    // Generations start from the clock: index ids are reused after a drop, and a cached graph must not pass for a new one.
    db.prepare("INSERT INTO dense_ann (index_id, kind, params, scales, generation, clamped) VALUES (?, 'hnsw-int8', ?, ?, ?, ?)").run(
      index.id,
      JSON.stringify(params),
      Buffer.from(scales.buffer),
      Date.now(),
      Buffer.from(new Float32Array(index.dimension).buffer),
    );
    db.prepare(`INSERT INTO dense_ann_vectors (index_id, doc_id, vector) SELECT ?, rowid, embedding FROM ${vectorTable(index.id)}`).run(index.id);
    db.prepare('INSERT INTO dense_ann_pending (index_id, doc_id) SELECT index_id, doc_id FROM dense_ann_vectors WHERE index_id = ?').run(index.id);
  })();
}

export function dropAnn(db: Database.Database, indexId: number): boolean {
  cache.get(db)?.delete(indexId);
  return db.prepare('DELETE FROM dense_ann WHERE index_id = ?').run(indexId).changes > 0;
}

export function loadAnn(db: Database.Database, row: AnnRow, dimension: number): Hnsw {
  const cached = cache.get(db)?.get(row.index_id);
  if (cached && cached.generation === row.generation) return cached.graph;
  const scales = new Float32Array(Uint8Array.from(row.scales).buffer);
  const graph = new Hnsw(dimension, scales, JSON.parse(row.params) as HnswParams, Math.max(1024, row.nodes));
  graph.excess = row.clamped ? new Float32Array(Uint8Array.from(row.clamped).buffer) : undefined;
  const chunks = db.prepare('SELECT chunk, codes, graph FROM dense_ann_chunks WHERE index_id = ? ORDER BY chunk').iterate(row.index_id) as Iterable<{
    chunk: number;
    codes: Uint8Array;
    graph: Uint8Array;
  }>;
  for (const c of chunks) graph.loadChunk(c.chunk, c.codes, c.graph);
  graph.entry = row.entry;
  graph.maxLevel = row.max_level;
  graph.dirty.clear();
  remember(db, row.index_id, row.generation, graph);
  return graph;
}

function remember(db: Database.Database, indexId: number, generation: number, graph: Hnsw): void {
  let m = cache.get(db);
  if (!m) cache.set(db, (m = new Map()));
  m.set(indexId, { generation, graph });
}

/** Writes the chunks a slice of changes touched, and the graph's header, bumping its generation. */
function save(db: Database.Database, indexId: number, g: Hnsw): number {
  const grown = Math.floor(g.savedSize / CHUNK);
  const last = Math.ceil(g.size / CHUNK) - 1;
  const full = db.prepare('INSERT OR REPLACE INTO dense_ann_chunks (index_id, chunk, codes, graph) VALUES (?, ?, ?, ?)');
  const links = db.prepare('UPDATE dense_ann_chunks SET graph = ? WHERE index_id = ? AND chunk = ?');
  for (let c = grown; c <= last; c++) full.run(indexId, c, g.chunkCodes(c), g.chunkGraph(c));
  for (const c of g.dirty) if (c < grown) links.run(g.chunkGraph(c), indexId, c);
  g.dirty.clear();
  g.savedSize = g.size;
  db.prepare('UPDATE dense_ann SET entry = ?, max_level = ?, nodes = ?, deleted = ?, clamped = ?, generation = generation + 1 WHERE index_id = ?').run(
    g.entry,
    g.maxLevel,
    g.size,
    g.deletedCount,
    g.excess ? Buffer.from(g.excess.buffer, g.excess.byteOffset, g.excess.byteLength) : null,
    indexId,
  );
  return db.prepare('SELECT generation FROM dense_ann WHERE index_id = ?').pluck().get(indexId) as number;
}

/**
 * Catches the graph up with the vectors written or removed since it last did, in slices: each slice's graph
 * chunks are committed with the removal of its pending rows, so a crash or a cancel loses at most one slice and the
 * next run resumes. A first build takes slices of a tenth of the vectors (each slice rewrites the link chunks it
 * touched, which on a fresh graph is nearly all of them); catching up takes small ones.
 */
export function syncAnn(db: Database.Database, index: DenseIndexRow, ctx?: JobContext): { inserted: number; removed: number } {
  const row = annOf(db, index.id);
  if (!row) return { inserted: 0, removed: 0 };
  const total = pendingAnn(db, index.id);
  if (total === 0) return { inserted: 0, removed: 0 };
  const g = loadAnn(db, row, index.dimension);
  const slice = g.size === 0 ? Math.max(20_000, Math.ceil(total / 10)) : 5000;
  const next = db.prepare('SELECT doc_id FROM dense_ann_pending WHERE index_id = ? ORDER BY doc_id LIMIT ?').pluck();
  const done = db.prepare('DELETE FROM dense_ann_pending WHERE index_id = ? AND doc_id IN (SELECT value FROM json_each(?))');
  const meter = ctx ? new ProgressMeter(ctx.progress) : undefined;
  let inserted = 0;
  let removed = 0;
  g.reserve(g.size + total);
  for (;;) {
    if (ctx) throwIfCancelled(ctx.signal, 'the ANN graph build');
    try {
      // One write transaction per slice: a vector rewritten meanwhile by another connection cannot slip between
      // reading the pending rows and deleting them.
      const more = db.transaction(() => {
        const ids = next.all(index.id, slice) as number[];
        if (ids.length === 0) return false;
        for (const id of ids) {
          const v = readAnnVector(db, index.id, id);
          if (v) {
            g.insert(v, id);
            inserted++;
          } else if (g.remove(id)) removed++;
        }
        done.run(index.id, JSON.stringify(ids));
        remember(db, index.id, save(db, index.id, g), g);
        return true;
      }).immediate();
      if (!more) break;
    } catch (e) {
      // The graph in memory may hold changes that were rolled back.
      cache.get(db)?.delete(index.id);
      throw e;
    }
    meter?.update({ phase: 'graph', done: inserted + removed, total, unit: 'vectors' });
  }
  return { inserted, removed };
}

/** A chunk's graph blob (`Hnsw.chunkGraph`) with every node's label (its document id) moved by `offset`. */
export function shiftChunkLabels(graph: Uint8Array, offset: number): Uint8Array {
  const g = Uint8Array.from(graph); // SQLite's buffers are not aligned for wider views
  const n = new Int32Array(g.buffer, 0, 1)[0]!;
  const labels = new Float64Array(g.buffer, 8, n);
  for (let i = 0; i < n; i++) labels[i]! += offset;
  return g;
}

/**
 * The k nearest documents by cosine, through the graph: its best `rescore` candidates by int8 inner product are
 * rescored with their float vectors. Undefined when the index has no graph, or when more vectors are pending than a
 * search should catch up with (the caller then scans exactly).
 */
export function searchAnn(
  db: Database.Database,
  index: DenseIndexRow,
  query: Float32Array,
  k: number,
  o: AnnSearchOptions = defaultAnnSearch,
): { docId: number; score: number }[] | undefined {
  // The graph's generation and backlog in one small read; its full row (scales and all) only when it is not cached.
  const state = cachedStatement(
    db,
    'SELECT generation, (SELECT count(*) FROM dense_ann_pending WHERE index_id = ?) AS pending FROM dense_ann WHERE index_id = ?',
  ).get(index.id, index.id) as { generation: number; pending: number } | undefined;
  if (!state || state.pending > ANN_CATCH_UP_ON_SEARCH) return undefined;
  // While another connection writes (the graph's own build), the search uses the graph as it is.
  const caughtUp = state.pending > 0 && writeIfFree(db, () => syncAnn(db, index));
  const cached = cache.get(db)?.get(index.id);
  const g = !caughtUp && cached?.generation === state.generation ? cached.graph : loadAnn(db, annOf(db, index.id)!, index.dimension);
  return annCandidates(g, query, k, o, (docIds) => {
    const vectors = readAnnVectors(db, index.id, docIds);
    return docIds.map((id) => {
      const v = vectors.get(id);
      return v && dot(v, query);
    });
  });
}

/**
 * The graph's best candidates (by int8 inner product), rescored exactly, best k first; equal scores by document id.
 * Only candidates that could still reach the top k are rescored: at most `rescore`, and none whose int8 score
 * trails the k-th by more than twice the quantisation error bound (`int8Error`), since its true score cannot
 * overtake the k-th's. `exact` gives the documents' true similarities, in their order (undefined for one whose
 * vector is gone): one call per batch of candidates, so that their vectors are read in one statement.
 */
export function annCandidates(
  g: Hnsw,
  query: Float32Array,
  k: number,
  o: AnnSearchOptions,
  exact: (docIds: readonly number[]) => (number | undefined)[],
): { docId: number; score: number }[] {
  const found = g.search(query, Math.max(o.ef, k));
  const limit = Math.min(found.ids.length, Math.max(o.rescore, k));
  let end = Math.min(k, limit);
  if (!g.excess) end = limit;
  else if (end > 0) {
    const floor = found.sims[end - 1]! - 2 * int8Error(query, g.scales, g.excess);
    while (end < limit && found.sims[end]! >= floor) end++;
  }
  const out: { docId: number; score: number }[] = [];
  // A candidate whose vector is gone (removed, the graph not caught up yet) leaves room for the next ones.
  for (let from = 0; from < limit && out.length < k; ) {
    const docIds = found.ids.slice(from, end).map((node) => g.labels[node]!);
    exact(docIds).forEach((score, i) => {
      if (score !== undefined) out.push({ docId: docIds[i]!, score });
    });
    [from, end] = [end, Math.min(limit, end + k - out.length)];
  }
  return out.sort((a, b) => b.score - a.score || a.docId - b.docId).slice(0, k);
}

/**
 * A bound on how far an int8 similarity can be from the true one for this query. Rounding puts each code at most
 * half a step (s_j/2) off, so its error is a sum of independent uniform terms of variance (q_j·s_j)²/12: six
 * standard deviations (about one in a billion to exceed), or the worst case Σ|q_j|·s_j/2 where that is smaller;
 * clamping adds at most Σ|q_j|·excess_j.
 */
export function int8Error(query: Float32Array, scales: Float32Array, excess: Float32Array): number {
  let variance = 0;
  let worst = 0;
  let clamp = 0;
  for (let j = 0; j < scales.length; j++) {
    const a = Math.abs(query[j]!);
    variance += (a * scales[j]!) ** 2;
    worst += (a * scales[j]!) / 2;
    clamp += a * excess[j]!;
  }
  return Math.min(6 * Math.sqrt(variance / 12), worst) + clamp;
}

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
