import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../cli/run-cli.ts';
import { tempEngine } from '../helpers/workspace.ts';

// The real cross-variety dev benchmark (Debian localisation strings), outside the repository when present.
const benchmark = join(repoRoot, '..', 'shared', 'data', 'l10n-dev');
const present = existsSync(join(benchmark, 'stats.json'));
if (!present) console.log(`skipping the l10n-dev import test: ${benchmark} is not there`);

interface PairStats {
  pair: string;
  low: string;
  high: string;
  docs: number;
  queries: number;
  qrels: number;
}

describe.runIf(present)('the l10n-dev benchmark', () => {
  const pairs = present ? (JSON.parse(readFileSync(join(benchmark, 'stats.json'), 'utf8')) as PairStats[]) : [];

  it('imports every pair: collection, queries and qrels, exactly as its statistics say, without a bad record', { timeout: 240_000 }, async () => {
    expect(pairs.length).toBeGreaterThan(0);
    const engine = tempEngine();
    for (const p of pairs) {
      const dir = join(benchmark, p.pair);
      const docs = await engine.call('collection.import', { path: join(dir, 'collection.tsv'), name: `${p.pair}-docs`, lang: p.high, strict: true });
      expect(docs).toMatchObject({ added: p.docs, bad: 0, warnings: 0 });
      const queries = await engine.call('queries.import', {
        path: join(dir, 'queries.tsv'),
        collection: `${p.pair}-docs`,
        name: `${p.pair}-queries`,
        lang: p.low,
        strict: true,
      });
      expect(queries).toMatchObject({ added: p.queries, bad: 0 });
      const qrels = await engine.call('qrels.import', { path: join(dir, 'qrels.txt'), queries: `${p.pair}-queries`, strict: true });
      // Every judgement names a query of the set and a document of the collection: no warnings.
      expect(qrels).toMatchObject({ added: p.qrels, bad: 0, warnings: 0 });
    }
    const sets = await engine.call('queries.list', {});
    expect(sets).toHaveLength(pairs.length);
    for (const s of sets) expect(s.judged).toBe(s.queries);
  });
});
