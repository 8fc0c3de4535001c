import { describe, expect, it } from 'vitest';
import { inferManifest } from '../../electron/engine/models/infer.ts';
import type { ModelManifest } from '../../electron/engine/models/manifest.ts';
import { ModelRunner, type Encoded } from '../../electron/engine/models/runner.ts';
import { WorkerModel } from '../../electron/engine/models/worker-model.ts';
import { PontError } from '../../electron/engine/errors.ts';
import { tempDir } from '../helpers/workspace.ts';
import { writeDensePack } from './packs.ts';

const vec = (e: Encoded | undefined) => Array.from((e as Extract<Encoded, { kind: 'dense' }>).vector);
const texts = ['the cat sat on the mat', 'a dog', 'the bridge over the river', 'pont'];

function pack(): { dir: string; manifest: ModelManifest } {
  const dir = tempDir();
  writeDensePack(dir, { pooling: 'mean', variants: true });
  return { dir, manifest: { ...inferManifest(dir).manifest, name: 'm', checksum: '', files: [] } };
}

describe('models on worker threads', () => {
  it('gives the same vectors as the in-process runner, with thread counts set', async () => {
    const { dir, manifest } = pack();
    const local = await ModelRunner.open(dir, manifest, { provider: 'cpu' });
    const remote = await WorkerModel.open(dir, manifest, { provider: 'cpu', intraOpThreads: 1, interOpThreads: 1, batchSize: 2 });
    expect(remote.provider.provider).toBe('cpu');
    const [a, b] = await Promise.all([local.encode(texts, 'passage'), remote.encode(texts, 'passage')]);
    a.forEach((e, i) => vec(e).forEach((x, j) => expect(vec(b[i])[j]).toBeCloseTo(x, 6)));
    // Requests queue on the worker and come back to the right caller.
    const many = await Promise.all(texts.map((t) => remote.encode([t], 'passage')));
    many.forEach((r, i) => vec(r[0]).forEach((x, j) => expect(x).toBeCloseTo(vec(a[i])[j]!, 5)));
    await local.release();
    await remote.release();
  });

  it('reports errors from the worker as the engine’s errors', async () => {
    const { dir, manifest } = pack();
    const e = await WorkerModel.open(dir, manifest, { provider: 'coreml' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PontError);
    expect((e as PontError).code).toBe('unavailable');
    expect((e as PontError).message).toMatch(/CoreML/);
  });

  it('uses the fp16 and int8 variants when asked for, and says when one is missing', async () => {
    const { dir, manifest } = pack();
    expect(manifest.onnx).toEqual({ fp32: 'model.onnx', fp16: 'onnx/model_fp16.onnx', int8: 'onnx/model_quantized.onnx' });
    const fp32 = await ModelRunner.open(dir, manifest, { provider: 'cpu' });
    const base = await fp32.encode(texts, 'passage');
    for (const [precision, tolerance] of [['fp16', 2e-3], ['int8', 5e-2]] as const) {
      const r = await ModelRunner.open(dir, manifest, { provider: 'cpu', precision });
      expect(r.precision).toBe(precision);
      const out = await r.encode(texts, 'passage');
      let maxDiff = 0;
      out.forEach((e, i) => vec(e).forEach((x, j) => (maxDiff = Math.max(maxDiff, Math.abs(x - vec(base[i])[j]!)))));
      expect(maxDiff).toBeLessThan(tolerance);
      expect(maxDiff).toBeGreaterThan(0); // really another graph
      await r.release();
    }
    await fp32.release();
    const { fp16: _, ...noHalf } = manifest.onnx;
    await expect(ModelRunner.open(dir, { ...manifest, onnx: noHalf }, { precision: 'fp16' })).rejects.toMatchObject({ code: 'not_found' });
  });
});
