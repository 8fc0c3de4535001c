import { describe, expect, it } from 'vitest';
import { buildPipeline } from '../../electron/engine/pipeline/registry.ts';
import '../../electron/engine/pipeline/kinds.ts';
import { noJob } from '../../electron/engine/jobs/progress.ts';
import { ensureCollection } from '../../electron/engine/store/collections.ts';
import { trainEncoder } from '../../electron/engine/training/job.ts';
import { tempEngine } from '../helpers/workspace.ts';
import { syntheticPairs, syntheticSource, tinySettings } from './fixtures/pairs.ts';

describe('query-side adapters', () => {
  it('lift a Pont model on a variety it was not trained on, through the dense stage, documents as indexed', async () => {
    const engine = tempEngine();
    const ws = engine.workspace;
    await engine.call('model.settings', { provider: 'cpu' });
    // The encoder learns one made-up variety; the adapter is trained on another (other vocabulary, other changes).
    await trainEncoder(ws, { name: 'enc', sources: [syntheticSource(600, 1)], settings: { ...tinySettings, dim: 24 } }, noJob);
    const other = syntheticPairs(700, 9);
    const unique = [...new Map(other.map((p) => [p.high, p])).values()];
    const train = unique.slice(0, 400);
    const test = unique.slice(400, 600);
    const c = ensureCollection(ws.db, 'docs', 'xx');
    unique.forEach((p, i) => ws.db.prepare('INSERT INTO documents (collection_id, ext_id, text) VALUES (?, ?, ?)').run(c.id, `d${i}`, p.high));
    await engine.call('dense.index', { collection: 'docs', model: 'enc' });
    await expect(engine.call('train.adapter', { name: 'ad', model: 'enc', pairs: [] })).rejects.toThrow(/pairs/);

    const { trainAdapter } = await import('../../electron/engine/training/adapter.ts');
    const r = await trainAdapter(ws, { name: 'ad', model: 'enc', sources: [{ name: 'other', from: 'yy', to: 'xx', pairs: train.length, fingerprint: null, read: () => train }], settings: { epochs: 15 } }, noJob);
    expect(r.losses.at(-1)!).toBeLessThan(r.losses[0]! * 0.9);

    const mrr = async (spec: Record<string, unknown>) => {
      const stage = buildPipeline(spec);
      const results = await stage.run(test.map((p, i) => ({ qid: `q${i}`, text: p.low })), { workspace: ws, collection: 'docs', ...noJob } as never);
      return test.reduce((sum, p, i) => {
        const rank = (results.get(`q${i}`) ?? []).slice(0, 10).findIndex((h) => h.docId === `d${unique.indexOf(p)}`);
        return sum + (rank >= 0 ? 1 / (rank + 1) : 0);
      }, 0) / test.length;
    };
    const plain = await mrr({ dense: { model: 'enc', k: 50 } });
    const adapted = await mrr({ dense: { model: 'enc', k: 50, adapter: 'ad' } });
    expect(adapted).toBeGreaterThan(plain);
  });
});
