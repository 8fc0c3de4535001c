import { describe, expect, it } from 'vitest';
import { emIteration, startEm, tableOf } from '../../electron/engine/bridge/ibm1.ts';
import { buildCorpora, defaultLearnParams, symmetrise } from '../../electron/engine/bridge/learn.ts';
import { bridgeAnalyzer } from '../../electron/engine/bridge/model.ts';
import { bridgeApplies } from '../../electron/engine/bridge/retrieve.ts';
import { ocFrPairs } from './fixture.ts';

const pairs = ocFrPairs.map(([low, high], i) => ({ id: String(i), low: low!, high: high!, weight: 1, negatives: [] }));

function learn(seed: number, iterations = 10) {
  const c = buildCorpora(pairs, bridgeAnalyzer(), { ...defaultLearnParams, seed });
  const f = startEm(c.forward);
  const b = startEm(c.backward);
  const lls: number[] = [];
  for (let i = 0; i < iterations; i++) {
    lls.push(emIteration(c.forward, f));
    emIteration(c.backward, b);
  }
  return { c, f, b, lls, table: symmetrise(tableOf(f), tableOf(b), c, defaultLearnParams) };
}

describe('IBM Model 1 bridge learning', () => {
  it('is deterministic for a seed, to the bit', () => {
    const a = learn(7);
    const b = learn(7);
    expect([...a.f.prob]).toEqual([...b.f.prob]);
    expect([...a.table]).toEqual([...b.table]);
  });

  it('keeps t(· | source) normalised in every iteration, and the likelihood never falls', () => {
    const { c, f, lls } = learn(1);
    const sums = new Float64Array(c.forward.srcVocab + 1);
    for (let s = 0; s < f.prob.length; s++) sums[f.slots.slotSrc[s]!]! += f.prob[s]!;
    for (const s of sums) expect(s).toBeCloseTo(1, 12);
    for (let i = 1; i < lls.length; i++) expect(lls[i]!).toBeGreaterThanOrEqual(lls[i - 1]! - 1e-9);
  });

  it('learns the word correspondences, each word\'s translations summing to 1', () => {
    const { table } = learn(42);
    for (const ts of table.values()) expect(ts.reduce((a, t) => a + t.p, 0)).toBeCloseTo(1, 12);
    expect(table.get('lenga')![0]!.target).toBe('langue');
    expect(table.get('cancon')![0]!.target).toBe('chanson');
    expect(table.get('pais')![0]!.target).toBe('pays');
  });
});

describe('which collections a bridge serves', () => {
  it('serves a collection in one of its high languages, regional variants included', () => {
    expect(bridgeApplies('fr', 'fr')).toBe(true);
    expect(bridgeApplies('ca,fr', 'fr')).toBe(true);
    expect(bridgeApplies('ca', 'ca-valencia')).toBe(true);
    expect(bridgeApplies('ca,fr', 'es')).toBe(false);
  });
});
