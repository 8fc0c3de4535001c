import { describe, expect, it } from 'vitest';
import { rng } from '../../electron/engine/random.ts';
import { BagEncoder, Gradients, type EncoderShape } from '../../electron/engine/training/encoder.ts';
import { lossAndGradients, type StepSettings, type TrainingData } from '../../electron/engine/training/step.ts';

// A tiny problem: random bags over 40 rows, six pairs (two with the same document text), a hard negative each.
function tinyData(seed: number): TrainingData {
  const r = rng(seed);
  const text = () => Int32Array.from({ length: 2 + Math.floor(r() * 6) }, () => 1 + Math.floor(r() * 39));
  const texts = Array.from({ length: 14 }, text);
  return {
    texts,
    low: Int32Array.from([0, 1, 2, 3, 4, 5]),
    high: Int32Array.from([6, 7, 8, 9, 9, 10]),
    negatives: [11, 12, 13, 11, 12, 13].map((n) => Int32Array.of(n, 6)),
  };
}

const settings: StepSettings = { batchSize: 6, hardNegatives: 1, temperature: 0.1, seed: 3 };

function check(shape: EncoderShape) {
  const data = tinyData(11);
  const enc = BagEncoder.create(shape, 5);
  const batch = [0, 1, 2, 3, 4, 5];
  const g = new Gradients(shape);
  lossAndGradients(enc, data, batch, settings, 0, g);
  const loss = () => lossAndGradients(enc, data, batch, settings, 0, new Gradients(shape));
  const h = 2e-3;
  const numeric = (arr: Float32Array, i: number) => {
    const x = arr[i]!;
    arr[i] = x + h;
    const up = loss();
    arr[i] = x - h;
    const down = loss();
    arr[i] = x;
    return (up - down) / (2 * h);
  };
  let checked = 0;
  let worst = 0;
  for (const row of g.rows.slice(0, 8)) {
    const at = g.row(row);
    for (let k = 0; k < shape.dim; k++) {
      const analytic = g.data[at + k]!;
      const fd = numeric(enc.table, row * shape.dim + k);
      worst = Math.max(worst, Math.abs(analytic - fd) / Math.max(1e-3, Math.abs(analytic) + Math.abs(fd)));
      checked++;
    }
  }
  if (enc.proj) {
    for (let i = 0; i < enc.proj.length; i += 3) {
      const fd = numeric(enc.proj, i);
      const analytic = g.proj![i]!;
      worst = Math.max(worst, Math.abs(analytic - fd) / Math.max(1e-3, Math.abs(analytic) + Math.abs(fd)));
      checked++;
    }
  }
  // Rows never touched by the batch have no gradient, and finite differences agree.
  const untouched = [...Array(shape.buckets).keys()].find((r) => r > 0 && !g.rows.includes(r));
  if (untouched !== undefined) expect(Math.abs(numeric(enc.table, untouched * shape.dim))).toBeLessThan(1e-6);
  expect(checked).toBeGreaterThan(20);
  expect(worst).toBeLessThan(5e-3);
}

describe('hand-written gradients of the bag encoder under InfoNCE', () => {
  it('match central finite differences without a projection', () => check({ buckets: 40, dim: 6, projection: 0 }));
  it('match central finite differences with a projection', () => check({ buckets: 40, dim: 6, projection: 4 }));
});

describe('hand-written gradient of the query adapter', () => {
  it('matches central finite differences', async () => {
    const { adapterLoss } = await import('../../electron/engine/training/adapter.ts');
    const r = rng(4);
    const dim = 5;
    const unit = () => {
      const v = Float32Array.from({ length: dim }, () => r() * 2 - 1);
      const n = Math.hypot(...v);
      return v.map((x) => x / n);
    };
    const queries = Array.from({ length: 6 }, unit);
    const docs = Array.from({ length: 6 }, unit);
    const texts = ['a', 'b', 'c', 'b', 'd', 'e'];
    const A = Float64Array.from({ length: dim * dim }, (_, k) => (k % (dim + 1) === 0 ? 1 : 0) + (r() - 0.5) * 0.4);
    const { grad } = adapterLoss(A, dim, queries, docs, texts, 0.1);
    const h = 1e-5;
    for (let k = 0; k < A.length; k++) {
      const x = A[k]!;
      A[k] = x + h;
      const up = adapterLoss(A, dim, queries, docs, texts, 0.1).loss;
      A[k] = x - h;
      const down = adapterLoss(A, dim, queries, docs, texts, 0.1).loss;
      A[k] = x;
      expect(grad[k]!).toBeCloseTo((up - down) / (2 * h), 5);
    }
  });
});
