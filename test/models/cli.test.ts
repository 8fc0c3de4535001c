import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/workspace.ts';
import { writeDensePack, writeSeq2SeqPack } from './packs.ts';

const root = join(import.meta.dirname, '..', '..');

function pont(ws: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'pont.mjs'), '--workspace', ws, '--no-demo', ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('pont model / encode / rerank', () => {
  it('imports a pack, encodes and re-ranks through the CLI, then deletes it', () => {
    const ws = tempDir();
    const dense = tempDir();
    writeDensePack(dense, { pooling: 'mean', normalize: true });
    const mt5 = tempDir();
    writeSeq2SeqPack(mt5);

    expect(pont(ws, 'model', 'import', dense, '--name', 'e5').code).toBe(0);
    const imp = pont(ws, 'model', 'import', mt5, '--name', 'mt5', '--relevant-token', '▁yes', '--irrelevant-token', '▁no');
    expect(imp.code, imp.err).toBe(0);
    expect(imp.out).toMatch(/yes ▁yes \(8\), no ▁no \(9\)/);

    const list = pont(ws, '--json', 'model', 'list');
    expect(JSON.parse(list.out).map((m: { name: string }) => m.name)).toEqual(['e5', 'mt5']);

    const enc = pont(ws, '--json', 'encode', '--model', 'e5', '--text', 'the cat', '--text', 'the river', '--provider', 'cpu');
    expect(enc.code, enc.err).toBe(0);
    const vectors = JSON.parse(enc.out).texts.map((t: { dense: number[] }) => t.dense);
    expect(vectors).toHaveLength(2);
    expect(Math.hypot(...vectors[0])).toBeCloseTo(1, 5);

    const rr = pont(ws, '--json', 'rerank', '--model', 'mt5', '--query', 'the cat', '--doc', 'the river', '--doc', 'the cat sat', '--doc', 'a dog', '--provider', 'cpu');
    expect(rr.code, rr.err).toBe(0);
    const ranked = JSON.parse(rr.out).ranked as { score: number; index: number }[];
    expect(ranked.map((r) => r.index).sort()).toEqual([0, 1, 2]);
    expect(ranked[0]!.score).toBeGreaterThanOrEqual(ranked[2]!.score);

    const bad = pont(ws, 'model', 'import', join(dense, 'nowhere'), '--name', 'x');
    expect(bad.code).toBe(5);
    expect(bad.err).toMatch(/is not a folder/);

    expect(pont(ws, 'model', 'delete', 'e5').code).toBe(0);
    expect(pont(ws, 'model', 'show', 'e5').code).toBe(3);
  });

  it('probes every provider and says why each works or not', () => {
    const r = pont(tempDir(), '--json', 'model', 'probe');
    expect(r.code, r.err).toBe(0);
    const { providers } = JSON.parse(r.out) as { providers: { provider: string; works: boolean; reason?: string }[] };
    expect(providers.map((p) => p.provider)).toEqual(['cuda', 'dml', 'webgpu', 'coreml', 'cpu']);
    expect(providers.find((p) => p.provider === 'cpu')!.works).toBe(true);
    for (const p of providers) if (!p.works) expect(p.reason).toBeTruthy();
  });

  it('says when a slower provider is used instead of hiding it', () => {
    const ws = tempDir();
    const dense = tempDir();
    writeDensePack(dense);
    pont(ws, 'model', 'import', dense, '--name', 'e5');
    const r = pont(ws, 'encode', '--model', 'e5', '--text', 'the cat');
    expect(r.code, r.err).toBe(0);
    if (!/\(dense, (cuda|webgpu|dml|coreml),/.test(r.out)) expect(r.err).toMatch(/note: running on CPU, slower than/);
    pont(ws, 'model', 'use', 'cpu');
    expect(pont(ws, 'encode', '--model', 'e5', '--text', 'the cat').err).not.toMatch(/slower than/);
  });
});
