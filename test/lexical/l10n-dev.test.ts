import { describe, expect, it } from 'vitest';
import { evaluatePair, pairs, reference } from './l10n-dev.ts';

// Effectiveness on real cross-variety data (../shared/data/l10n-dev), when it is there: the defaults must stay at or
// above the plain reference implementation's figures (issue 3) on the Occitan → French pair. The full table for
// every pair comes from `node test/lexical/l10n-dev.ts`.
const available = pairs().includes('oc-fr');
if (!available) console.log('l10n-dev data not found next to the repository: skipping the effectiveness check');

describe.skipIf(!available)('l10n-dev oc-fr', () => {
  it('word and character n-gram BM25 reach the reference MRR@10 and R@100', async () => {
    const res = await evaluatePair('oc-fr', [
      { label: 'words', analyzers: ['words'], k1: 0.9, b: 0.4 },
      { label: 'chargram', analyzers: ['chargram:3-5+fold'], k1: 0.9, b: 0.4 },
    ]);
    const ref = reference['oc-fr']!;
    const tolerance = 0.005;
    expect(res.get('words')!.mrr10).toBeGreaterThanOrEqual(ref.word[0] - tolerance);
    expect(res.get('words')!.r100).toBeGreaterThanOrEqual(ref.word[1] - tolerance);
    expect(res.get('chargram')!.mrr10).toBeGreaterThanOrEqual(ref.char[0] - tolerance);
    expect(res.get('chargram')!.r100).toBeGreaterThanOrEqual(ref.char[1] - tolerance);
  }, 900_000);
});
