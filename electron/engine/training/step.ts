import { mixSeed, rng, shuffle } from '../random.ts';
import type { BagEncoder, Gradients } from './encoder.ts';
import { infoNce } from './loss.ts';
import type { SparseAdam } from './optimizer.ts';

/**
 * A training set as the trainer holds it: each distinct text once, as its feature ids, and pairs as indexes into
 * the texts (query side `low`, document side `high`), with each pair's hard negatives.
 */
export interface TrainingData {
  texts: Int32Array[];
  low: Int32Array;
  high: Int32Array;
  negatives: Int32Array[];
}

export interface StepSettings {
  batchSize: number;
  /** Hard negatives drawn per query per step from its mined list (they join the in-batch negatives of all). */
  hardNegatives: number;
  temperature: number;
  seed: number;
}

/** The pairs of one epoch in a seeded order: the same seed and epoch give the same order, so resuming is exact. */
export function epochOrder(pairs: number, seed: number, epoch: number): number[] {
  return shuffle(Array.from({ length: pairs }, (_, i) => i), rng(mixSeed(seed, epoch, 1)));
}

export function stepsPerEpoch(pairs: number, batchSize: number): number {
  return Math.ceil(pairs / batchSize);
}

// The order of the epoch in progress, per data set: shuffling every step would cost more than the step on 100k pairs.
const orders = new WeakMap<TrainingData, { seed: number; epoch: number; order: number[] }>();

/** The batch of global step `step` (epochs laid end to end). */
export function batchAt(data: TrainingData, s: StepSettings, step: number): number[] {
  const per = stepsPerEpoch(data.low.length, s.batchSize);
  const epoch = Math.floor(step / per);
  const at = (step % per) * s.batchSize;
  let o = orders.get(data);
  if (!o || o.seed !== s.seed || o.epoch !== epoch) orders.set(data, (o = { seed: s.seed, epoch, order: epochOrder(data.low.length, s.seed, epoch) }));
  return o.order.slice(at, at + s.batchSize);
}

/**
 * The candidate documents of a step, as text indexes: the batch's positives (column i is query i's), then the hard
 * negatives drawn for it. Benchmarks hand the same columns to other trainers.
 */
export function batchColumns(data: TrainingData, batch: readonly number[], s: StepSettings, step: number): number[] {
  const pick = rng(mixSeed(s.seed, step, 2));
  const columns: number[] = batch.map((p) => data.high[p]!);
  for (const p of batch) {
    const negs = data.negatives[p]!;
    if (negs.length === 0) continue;
    // Draw without replacement from the mined list, in a seeded order.
    const take = Math.min(s.hardNegatives, negs.length);
    const chosen = new Set<number>();
    while (chosen.size < take) chosen.add(negs[Math.floor(pick() * negs.length)]!);
    columns.push(...chosen);
  }
  return columns;
}

/** One step's forward and backward pass: its loss, with the gradients left in `g`. */
export function lossAndGradients(encoder: BagEncoder, data: TrainingData, batch: readonly number[], s: StepSettings, step: number, g: Gradients): number {
  const columns = batchColumns(data, batch, s, step);
  // Each distinct text is encoded once; queries and candidates read its row.
  const unique = new Map<number, number>();
  const rowOf = (t: number) => {
    let r = unique.get(t);
    if (r === undefined) unique.set(t, (r = unique.size));
    return r;
  };
  const qRows = batch.map((p) => rowOf(data.low[p]!));
  const cRows = columns.map(rowOf);
  const textIds = [...unique.keys()];
  const texts = textIds.map((t) => data.texts[t]!);
  const f = encoder.forward(texts);
  const dim = encoder.outDim;
  const gather = (rows: number[]) => {
    const out = new Float64Array(rows.length * dim);
    rows.forEach((r, i) => out.set(f.e.subarray(r * dim, (r + 1) * dim), i * dim));
    return out;
  };
  const positive = Int32Array.from(batch, (_, i) => i);
  const result = infoNce({
    queries: gather(qRows),
    candidates: gather(cRows),
    dim,
    rows: batch.length,
    columns: columns.length,
    positive,
    // Localisation catalogues repeat strings: another pair's document identical to mine is not a negative.
    masked: (i, j) => columns[j] === data.high[batch[i]!],
    temperature: s.temperature,
  });
  const ge = new Float64Array(unique.size * dim);
  const scatter = (rows: number[], grad: Float64Array) =>
    rows.forEach((r, i) => {
      for (let k = 0; k < dim; k++) ge[r * dim + k]! += grad[i * dim + k]!;
    });
  scatter(qRows, result.gQueries);
  scatter(cRows, result.gCandidates);
  encoder.backward(texts, f, ge, g);
  return result.loss;
}

/** One optimiser step on the batch of global step `step`; returns the batch's loss. */
export function trainStep(encoder: BagEncoder, opt: SparseAdam, g: Gradients, data: TrainingData, s: StepSettings, step: number): number {
  g.reset();
  const loss = lossAndGradients(encoder, data, batchAt(data, s, step), s, step, g);
  opt.apply(encoder, g);
  return loss;
}
