import type Database from 'better-sqlite3';
import { ProgressMeter, throwIfCancelled, type JobContext } from '../jobs/progress.ts';
import { writeIfFree } from '../store/snapshot.ts';
import { CHUNK, Hnsw, defaultHnswParams, type HnswParams } from './hnsw.ts';
import { int8Scales } from './quantise.ts';
import { readAnnVector, readVectorSample, vectorTable, type DenseIndexRow } from './vectors.ts';

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
  return db.prepare('SELECT * FROM dense_ann WHERE index_id = ?').get(indexId) as AnnRow | undefined;
}

export function pendingAnn(db: Database.Database, indexId: number): number {
  return db.prepare('SELECT count(*) FROM dense_ann_pending WHERE index_id = ?').pluck().get(indexId) as number;
}

/** Starts a graph over an index: quantisation scales from a sample of its vectors, and every vector pending. */
export function createAnn(db: Database.Database, index: DenseIndexRow, params: HnswParams = defaultHnswParams): void {
  const scales = int8Scales(readVectorSample(db, index, 100_000), index.dimension);
  db.transaction(() => {
    // Generations start from the clock: index ids are reused after a drop, and a cached graph must not pass for a new one.
    db.prepare("INSERT INTO dense_ann (index_id, kind, params, scales, generation) VALUES (?, 'hnsw-int8', ?, ?, ?)").run(
      index.id,
      JSON.stringify(params),
      Buffer.from(scales.buffer),
      Date.now(),
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
  db.prepare('UPDATE dense_ann SET entry = ?, max_level = ?, nodes = ?, deleted = ?, generation = generation + 1 WHERE index_id = ?').run(
    g.entry,
    g.maxLevel,
    g.size,
    g.deletedCount,
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
  let row = annOf(db, index.id);
  if (!row) return undefined;
  const pending = pendingAnn(db, index.id);
  if (pending > ANN_CATCH_UP_ON_SEARCH) return undefined;
  // While another connection writes (the graph's own build), the search uses the graph as it is.
  if (pending > 0 && writeIfFree(db, () => syncAnn(db, index))) row = annOf(db, index.id)!;
  return annCandidates(loadAnn(db, row, index.dimension), query, k, o, (docId) => {
    const v = readAnnVector(db, index.id, docId);
    return v && dot(v, query);
  });
}

/**
 * The graph's best `rescore` candidates (by int8 inner product), rescored exactly, best k first; equal scores by
 * document id. `exact` gives a document's true similarity, or undefined for one whose vector is gone.
 */
export function annCandidates(
  g: Hnsw,
  query: Float32Array,
  k: number,
  o: AnnSearchOptions,
  exact: (docId: number) => number | undefined,
): { docId: number; score: number }[] {
  const found = g.search(query, Math.max(o.ef, k));
  const out: { docId: number; score: number }[] = [];
  for (const node of found.ids.slice(0, Math.max(o.rescore, k))) {
    const docId = g.labels[node]!;
    const score = exact(docId);
    if (score !== undefined) out.push({ docId, score });
  }
  return out.sort((a, b) => b.score - a.score || a.docId - b.docId).slice(0, k);
}

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
