import type Database from 'better-sqlite3';
import { PontError } from '../errors.ts';
import { CancelledError, ProgressMeter, throwIfCancelled, type JobContext } from '../jobs/progress.ts';
import { assertRole, loadModel } from '../models/loaded.ts';
import { getPack } from '../models/packs.ts';
import type { Encoded } from '../models/runner.ts';
import { mixSeed, rng, shuffle } from '../random.ts';
import type { Workspace } from '../store/workspace.ts';
import type { PairSource } from './job.ts';
import { infoNce } from './loss.ts';
import './schema.ts';

/**
 * A query-side adapter: a square matrix A applied to a dense model's query vectors (q ↦ A q / ‖A q‖) while the
 * document vectors stay as indexed, so a collection encoded once serves a new variety without re-encoding.
 */
export interface QueryAdapter {
  name: string;
  model: string;
  modelChecksum: string;
  dim: number;
  matrix: Float32Array;
}

export interface AdapterSettings {
  epochs: number;
  batchSize: number;
  lr: number;
  temperature: number;
  seed: number;
}

export const defaultAdapterSettings: AdapterSettings = { epochs: 10, batchSize: 128, lr: 0.002, temperature: 0.02, seed: 42 };

export interface AdapterReport {
  name: string;
  model: string;
  pairs: number;
  epochs: number;
  /** Mean loss per epoch, the identity map's first. */
  losses: number[];
  seconds: number;
}

/** A query's encoding mapped through the adapter and renormalised, in place of the model's own. */
export function adaptQuery(a: QueryAdapter, e: Encoded): Encoded {
  return { kind: 'dense', vector: adaptVector(a, dense(e)) };
}

export function adaptVector(a: QueryAdapter, v: Float32Array): Float32Array {
  if (v.length !== a.dim) throw new PontError('invalid_input', 'adapter.dimension', { adapter: a.name, dim: a.dim, got: v.length }, [{ field: 'adapter', reason: 'dimension' }]);
  const out = new Float32Array(a.dim);
  let s = 0;
  for (let i = 0; i < a.dim; i++) {
    let x = 0;
    for (let j = 0; j < a.dim; j++) x += a.matrix[i * a.dim + j]! * v[j]!;
    out[i] = x;
    s += x * x;
  }
  const n = Math.sqrt(s);
  if (n > 0) for (let i = 0; i < a.dim; i++) out[i]! /= n;
  return out;
}

export function getAdapter(db: Database.Database, name: string): QueryAdapter {
  const row = db.prepare('SELECT name, model, model_checksum, dim, matrix FROM query_adapters WHERE name = ?').get(name) as
    | { name: string; model: string; model_checksum: string; dim: number; matrix: Buffer }
    | undefined;
  if (!row) throw new PontError('not_found', 'adapter.missing', { adapter: name }, [{ field: 'adapter', reason: 'not found' }]);
  const matrix = new Float32Array(row.matrix.buffer.slice(row.matrix.byteOffset, row.matrix.byteOffset + row.matrix.byteLength));
  return { name: row.name, model: row.model, modelChecksum: row.model_checksum, dim: row.dim, matrix };
}

const dense = (e: Encoded): Float32Array => (e as Extract<Encoded, { kind: 'dense' }>).vector;

/**
 * Trains a query-side adapter for a dense model on pairs: the model encodes each pair's low side as a query and its
 * high side as a passage (as the collection was indexed), then A, starting from the identity, is fitted by InfoNCE
 * over in-batch negatives with Adam and hand-written gradients (∂/∂A of A q / ‖A q‖).
 */
export async function trainAdapter(ws: Workspace, req: { name: string; model: string; sources: PairSource[]; settings?: Partial<AdapterSettings> }, ctx: JobContext): Promise<AdapterReport> {
  const started = performance.now();
  const s = { ...defaultAdapterSettings, ...req.settings };
  const { manifest } = getPack(ws, req.model);
  assertRole(req.model, manifest.role, ['dense'], 'a query adapter');
  if (ws.db.prepare('SELECT 1 FROM query_adapters WHERE name = ?').get(req.name)) {
    throw new PontError('conflict', 'adapter.exists', { adapter: req.name }, [{ field: 'name', reason: 'exists' }]);
  }
  const pairs = req.sources.flatMap((src) => [...src.read()]);
  if (pairs.length === 0) throw new PontError('invalid_input', 'training.no_sources', {}, [{ field: 'pairs', reason: 'empty' }]);
  const model = await loadModel(ws, req.model);
  const meter = new ProgressMeter(ctx.progress);
  const encode = async (texts: string[], kind: 'query' | 'passage') => {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += 256) {
      throwIfCancelled(ctx.signal, 'adapter training');
      out.push(...(await model.encode(texts.slice(i, i + 256), kind)).map(dense));
      meter.update({ phase: `encoding ${kind === 'query' ? 'queries' : 'documents'}`, done: Math.min(texts.length, i + 256), total: texts.length, unit: 'texts' });
    }
    return out;
  };
  const q = await encode(pairs.map((p) => p.low), 'query');
  const d = await encode(pairs.map((p) => p.high), 'passage');
  const dim = q[0]!.length;
  const A = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++) A[i * dim + i] = 1;
  const m = new Float64Array(dim * dim);
  const v = new Float64Array(dim * dim);
  let t = 0;
  const losses: number[] = [];
  for (let epoch = 0; epoch < s.epochs; epoch++) {
    const order = shuffle(pairs.map((_, i) => i), rng(mixSeed(s.seed, epoch)));
    let total = 0;
    let steps = 0;
    for (let at = 0; at < order.length; at += s.batchSize) {
      if (ctx.signal.aborted) throw new CancelledError('adapter training');
      const batch = order.slice(at, at + s.batchSize);
      const { loss, grad } = adapterLoss(A, dim, batch.map((i) => q[i]!), batch.map((i) => d[i]!), batch.map((i) => pairs[i]!.high), s.temperature);
      total += loss;
      steps++;
      t++;
      const bc1 = 1 - 0.9 ** t;
      const bc2 = 1 - 0.999 ** t;
      for (let k = 0; k < A.length; k++) {
        m[k] = 0.9 * m[k]! + 0.1 * grad[k]!;
        v[k] = 0.999 * v[k]! + 0.001 * grad[k]! * grad[k]!;
        A[k]! -= (s.lr / bc1) * m[k]! / (Math.sqrt(v[k]! / bc2) + 1e-8);
      }
      meter.update({ phase: `training, epoch ${epoch + 1}/${s.epochs}`, done: at + batch.length, total: order.length, unit: 'pairs', message: `loss ${(total / steps).toFixed(4)}` });
      await new Promise<void>((r) => setImmediate(r));
    }
    losses.push(total / steps);
  }
  const matrix = Float32Array.from(A);
  const record = { pairSets: req.sources.map(({ name, fingerprint, pairs: n }) => ({ name, fingerprint, pairs: n })), settings: s, losses };
  ws.db
    .prepare('INSERT INTO query_adapters (name, model, model_checksum, dim, matrix, record) VALUES (?, ?, ?, ?, ?, ?)')
    .run(req.name, req.model, manifest.checksum, dim, Buffer.from(matrix.buffer), JSON.stringify(record));
  return { name: req.name, model: req.model, pairs: pairs.length, epochs: s.epochs, losses, seconds: (performance.now() - started) / 1000 };
}

/** InfoNCE of adapted queries against the documents of the batch, and its gradient with respect to A. */
export function adapterLoss(A: Float64Array, dim: number, queries: Float32Array[], docs: Float32Array[], docTexts: string[], temperature: number): { loss: number; grad: Float64Array } {
  const rows = queries.length;
  const z = new Float64Array(rows * dim);
  const e = new Float64Array(rows * dim);
  const norms = new Float64Array(rows);
  queries.forEach((qv, r) => {
    let s = 0;
    for (let i = 0; i < dim; i++) {
      let x = 0;
      for (let j = 0; j < dim; j++) x += A[i * dim + j]! * qv[j]!;
      z[r * dim + i] = x;
      s += x * x;
    }
    norms[r] = Math.sqrt(s) || 1;
    for (let i = 0; i < dim; i++) e[r * dim + i] = z[r * dim + i]! / norms[r]!;
  });
  const c = new Float64Array(rows * dim);
  docs.forEach((dv, r) => c.set(dv, r * dim));
  const res = infoNce({
    queries: e,
    candidates: c,
    dim,
    rows,
    columns: rows,
    positive: Int32Array.from(queries, (_, i) => i),
    masked: (i, j) => docTexts[i] === docTexts[j],
    temperature,
  });
  const grad = new Float64Array(dim * dim);
  for (let r = 0; r < rows; r++) {
    let dotEG = 0;
    for (let i = 0; i < dim; i++) dotEG += e[r * dim + i]! * res.gQueries[r * dim + i]!;
    const qv = queries[r]!;
    for (let i = 0; i < dim; i++) {
      const gz = (res.gQueries[r * dim + i]! - e[r * dim + i]! * dotEG) / norms[r]!;
      if (gz === 0) continue;
      for (let j = 0; j < dim; j++) grad[i * dim + j]! += gz * qv[j]!;
    }
  }
  return { loss: res.loss, grad };
}
