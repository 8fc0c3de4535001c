import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, tempEngine } from '../helpers/workspace.ts';

const data = '/work/shared/data';
const here = existsSync(join(data, 'l10n-train', 'oc-fr')) && existsSync(join(data, 'l10n-dev', 'oc-fr'));

const lines = (f: string) => readFileSync(f, 'utf8').split('\n').filter(Boolean);

// A subset of one real pair: 6,000 training pairs, 150 dev queries, their relevant strings among 4,000 others.
describe.skipIf(!here)('a bridge learned on l10n-train oc-fr', () => {
  it('beats character n-gram BM25 on l10n-dev oc-fr queries (MRR@10)', async () => {
    const engine = tempEngine();
    const dir = tempDir();
    const train = join(dir, 'train.tsv');
    writeFileSync(train, `${lines(join(data, 'l10n-train/oc-fr/pairs.tsv')).slice(0, 6000).join('\n')}\n`);
    await engine.call('pairs.import', { path: train, name: 'oc-fr', from: 'oc', to: 'fr', columns: 'id,low,high,-' });
    await engine.call('bridge.train', { name: 'oc-fr', pairs: ['oc-fr'] });
    const queries = lines(join(data, 'l10n-dev/oc-fr/queries.tsv')).slice(0, 150).map((l) => l.split('\t') as [string, string]);
    const qrels = new Map<string, string>();
    for (const l of lines(join(data, 'l10n-dev/oc-fr/qrels.txt'))) {
      const [q, , d] = l.split(/\s+/);
      qrels.set(q!, d!);
    }
    const wanted = new Set(queries.map(([q]) => qrels.get(q)));
    const docs = lines(join(data, 'l10n-dev/oc-fr/collection.tsv')).filter((l, i) => i < 4000 || wanted.has(l.split('\t')[0]));
    writeFileSync(join(dir, 'docs.tsv'), `${docs.join('\n')}\n`);
    await engine.call('collection.import', { path: join(dir, 'docs.tsv'), name: 'fr', lang: 'fr' });
    await engine.call('index.build', { collection: 'fr', analyzer: 'chargram:3-5+fold' });
    await engine.call('index.build', { collection: 'fr', analyzer: 'words+fold' });
    const mrr = async (bridge?: string) => {
      let sum = 0;
      for (const [qid, text] of queries) {
        const r = await engine.call('search', { collection: 'fr', query: text, k: 10, ...(bridge ? { bridge } : {}) });
        const at = r.hits.findIndex((h) => h.id === qrels.get(qid));
        if (at >= 0) sum += 1 / (at + 1);
      }
      return sum / queries.length;
    };
    const grams = await mrr();
    const bridged = await mrr('oc-fr');
    expect(bridged).toBeGreaterThan(grams + 0.1);
  }, 120_000);
});
