import { describe, expect, it } from 'vitest';
import { inferManifest } from '../../electron/engine/models/infer.ts';
import type { ModelOverrides } from '../../electron/engine/models/manifest.ts';
import { ModelRunner, type Encoded } from '../../electron/engine/models/runner.ts';
import { tempDir } from '../helpers/workspace.ts';
import { referenceEncoder } from './graphs.ts';
import { writeM3Pack } from './packs.ts';

async function open(dir: string, o: ModelOverrides) {
  return ModelRunner.open(dir, { ...inferManifest(dir, o).manifest, name: 'm3', checksum: '', files: [] }, { provider: 'cpu', batchSize: 4 });
}

const texts = ['the cat sat on the mat', 'the river', 'pont over the river , the bridge'];

describe('BGE-M3–style exports: one graph, three roles', () => {
  it('reads dense_vecs for the dense role (already pooled) and infers the XLM-R length limit', async () => {
    const dir = tempDir();
    const { w } = writeM3Pack(dir);
    const r = await open(dir, { role: 'dense' });
    expect(r.manifest).toMatchObject({ output: 'dense_vecs', pooling: 'none', maxLength: { query: 64, passage: 512 } });
    const out = await r.encode(texts, 'passage');
    texts.forEach((t, i) => {
      const expected = referenceEncoder(w, r.tokenizer.encode(t, 512).ids).hidden[0]!;
      Array.from((out[i] as Extract<Encoded, { kind: 'dense' }>).vector).forEach((v, j) => expect(v).toBeCloseTo(expected[j]!, 5));
    });
    await r.release();
  });

  it('turns sparse_vecs into the largest weight per vocabulary id, leaving out special tokens', async () => {
    const dir = tempDir();
    const { w, sparseHead } = writeM3Pack(dir);
    const r = await open(dir, { role: 'sparse' });
    expect(r.manifest.output).toBe('sparse_vecs');
    const out = await r.encode(texts, 'passage');
    texts.forEach((t, i) => {
      const ids = r.tokenizer.encode(t, 512).ids;
      const hidden = referenceEncoder(w, ids).hidden;
      const expected = new Map<number, number>();
      ids.forEach((id, k) => {
        const weight = Math.max(0, hidden[k]!.reduce((a, x, j) => a + x * sparseHead[j]!, 0));
        if (id > 4 && weight > 0) expected.set(id, Math.max(expected.get(id) ?? 0, weight));
      });
      const got = (out[i] as Extract<Encoded, { kind: 'sparse' }>).sparse;
      expect(got.ids).toEqual([...expected.keys()].sort((a, b) => a - b));
      got.ids.forEach((id, k) => expect(got.weights[k]).toBeCloseTo(expected.get(id)!, 5));
      expect(got.tokens?.length).toBe(got.ids.length);
    });
    await r.release();
  });

  it('aligns colbert_vecs, which drop the first token, with the attention mask of a padded batch', async () => {
    const dir = tempDir();
    writeM3Pack(dir);
    const r = await open(dir, { role: 'multi-vector' });
    expect(r.manifest.output).toBe('colbert_vecs');
    const out = await r.encode(texts, 'passage');
    texts.forEach((t, i) => {
      const m = (out[i] as Extract<Encoded, { kind: 'multi' }>).multi;
      expect(m.count).toBe(r.tokenizer.encode(t, 512).ids.length - 1);
    });
    // Alone and in a padded batch: the same token vectors.
    const alone = await r.encode([texts[1]!], 'passage');
    const a = (alone[0] as Extract<Encoded, { kind: 'multi' }>).multi.data;
    const b = (out[1] as Extract<Encoded, { kind: 'multi' }>).multi.data;
    Array.from(a).forEach((x, j) => expect(Math.abs(x - b[j]!)).toBeLessThan(1e-5));
    await r.release();
  });
});
