import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inferManifest } from '../../electron/engine/models/infer.ts';
import type { ModelManifest, ModelOverrides } from '../../electron/engine/models/manifest.ts';
import { ModelRunner, type Encoded, type EncodeStats } from '../../electron/engine/models/runner.ts';
import { tempDir } from '../helpers/workspace.ts';
import { referenceCrossEncoder, referenceEncoder, referenceSeq2Seq } from './graphs.ts';
import { writeCrossEncoderPack, writeDensePack, writeSeq2SeqPack, type DensePackOptions } from './packs.ts';

function manifestOf(dir: string, o: ModelOverrides = {}): ModelManifest {
  return { ...inferManifest(dir, o).manifest, name: 'm', checksum: '', files: [] };
}

async function runner(dir: string, o: ModelOverrides = {}, batchSize = 16, sortByLength = true) {
  return ModelRunner.open(dir, manifestOf(dir, o), { batchSize, sortByLength, provider: 'cpu' });
}

const vec = (e: Encoded | undefined) => (e as Extract<Encoded, { kind: 'dense' }>).vector;

function meanPool(rows: number[][]): number[] {
  return rows[0]!.map((_, j) => rows.reduce((a, r) => a + r[j]!, 0) / rows.length);
}

const texts = ['the cat sat on the mat', 'a dog', 'the bridge over the river', 'pont', 'where is the document , the river , the bridge , the cat'];

function densePack(o: DensePackOptions = {}) {
  const dir = tempDir();
  const w = writeDensePack(dir, o);
  return { dir, w };
}

describe('dense encoding on CPU', () => {
  it('matches the same computation done in TypeScript (mean pooling)', async () => {
    const { dir, w } = densePack({ pooling: 'mean' });
    const r = await runner(dir);
    const out = await r.encode(texts, 'passage');
    for (const [i, t] of texts.entries()) {
      const ids = r.tokenizer.encode(t, 128).ids;
      const expected = meanPool(referenceEncoder(w, ids).hidden);
      const got = Array.from(vec(out[i]));
      got.forEach((v, j) => expect(v).toBeCloseTo(expected[j]!, 5));
    }
    await r.release();
  });

  it('pools the first token (CLS) and the last real token, and normalises when modules.json says so', async () => {
    for (const pooling of ['cls', 'lasttoken'] as const) {
      const { dir, w } = densePack({ pooling, normalize: true });
      const r = await runner(dir);
      expect(r.manifest.normalize).toBe(true);
      const out = await r.encode(texts, 'query');
      for (const [i, t] of texts.entries()) {
        const ids = r.tokenizer.encode(t, 64).ids;
        const h = referenceEncoder(w, ids).hidden;
        const raw = pooling === 'cls' ? h[0]! : h[h.length - 1]!;
        const n = Math.hypot(...raw);
        Array.from(vec(out[i])).forEach((v, j) => expect(v).toBeCloseTo(raw[j]! / n, 5));
      }
      await r.release();
    }
  });

  it('reads a pooled output (pooler_output) as the embedding when told to', async () => {
    const { dir, w } = densePack({ pooling: null });
    const r = await runner(dir, { role: 'dense', output: 'pooler_output' });
    expect(r.manifest.pooling).toBe('none');
    const [e] = await r.encode(['the river'], 'query');
    const expected = referenceEncoder(w, r.tokenizer.encode('the river', 64).ids).pooled;
    Array.from(vec(e)).forEach((v, j) => expect(v).toBeCloseTo(expected[j]!, 5));
    await r.release();
  });

  it('gives a text the same vector alone and inside a padded batch, sorted or not', async () => {
    const { dir } = densePack({ pooling: 'mean' });
    const alone = await runner(dir, {}, 1);
    const sorted = await runner(dir, {}, 3, true);
    const naive = await runner(dir, {}, 5, false);
    const a = await Promise.all(texts.map(async (t) => vec((await alone.encode([t], 'passage'))[0])));
    for (const r of [sorted, naive]) {
      const b = await r.encode(texts, 'passage');
      a.forEach((v, i) => Array.from(v).forEach((x, j) => expect(Math.abs(x - vec(b[i])[j]!)).toBeLessThan(1e-5)));
      await r.release();
    }
    await alone.release();
  });

  it('sorted batching pads less than naive batching', async () => {
    const { dir } = densePack({ pooling: 'mean' });
    const many = Array.from({ length: 40 }, (_, i) => texts[i % texts.length]!.repeat(1 + (i % 4)));
    const stats = async (sort: boolean) => {
      const r = await runner(dir, {}, 8, sort);
      const s: EncodeStats = { texts: 0, batches: 0, paddedTokens: 0, realTokens: 0, truncated: 0 };
      await r.encode(many, 'passage', s);
      await r.release();
      return s;
    };
    const sorted = await stats(true);
    const naive = await stats(false);
    expect(sorted.realTokens).toBe(naive.realTokens);
    expect(sorted.paddedTokens).toBeLessThan(naive.paddedTokens);
  });

  it('truncates to the manifest length and counts truncated texts; prefixes are added before tokenising', async () => {
    const { dir, w } = densePack({ pooling: 'mean', prompts: { query: 'find ', passage: 'document ' } });
    const r = await runner(dir, { maxQueryLength: 4 });
    expect(r.manifest.prefixes).toEqual({ query: 'find ', passage: 'document ' });
    const s: EncodeStats = { texts: 0, batches: 0, paddedTokens: 0, realTokens: 0, truncated: 0 };
    const [e] = await r.encode(['the cat sat on the mat'], 'query', s);
    expect(s.truncated).toBe(1);
    const expected = meanPool(referenceEncoder(w, [2, 17, 5, 3]).hidden); // [CLS] find the [SEP]
    Array.from(vec(e)).forEach((v, j) => expect(v).toBeCloseTo(expected[j]!, 5));
    await r.release();
  });
});

describe('re-rankers on CPU', () => {
  const query = 'the cat';
  const docs = ['the dog ran over the bridge', 'the cat sat on the mat', 'river', 'the cat , the cat , the mat', 'pont over the river'];

  it('cross-encoder scores equal the TypeScript computation and order documents by them', async () => {
    const dir = tempDir();
    const { w, head } = writeCrossEncoderPack(dir);
    const r = await runner(dir, {}, 2);
    expect(r.manifest.role).toBe('cross-encoder');
    const scores = await r.score(query, docs);
    const expected = docs.map((d) => {
      const e = r.tokenizer.encode(query, 512, d);
      return referenceCrossEncoder(w, head, e.ids, e.typeIds);
    });
    scores.forEach((s, i) => expect(s).toBeCloseTo(expected[i]!, 5));
    const order = (xs: number[]) => xs.map((_, i) => i).sort((a, b) => xs[b]! - xs[a]!);
    expect(order(scores)).toEqual(order(expected));
    await r.release();
  });

  it('seq2seq re-ranker: encoder, one decoder step, softmax over the yes/no logits', async () => {
    const dir = tempDir();
    const { w, d } = writeSeq2SeqPack(dir);
    const r = await runner(dir, {}, 3);
    const m = r.manifest;
    expect(m.role).toBe('seq2seq');
    expect(m.seq2seq).toMatchObject({ yesToken: '▁yes', noToken: '▁no', yesId: 8, noId: 9, decoderStartId: 0 });
    const sdocs = ['the river', 'the cat sat on the mat', 'a dog', 'the bridge over the pont river'];
    const scores = await r.score('the cat', sdocs);
    sdocs.forEach((doc, i) => {
      const ids = r.tokenizer.encode(`Query: the cat Document: ${doc} Relevant:`, 512).ids;
      const logits = referenceSeq2Seq(w, d, ids, 0);
      const p = Math.exp(logits[8]!) / (Math.exp(logits[8]!) + Math.exp(logits[9]!));
      expect(scores[i]).toBeCloseTo(p, 5);
    });
    await r.release();
  });

  it('multi-vector (ColBERT) re-ranking sums each query token\'s best document match', async () => {
    const { dir, w } = densePack({ pooling: null });
    const r = await runner(dir, { role: 'multi-vector' });
    const scores = await r.score(query, docs);
    const tokensOf = (t: string, max: number) => referenceEncoder(w, r.tokenizer.encode(t, max).ids).hidden.map((v) => {
      const n = Math.hypot(...v);
      return v.map((x) => x / n);
    });
    const q = tokensOf(query, 64);
    docs.forEach((doc, i) => {
      const dv = tokensOf(doc, 512);
      const expected = q.reduce((a, qt) => a + Math.max(...dv.map((dt) => dt.reduce((s, x, j) => s + x * qt[j]!, 0))), 0);
      expect(scores[i]).toBeCloseTo(expected, 4);
    });
    await r.release();
  });
});

describe('providers', () => {
  it('says which provider a session runs on', async () => {
    const { dir } = densePack();
    const r = await ModelRunner.open(dir, manifestOf(join(dir)), { provider: 'auto' });
    expect(['cuda', 'dml', 'webgpu', 'coreml', 'cpu']).toContain(r.provider.provider);
    if (r.provider.provider === 'cpu' && process.platform === 'linux') expect(r.provider.warning).toMatch(/CUDA/);
    await r.release();
  });
});
