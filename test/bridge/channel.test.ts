import fc from 'fast-check';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHANNEL_FLOOR, channelLogProb, channelTable } from '../../electron/engine/bridge/channel.ts';
import { emIteration, nullId, startEm, tableOf } from '../../electron/engine/bridge/ibm1.ts';
import { buildCorpora, defaultLearnParams } from '../../electron/engine/bridge/learn.ts';
import { letters, lengthLogProb } from '../../electron/engine/bridge/length.ts';
import { finalMark, markTable } from '../../electron/engine/bridge/marks.ts';
import { bridgeAnalyzer } from '../../electron/engine/bridge/model.ts';
import { bridgedRetrieve, bridgeIndexes, defaultBridgeQuery } from '../../electron/engine/bridge/retrieve.ts';
import { loadBridge, readChannel } from '../../electron/engine/bridge/store.ts';
import { tempDir, tempEngine } from '../helpers/workspace.ts';
import { importOcFr, ocFrPairs } from './fixture.ts';

const pairsOf = (rows: readonly (readonly string[])[]) => rows.map(([low, high], i) => ({ id: String(i), low: low!, high: high!, weight: 1, negatives: [] }));

describe('the noisy channel t(low | high)', () => {
  const c = buildCorpora(pairsOf(ocFrPairs), bridgeAnalyzer(), defaultLearnParams);
  const st = startEm(c.backward);
  for (let i = 0; i < 6; i++) emIteration(c.backward, st);
  const t = tableOf(st);

  it('keeps exactly the slots at or above the threshold, NULL as the empty word', () => {
    for (const min of [0, 0.001, 0.05, 0.3]) {
      const kept = channelTable(t, c.high, c.low, min);
      let n = 0;
      for (let s = 0; s < t.prob.length; s++) {
        if (t.prob[s]! < min) continue;
        n++;
        const h = t.slotSrc[s] === nullId(c.backward) ? '' : c.high[t.slotSrc[s]!]!;
        expect(kept.get(h)!.get(c.low[t.slotTgt[s]!]!)).toBe(t.prob[s]);
      }
      expect([...kept.values()].reduce((a, m) => a + m.size, 0)).toBe(n);
    }
  });

  it('scores a query as Model 1 defines P(q | d) from every slot of the table (unpruned), never above 0', () => {
    const word = (v: readonly string[]) => fc.oneof(fc.constantFrom(...v), fc.constantFrom('zzz', 'occitan'));
    const full = channelTable(t, c.high, c.low, 0);
    const knownLow = new Set(c.low);
    const knownHigh = new Set(c.high);
    fc.assert(
      fc.property(fc.array(word(c.low), { maxLength: 6 }), fc.array(word(c.high), { maxLength: 8 }), (q, d) => {
        // The definition, straight from EM's slots: Σ over the document's words and NULL of t(q_j | ·).
        let sum = 0;
        for (const w of q) {
          let p = 0;
          for (let s = 0; s < t.prob.length; s++) {
            if (c.low[t.slotTgt[s]!] !== w) continue;
            const src = t.slotSrc[s]!;
            const times = src === nullId(c.backward) ? 1 : d.filter((h) => h === c.high[src]).length;
            p += times * t.prob[s]!;
          }
          // A word spelt alike on both sides and unknown to the table is its own translation.
          p += d.filter((h) => h === w && (!knownHigh.has(h) || !knownLow.has(w))).length;
          sum += Math.log(Math.min(1, p / (d.length + 1) + CHANNEL_FLOOR));
        }
        const want = q.length ? sum / q.length : 0;
        const got = channelLogProb(full, (w) => knownLow.has(w), q, d);
        expect(got).toBeCloseTo(want, 10);
        expect(got).toBeLessThanOrEqual(0);
      }),
      { numRuns: 300 },
    );
  });

  it('prefers the translation to a near-duplicate that leaves a query word unexplained', () => {
    const full = channelTable(t, c.high, c.low);
    const known = (w: string) => c.low.includes(w);
    const q = ['la', 'lenga', 'occitana'];
    expect(channelLogProb(full, known, q, ['la', 'langue', 'occitane'])).toBeGreaterThan(channelLogProb(full, known, q, ['la', 'chanson', 'occitane']));
    expect(channelLogProb(full, known, q, ['la', 'langue', 'occitane'])).toBeGreaterThan(channelLogProb(full, known, q, ['la', 'langue']));
  });
});

describe('a bridge keeps its channel', () => {
  it('stores the pruned backward table when trained, keeps it through a bridge file, and a file without it imports', async () => {
    const engine = tempEngine();
    await importOcFr(engine);
    const b = await engine.call('bridge.train', { name: 'oc-fr', pairs: ['oc-fr-mini'] });
    const db = engine.workspace.db;
    const channel = readChannel(db, b.id)!;
    expect(channel.get('langue')!.get('lenga')).toBeGreaterThan(0.5);
    expect([...channel.values()].every((m) => [...m.values()].every((p) => p >= 0.001 && p <= 1))).toBe(true);
    expect(loadBridge(db, 'oc-fr').model.channel).toEqual(channel);
    expect(b.marks!.counts['\ta']).toBeUndefined();
    expect(Object.values(b.marks!.counts).reduce((a, n) => a + n, 0)).toBe(18);
    const file = join(tempDir(), 'oc-fr.bridge.json');
    await engine.call('bridge.export', { name: 'oc-fr', path: file });
    const other = tempEngine();
    const imported = await other.call('bridge.import', { path: file });
    expect(readChannel(other.workspace.db, imported.id)).toEqual(channel);
    expect(imported.marks).toEqual(b.marks);
    const old = JSON.parse(readFileSync(file, 'utf8'));
    delete old.channel;
    delete old.marks;
    writeFileSync(file, JSON.stringify(old));
    const before = await other.call('bridge.import', { path: file, name: 'old' });
    expect(readChannel(other.workspace.db, before.id)).toBeNull();
    expect(loadBridge(other.workspace.db, 'old').model.channel).toBeNull();
    expect(before.marks).toBeNull();
  });
});

const data = '/work/shared/data';
const here = existsSync(join(data, 'l10n-train', 'gd-en'));
const lines = (f: string) => readFileSync(f, 'utf8').split('\n').filter(Boolean);

// Real strings: 3,000 Scottish Gaelic–English training pairs; the English of 800 more is the collection searched.
describe.skipIf(!here)('a bridged search reranked by the channel and the final marks (l10n-train gd-en subset)', () => {
  it('reads only the documents that may still rank, with the ranking of scoring the whole fused hundred', async () => {
    const rows = lines(join(data, 'l10n-train/gd-en/pairs.tsv')).map((l) => l.split('\t') as [string, string, string]);
    const engine = tempEngine();
    const dir = tempDir();
    writeFileSync(join(dir, 'train.tsv'), `${rows.slice(0, 3000).map(([, l, h]) => `${l}\t${h}`).join('\n')}\n`);
    await engine.call('pairs.import', { path: join(dir, 'train.tsv'), name: 'gd-en', from: 'gd', to: 'en' });
    await engine.call('bridge.train', { name: 'gd-en', pairs: ['gd-en'] });
    const held = rows.slice(3000, 3800);
    writeFileSync(join(dir, 'docs.tsv'), `${held.map(([id, , h]) => `${id}\t${h}`).join('\n')}\n`);
    await engine.call('collection.import', { path: join(dir, 'docs.tsv'), name: 'en', lang: 'en' });
    await engine.call('index.build', { collection: 'en', analyzer: 'chargram:3-5+fold' });
    await engine.call('index.build', { collection: 'en', analyzer: 'words+fold' });
    const db = engine.workspace.db;
    const { model } = loadBridge(db, 'gd-en');
    expect(model.channel).not.toBeNull();
    const marks = markTable(model.marks!);
    const ix = bridgeIndexes(db, 'en');
    const analyzer = bridgeAnalyzer();
    const p = { k1: 0.9, b: 0.75, ...defaultBridgeQuery };
    let read = 0;
    const counted = { ...ix, docText: (id: number) => (read++, ix.docText!(id)) };
    for (const [, low] of held.slice(0, 40)) {
      const fused = bridgedRetrieve(ix, model, low, 100, { ...p, lengthWeight: 0 }).docs;
      const q = analyzer.terms(low);
      const want = fused
        .map((d) => {
          const text = ix.docText!(d.docId);
          const penalty = p.lengthWeight * lengthLogProb(model.lengths!, letters(low), letters(text)) + p.channelWeight * channelLogProb(model.channel!, (w) => model.table.has(w), q, analyzer.terms(text)) + p.markWeight * marks.logProb(finalMark(low), finalMark(text));
          return { docId: d.docId, score: d.score + penalty };
        })
        .sort((a, b) => b.score - a.score || a.docId - b.docId)
        .slice(0, 10);
      read = 0;
      expect(bridgedRetrieve(counted, model, low, 10, p).docs).toEqual(want);
      expect(read).toBeLessThanOrEqual(fused.length);
    }
  }, 120_000);
});
