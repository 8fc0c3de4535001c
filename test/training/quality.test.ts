import { describe, expect, it } from 'vitest';
import { haveShared, trainAndEvaluate } from './fixtures/l10n.ts';

describe.skipIf(!haveShared)('training on real pairs (l10n-train oc-fr subset)', () => {
  it('lowers the loss and raises MRR@10 on l10n-dev', () => {
    const r = trainAndEvaluate('oc-fr', { pairs: 2000, queries: 150, docs: 1500, dim: 32, buckets: 2 ** 16, epochs: 3 });
    expect(r.losses[2]!).toBeLessThan(r.losses[0]!);
    expect(r.after).toBeGreaterThan(r.before + 0.05);
  });
});
