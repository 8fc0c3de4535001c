import type Database from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';
import { PontError } from '../errors.ts';
import { ProgressMeter, throwIfCancelled, type JobContext } from '../jobs/progress.ts';
import { getCollection } from '../store/collections.ts';
import type { Workspace } from '../store/workspace.ts';
import { assertRole, loadModel } from '../models/loaded.ts';
import { getPack } from '../models/packs.ts';
import type { Encoded } from '../models/runner.ts';

const withVec = new WeakSet<Database.Database>();

/** sqlite-vec is loaded into a connection the first time dense vectors are touched. */
export function ensureVec(db: Database.Database): void {
  if (withVec.has(db)) return;
  sqliteVec.load(db);
  withVec.add(db);
}

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
}

export const vectorTable = (id: number): string => `dense_vectors_${id}`;

function vectorBytes(e: Encoded): Float32Array {
  if (e.kind !== 'dense') throw new PontError('invalid_input', 'dense indexes need a dense model');
  // Vectors are stored normalised and searched by cosine distance, so every dense model ranks by cosine similarity.
  const v = Float32Array.from(e.vector);
  let n = 0;
  for (const x of v) n += x * x;
  n = Math.sqrt(n) || 1;
  for (let i = 0; i < v.length; i++) v[i]! /= n;
  return v;
}

export function getDenseIndex(db: Database.Database, collection: string, model: string): DenseIndexRow {
  const c = getCollection(db, collection);
  const row = db.prepare('SELECT * FROM dense_indexes WHERE collection_id = ? AND model = ?').get(c.id, model) as DenseIndexRow | undefined;
  if (!row) {
    throw new PontError('not_found', `collection ${collection} has no dense index for model ${model}; build it with: pont dense index --collection ${collection} --model ${model}`, [
      { field: 'model', reason: 'no dense index' },
    ]);
  }
  return row;
}

export interface BuildReport {
  collection: string;
  model: string;
  documents: number;
  encoded: number;
  resumedAfter: number;
  seconds: number;
}

/**
 * Encodes every document of a collection with a dense model into a sqlite-vec table. Each batch's vectors and the
 * checkpoint are committed together, so a crash or a cancel loses at most one batch and the next run resumes; a
 * model re-imported under the same name (another checksum) starts the index over.
 */
export async function buildDenseIndex(ws: Workspace, collection: string, model: string, ctx: JobContext, batch = 256): Promise<BuildReport> {
  const started = performance.now();
  const db = ws.db;
  ensureVec(db);
  const c = getCollection(db, collection);
  const pack = getPack(ws, model).manifest;
  assertRole(model, pack.role, ['dense'], 'a dense index');
  let row = db.prepare('SELECT * FROM dense_indexes WHERE collection_id = ? AND model = ?').get(c.id, model) as DenseIndexRow | undefined;
  if (row && (row.model_checksum !== pack.checksum || row.dimension !== pack.dimension)) {
    db.transaction(() => {
      db.exec(`DROP TABLE IF EXISTS ${vectorTable(row!.id)}`);
      db.prepare('DELETE FROM dense_indexes WHERE id = ?').run(row!.id);
    })();
    row = undefined;
  }
  if (!row) {
    const id = db.transaction(() => {
      const r = db
        .prepare("INSERT INTO dense_indexes (collection_id, model, model_checksum, dimension, state) VALUES (?, ?, ?, ?, 'building')")
        .run(c.id, model, pack.checksum, pack.dimension);
      // A deleted collection's index leaves its vector table behind, and row ids can be reused.
      db.exec(`DROP TABLE IF EXISTS ${vectorTable(Number(r.lastInsertRowid))}`);
      db.exec(`CREATE VIRTUAL TABLE ${vectorTable(Number(r.lastInsertRowid))} USING vec0(embedding float[${pack.dimension}] distance_metric=cosine)`);
      return Number(r.lastInsertRowid);
    })();
    row = db.prepare('SELECT * FROM dense_indexes WHERE id = ?').get(id) as DenseIndexRow;
  }
  const index = row;
  const resumedAfter = index.checkpoint;
  const total = db.prepare('SELECT count(*) FROM documents WHERE collection_id = ?').pluck().get(c.id) as number;
  const next = db.prepare('SELECT id, title, text FROM documents WHERE collection_id = ? AND id > ? ORDER BY id LIMIT ?');
  const insert = db.prepare(`INSERT OR REPLACE INTO ${vectorTable(index.id)} (rowid, embedding) VALUES (?, ?)`);
  const advance = db.prepare("UPDATE dense_indexes SET checkpoint = ?, documents = documents + ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?");
  const m = await loadModel(ws, model);
  const meter = new ProgressMeter(ctx.progress);
  let checkpoint = index.checkpoint;
  let done = index.documents;
  let encoded = 0;
  for (;;) {
    throwIfCancelled(ctx.signal, 'the dense index build');
    const docs = next.all(c.id, checkpoint, batch) as { id: number; title: string | null; text: string }[];
    if (docs.length === 0) break;
    const vectors = await m.encode(docs.map((d) => (d.title ? `${d.title}. ${d.text}` : d.text)), 'passage');
    db.transaction(() => {
      docs.forEach((d, i) => insert.run(BigInt(d.id), vectorBytes(vectors[i]!)));
      advance.run(docs.at(-1)!.id, docs.length, index.id);
    })();
    checkpoint = docs.at(-1)!.id;
    done += docs.length;
    encoded += docs.length;
    meter.update({ phase: 'encoding', done, total, unit: 'documents', ...(m.provider.warning ? { message: m.provider.warning } : {}) });
  }
  db.prepare("UPDATE dense_indexes SET state = 'ready' WHERE id = ?").run(index.id);
  meter.update({ phase: 'done', done, total, unit: 'documents' }, true);
  return { collection, model, documents: done, encoded, resumedAfter, seconds: (performance.now() - started) / 1000 };
}

/** Drops a model's dense indexes (when the model is deleted: its vectors mean nothing without it). */
export function dropDenseIndexes(db: Database.Database, model: string): number {
  const ids = db.prepare('SELECT id FROM dense_indexes WHERE model = ?').pluck().all(model) as number[];
  if (ids.length === 0) return 0;
  ensureVec(db);
  db.transaction(() => {
    for (const id of ids) db.exec(`DROP TABLE IF EXISTS ${vectorTable(id)}`);
    db.prepare('DELETE FROM dense_indexes WHERE model = ?').run(model);
  })();
  return ids.length;
}

/** The k nearest documents to each query vector, by cosine similarity (1 − cosine distance). */
export function searchDense(db: Database.Database, index: DenseIndexRow, query: Encoded, k: number): { docId: number; score: number }[] {
  ensureVec(db);
  const rows = db
    .prepare(`SELECT rowid, distance FROM ${vectorTable(index.id)} WHERE embedding MATCH ? AND k = ? ORDER BY distance`)
    .all(vectorBytes(query), k) as { rowid: number | bigint; distance: number }[];
  return rows.map((r) => ({ docId: Number(r.rowid), score: 1 - r.distance }));
}
