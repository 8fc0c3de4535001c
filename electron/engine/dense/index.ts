import type Database from 'better-sqlite3';
import { PontError } from '../errors.ts';
import { ProgressMeter, throwIfCancelled, type JobContext } from '../jobs/progress.ts';
import { getCollection } from '../store/collections.ts';
import { readSnapshot } from '../store/snapshot.ts';
import type { Workspace } from '../store/workspace.ts';
import { assertRole, loadModel } from '../models/loaded.ts';
import type { WorkerModel } from '../models/worker-model.ts';
import { getPack } from '../models/packs.ts';
import type { Encoded } from '../models/runner.ts';
import { annOf, createAnn, defaultAnnSearch, dropAnn, searchAnn, syncAnn, type AnnSearchOptions } from './ann.ts';
import { unit } from './quantise.ts';
import { scanDense, type DenseHit } from './scan.ts';
import { IMPORTED, createDenseIndex, dropDenseIndex, ensureVec, removeVector, writeVector, type DenseIndexRow } from './vectors.ts';

/** From this many documents up, `dense index` builds an HNSW graph by default: below, an exact scan answers in milliseconds. */
export const ANN_FROM_DOCUMENTS = 20_000;

export type AnnChoice = 'auto' | 'hnsw' | 'none';

export interface BuildReport {
  collection: string;
  model: string;
  documents: number;
  encoded: number;
  resumedAfter: number;
  /** Documents changed or deleted since the last run: re-encoded, or their vectors removed. */
  updated: number;
  removed: number;
  /** The approximate index after this run, and the vectors it took in now. */
  ann: { kind: 'hnsw-int8'; nodes: number; inserted: number } | null;
  seconds: number;
}

function vectorOf(e: Encoded): Float32Array {
  if (e.kind !== 'dense') throw new PontError('invalid_input', 'dense.needs_dense_model');
  // Vectors are stored normalised and searched by cosine distance, so every dense model ranks by cosine similarity.
  return unit(e.vector);
}

const passageText = (d: { title: string | null; text: string }): string => (d.title ? `${d.title}. ${d.text}` : d.text);

/**
 * Encodes every document of a collection with a dense model into a sqlite-vec table, then brings its HNSW graph up
 * to date. Each batch's vectors and the checkpoint are committed together, so a crash or a cancel loses at most one
 * batch and the next run resumes; documents changed or deleted since the last run are re-encoded or removed first;
 * a model re-imported under the same name (another checksum) starts the index over.
 */
export async function buildDenseIndex(ws: Workspace, collection: string, model: string, ctx: JobContext, batch = 256, ann: AnnChoice = 'auto'): Promise<BuildReport> {
  const started = performance.now();
  const db = ws.db;
  ensureVec(db);
  const c = getCollection(db, collection);
  const pack = getPack(ws, model).manifest;
  assertRole(model, pack.role, ['dense'], 'a dense index');
  let row = db.prepare('SELECT * FROM dense_indexes WHERE collection_id = ? AND model = ?').get(c.id, model) as DenseIndexRow | undefined;
  if (row && row.model_checksum === IMPORTED && row.dimension === pack.dimension) {
    // Vectors imported before their model pack was: they are that model's, and are kept.
    db.prepare('UPDATE dense_indexes SET model_checksum = ? WHERE id = ?').run(pack.checksum, row.id);
    row = { ...row, model_checksum: pack.checksum };
  }
  if (row && (row.model_checksum !== pack.checksum || row.dimension !== pack.dimension)) {
    dropDenseIndex(db, row.id);
    row = undefined;
  }
  const index = row ?? createDenseIndex(db, c.id, model, pack.checksum, pack.dimension!);
  const resumedAfter = index.checkpoint;
  const m = await loadModel(ws, model);
  const { updated, removed } = await applyDenseChanges(db, index, m, ctx, batch);
  const total = db.prepare('SELECT count(*) FROM documents WHERE collection_id = ?').pluck().get(c.id) as number;
  const next = db.prepare('SELECT id, title, text FROM documents WHERE collection_id = ? AND id > ? ORDER BY id LIMIT ?');
  const advance = db.prepare("UPDATE dense_indexes SET checkpoint = ?, documents = documents + ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?");
  const meter = new ProgressMeter(ctx.progress);
  let checkpoint = index.checkpoint;
  let done = (db.prepare('SELECT documents FROM dense_indexes WHERE id = ?').pluck().get(index.id) as number);
  let encoded = 0;
  for (;;) {
    throwIfCancelled(ctx.signal, 'the dense index build');
    const docs = next.all(c.id, checkpoint, batch) as { id: number; title: string | null; text: string }[];
    if (docs.length === 0) break;
    const vectors = await m.encode(docs.map(passageText), 'passage');
    db.transaction(() => {
      docs.forEach((d, i) => writeVector(db, index, d.id, vectorOf(vectors[i]!)));
      advance.run(docs.at(-1)!.id, docs.length, index.id);
    })();
    checkpoint = docs.at(-1)!.id;
    done += docs.length;
    encoded += docs.length;
    meter.update({ phase: 'encoding', done, total, unit: 'documents', ...(m.provider.warning ? { message: m.provider.warning } : {}) });
  }
  db.prepare("UPDATE dense_indexes SET state = 'ready' WHERE id = ?").run(index.id);
  const graph = maintainAnn(db, index, done, ann, ctx);
  meter.update({ phase: 'done', done, total, unit: 'documents' }, true);
  return { collection, model, documents: done, encoded, resumedAfter, updated, removed, ann: graph, seconds: (performance.now() - started) / 1000 };
}

/** Creates, drops or catches up the index's graph, as asked. */
export function maintainAnn(db: Database.Database, index: DenseIndexRow, documents: number, choice: AnnChoice, ctx: JobContext): BuildReport['ann'] {
  if (choice === 'none') {
    dropAnn(db, index.id);
    return null;
  }
  if (!annOf(db, index.id)) {
    if (choice === 'auto' && documents < ANN_FROM_DOCUMENTS) return null;
    createAnn(db, index);
  }
  const { inserted } = syncAnn(db, index, ctx);
  return { kind: 'hnsw-int8', nodes: annOf(db, index.id)!.nodes, inserted };
}

/**
 * Consumes the documents changed since the index last did: their vectors are removed, and those that still exist
 * and were already encoded are encoded again (documents past the checkpoint are encoded by the main loop). The
 * cursor moves with the last slice, so an interrupted run redoes the changes, which is harmless.
 */
async function applyDenseChanges(db: Database.Database, index: DenseIndexRow, m: WorkerModel, ctx: JobContext, batch: number): Promise<{ updated: number; removed: number }> {
  const last = db.prepare('SELECT max(id) FROM dense_changes WHERE collection_id = ? AND id > ?').pluck().get(index.collection_id, index.change_cursor) as number | null;
  if (last === null) return { updated: 0, removed: 0 };
  const ids = db
    .prepare('SELECT DISTINCT doc_id FROM dense_changes WHERE collection_id = ? AND id > ? AND id <= ? ORDER BY doc_id')
    .pluck()
    .all(index.collection_id, index.change_cursor, last) as number[];
  const get = db.prepare('SELECT id, title, text FROM documents WHERE id = ? AND collection_id = ?');
  let updated = 0;
  let removed = 0;
  for (let i = 0; i < ids.length; i += batch) {
    throwIfCancelled(ctx.signal, 'the dense index update');
    const slice = ids.slice(i, i + batch);
    const docs = slice.flatMap((id) => (id <= index.checkpoint ? [get.get(id, index.collection_id) as { id: number; title: string | null; text: string } | undefined] : [])).filter((d) => d !== undefined);
    const vectors = docs.length > 0 ? await m.encode(docs.map(passageText), 'passage') : [];
    db.transaction(() => {
      const again = new Set(docs.map((d) => d.id));
      let delta = docs.length;
      for (const id of slice) {
        if (!removeVector(db, index, id)) continue;
        delta--;
        if (!again.has(id)) removed++;
      }
      docs.forEach((d, j) => writeVector(db, index, d.id, vectorOf(vectors[j]!)));
      updated += docs.length;
      db.prepare('UPDATE dense_indexes SET documents = documents + ? WHERE id = ?').run(delta, index.id);
      if (i + batch >= ids.length) {
        db.prepare('UPDATE dense_indexes SET change_cursor = ? WHERE id = ?').run(last, index.id);
        db.prepare('DELETE FROM dense_changes WHERE collection_id = ? AND id <= (SELECT min(change_cursor) FROM dense_indexes WHERE collection_id = ?)').run(
          index.collection_id,
          index.collection_id,
        );
      }
    })();
  }
  return { updated, removed };
}

/** Document changes this index has not consumed yet (run `dense index` to consume them). */
export function pendingDenseChanges(db: Database.Database, index: DenseIndexRow): number {
  return db.prepare('SELECT count(DISTINCT doc_id) FROM dense_changes WHERE collection_id = ? AND id > ?').pluck().get(index.collection_id, index.change_cursor) as number;
}

/** Drops a model's dense indexes (when the model is deleted: its vectors mean nothing without it). */
export function dropDenseIndexes(db: Database.Database, model: string): number {
  const ids = db.prepare('SELECT id FROM dense_indexes WHERE model = ?').pluck().all(model) as number[];
  for (const id of ids) {
    dropAnn(db, id);
    dropDenseIndex(db, id);
  }
  return ids.length;
}

export interface DenseSearchOptions extends AnnSearchOptions {
  /** Scan every vector instead of searching the graph. */
  exact: boolean;
}

/**
 * The k nearest documents to each query vector, by cosine similarity: through the HNSW graph with exact rescoring
 * when the index has one, else (and when `exact` is asked) by an exact scan that reads the vectors once for the
 * whole batch. Which of the two serves a collection is chosen by its size when it is indexed (no graph below
 * ANN_FROM_DOCUMENTS documents, as a flat index is the right one for a small set).
 */
export function searchDenseMany(db: Database.Database, index: DenseIndexRow, queries: readonly Encoded[], k: number, o: Partial<DenseSearchOptions> = {}): DenseHit[][] {
  ensureVec(db);
  const vectors = queries.map(vectorOf);
  // One snapshot for the batch: a graph rewritten meanwhile (its build runs on another connection) is read whole.
  return readSnapshot(db, () => {
    if (!o.exact && vectors.length > 0) {
      const options = { ...defaultAnnSearch, ...o };
      const first = searchAnn(db, index, vectors[0]!, k, options);
      if (first) return [first, ...vectors.slice(1).map((q) => searchAnn(db, index, q, k, options) ?? scanDense(db, index, [q], k)[0]!)];
    }
    return scanDense(db, index, vectors, k);
  });
}

/** One query's k nearest documents (searchDenseMany). */
export function searchDense(db: Database.Database, index: DenseIndexRow, query: Encoded, k: number, o: Partial<DenseSearchOptions> = {}): DenseHit[] {
  return searchDenseMany(db, index, [query], k, o)[0]!;
}
