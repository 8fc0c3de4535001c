// Half-precision graphs, as the GPU benchmark runs them: the conversion of weights to fp16 against the reader of fp16
// outputs, and a BERT-shaped graph written in fp16 giving the fp32 graph's states within half precision's error.
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { halfToFloat } from '../../electron/engine/models/pooling.ts';
import { rng } from '../helpers/random.ts';
import { bertGraph, type BertShape } from './bert-graph.ts';
import { floatToHalf } from './graphs.ts';

describe('fp16', () => {
  it('rounds every float to the nearest half, ties to even', () => {
    const r = rng(5);
    const values = Float32Array.from({ length: 20_000 }, (_, i) => (r() * 2 - 1) * 2 ** ((i % 40) - 26));
    const back = halfToFloat(floatToHalf(values));
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      // The nearest half: no half between v and back[i]; its spacing near v is 2^(exponent - 10), subnormals 2^-24.
      const spacing = Math.max(2 ** (Math.floor(Math.log2(Math.abs(v))) - 10), 2 ** -24);
      expect(Math.abs(back[i]! - v)).toBeLessThanOrEqual(spacing / 2);
    }
    const special = Float32Array.of(0, -0, 1, 65504, 65520, 1e6, -1e6, Infinity, NaN, 2 ** -24, 2 ** -26, 1 + 2 ** -11, 1 + 3 * 2 ** -11);
    expect(Array.from(floatToHalf(special), (h) => h.toString(16))).toEqual(['0', '8000', '3c00', '7bff', '7c00', '7c00', 'fc00', '7c00', '7e00', '1', '0', '3c00', '3c02']);
  });

  it('a BERT-shaped graph in fp16 gives the fp32 states within half precision', async () => {
    const shape: BertShape = { layers: 2, hidden: 64, heads: 4, intermediate: 128, vocab: 500, positions: 64 };
    const ids = new ort.Tensor('int64', BigInt64Array.from([2, 17, 99, 3, 2, 400, 3, 0], BigInt), [2, 4]);
    const mask = new ort.Tensor('int64', BigInt64Array.from([1, 1, 1, 1, 1, 1, 1, 0], BigInt), [2, 4]);
    const states = async (precision: 'fp32' | 'fp16') => {
      const session = await ort.InferenceSession.create(bertGraph(shape, 1, precision));
      const out = (await session.run({ input_ids: ids, attention_mask: mask })).last_hidden_state!;
      await session.release();
      expect(out.type).toBe(precision === 'fp16' ? 'float16' : 'float32');
      return out.data instanceof Uint16Array ? halfToFloat(out.data) : (out.data as Float32Array);
    };
    const full = await states('fp32');
    const half = await states('fp16');
    expect(half.length).toBe(full.length);
    // Layer-normalised states are of order 1: half precision keeps about three decimal digits through two layers.
    let worst = 0;
    for (let i = 0; i < full.length; i++) worst = Math.max(worst, Math.abs(half[i]! - full[i]!));
    expect(worst).toBeLessThan(0.05);
    expect(worst).toBeGreaterThan(0); // the fp16 graph really computed in half precision
  });
});
