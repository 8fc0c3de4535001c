import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LengthEstimator, lengthLogProb, letters, type LengthModel } from '../../electron/engine/bridge/length.ts';
import { BridgeModel } from '../../electron/engine/bridge/model.ts';
import { bridgedRetrieve, bridgeIndexes, defaultBridgeQuery, rankByLength } from '../../electron/engine/bridge/retrieve.ts';
import { tempDir, tempEngine } from '../helpers/workspace.ts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

describe('the length model of translations', () => {
  it('estimates in one pass what the two-pass definition gives (ratio Σh/Σl, variance mean of (h − ratio·l)²/l)', () => {
    const pair = fc.tuple(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 1, max: 400 }), fc.integer({ min: 1, max: 5 }));
    fc.assert(
      fc.property(fc.array(pair, { minLength: 2, maxLength: 60 }), (pairs) => {
        const e = new LengthEstimator();
        for (const [l, h, w] of pairs) e.add(l, h, w);
        const m = e.model()!;
        const n = pairs.reduce((a, [, , w]) => a + w, 0);
        const ratio = pairs.reduce((a, [, h, w]) => a + w * h, 0) / pairs.reduce((a, [l, , w]) => a + w * l, 0);
        const variance = pairs.reduce((a, [l, h, w]) => a + (w * (h - ratio * l) ** 2) / l, 0) / n;
        expect(m.pairs).toBe(n);
        expect(m.ratio).toBeCloseTo(ratio, 10);
        expect(m.variance).toBeCloseTo(Math.max(variance, 1e-3), 6);
      }),
    );
  });

  it('counts letters and digits as the Unicode classes define them, ASCII by code', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.oneof(fc.constantFrom('a', 'Z', '0', ' ', '-', "'", 'à', 'ł', 'ß', '«', '²', '٣', '𝔸', '😀', 'ŀ', '\u0301'), fc.string({ unit: 'grapheme', maxLength: 1 })) }), (s) => {
        expect(letters(s)).toBe((s.match(/[\p{L}\p{N}]/gu) ?? []).join('').length);
      }),
    );
  });

  it('counts letters and digits only, and is 0 at the expected length, lower further from it on either side', () => {
    expect(letters("L'àrea 2, «nova»!")).toBe(10);
    expect(new LengthEstimator().model()).toBeNull();
    const m = { ratio: 1.2, variance: 1, pairs: 1 };
    expect(lengthLogProb(m, 10, 12)).toBeCloseTo(0, 6);
    const far = [12, 14, 18, 30].map((h) => lengthLogProb(m, 10, h));
    for (let i = 1; i < far.length; i++) expect(far[i]!).toBeLessThan(far[i - 1]!);
    expect(lengthLogProb(m, 10, 10)).toBeCloseTo(lengthLogProb(m, 10, 14), 6);
  });

  it('ranks by length reading only the documents that may still rank, with the ranking of adjusting them all', () => {
    const doc = fc.record({ score: fc.oneof(fc.double({ min: 0, max: 2, noNaN: true }), fc.constantFrom(0, 0.5, 1)), letters: fc.integer({ min: 0, max: 80 }) });
    fc.assert(
      fc.property(fc.array(doc, { maxLength: 60 }), fc.integer({ min: 1, max: 15 }), fc.double({ min: 0, max: 2, noNaN: true }), fc.integer({ min: 0, max: 60 }), (docs, k, weight, q) => {
        const m = { ratio: 1.1, variance: 0.8, pairs: 1 };
        const ranked = docs.map((d, i) => ({ docId: i + 1, score: d.score })).sort((a, b) => b.score - a.score || a.docId - b.docId);
        const len = (id: number) => docs[id - 1]!.letters;
        const all = ranked
          .map((d) => ({ docId: d.docId, score: d.score + weight * lengthLogProb(m, q, len(d.docId)) }))
          .sort((a, b) => b.score - a.score || a.docId - b.docId)
          .slice(0, k);
        expect(rankByLength(ranked, k, weight, m, q, len)).toEqual(all);
      }),
      { numRuns: 300 },
    );
  });

  it('lets a bridged search prefer a string of its translation\'s length to a shorter one that matches as much', async () => {
    const engine = tempEngine();
    const path = join(tempDir(), 'docs.tsv');
    writeFileSync(path, 'd1\tBlauw\nd2\tHet blauw kanaal\nd3\tRood\n');
    await engine.call('collection.import', { path, name: 'nl', lang: 'nl' });
    await engine.call('index.build', { collection: 'nl', analyzer: 'words+fold' });
    const db = engine.workspace.db;
    const text = db.prepare('SELECT ext_id, text FROM documents WHERE id = ?');
    const doc = (id: number) => text.get(id) as { ext_id: string; text: string };
    const ix = bridgeIndexes(db, 'nl');
    const table = new Map([['blou', [{ target: 'blauw', p: 1 }]]]);
    const first = (lengths: LengthModel | null, lengthWeight = defaultBridgeQuery.lengthWeight) =>
      doc(bridgedRetrieve(ix, new BridgeModel(table, undefined, lengths), 'Kanal vir blou', 3, { k1: 0.9, b: 0.75, ...defaultBridgeQuery, lengthWeight }).docs[0]!.docId).ext_id;
    // Both strings match "blou" once (the other words are unknown): BM25 prefers the shorter; a 12-letter query's
    // translation is about 13 letters long, as "Het blauw kanaal" is.
    const lengths = { ratio: 1.1, variance: 0.1, pairs: 100, meanHigh: 12 };
    expect(first(null)).toBe('d1');
    expect(first(lengths, 0)).toBe('d1');
    expect(first(lengths)).toBe('d2');
    // The documents (7.7 letters on average) are strings like the training ones; against training strings of 1.5
    // letters they would be passages, where the length of a translation says nothing: BM25's order stands, as it
    // does for a model that does not know its strings' length.
    expect(ix.meanLetters!()).toBeCloseTo(23 / 3, 5);
    expect(first({ ...lengths, meanHigh: 1.5 })).toBe('d1');
    expect(first({ ratio: 1.1, variance: 0.1, pairs: 100 })).toBe('d1');
  });
});
