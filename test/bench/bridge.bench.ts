// Bridge benchmark: training time and peak memory per 10,000 pairs, and bridged top-10 latency against plain BM25
// on the lexical benchmark's generated passages, as ratios in the same run. `--quick`: 100k passages only (else
// 100k and 1M).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from './lexical/generate.ts';
import { markdownTable, writeResults } from './report.ts';

const quick = process.argv.includes('--quick');
const sizes = quick ? [100_000] : [100_000, 1_000_000];
const here = import.meta.dirname;
const shared = join(here, '..', '..', '..', 'shared', 'data', 'l10n-train');
const data = process.env.L10N_TRAIN ?? (existsSync(shared) ? shared : '/work/shared/data/l10n-train');

function child<T>(script: string, args: string[]): T | { error: string } {
  const r = spawnSync(process.execPath, [join(here, 'bridge', script), ...args], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) return { error: (r.stderr || 'failed').trim().split('\n').slice(-3).join(' ') };
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as T;
}

const mb = (x: number) => (x / 1e6).toFixed(0);
const ms = (x: number) => x.toFixed(x < 10 ? 2 : 0);

interface Train { source: string; pairs: number; words: number; seconds: number; rssBeforeBytes: number; peakRssBytes: number }
interface Query { queries: number; plain: { p50: number; p95: number }; bridged: { p50: number; p95: number }; byLength: { p50: number; p95: number }; peakRssBytes: number }

const results: Record<string, unknown> = {};
console.log('\n### Training (EM both directions, 10 iterations, in a worker thread; checkpoints and table written)\n');
const trainRows: (string | number)[][] = [];
for (const n of [10_000, 20_000]) {
  const t = child<Train>('train.ts', [String(n), data]);
  results[`train-${n}`] = t;
  if ('error' in t) trainRows.push([n, `failed: ${t.error}`, '', '', '']);
  else trainRows.push([t.source, t.words, `${t.seconds.toFixed(1)} s`, `${((t.seconds * 10_000) / t.pairs).toFixed(1)} s`, `${mb(t.peakRssBytes)} MB (${mb(t.rssBeforeBytes)} before)`]);
}
console.log(markdownTable(['pairs', 'words in the table', 'training', 'per 10k pairs', 'peak RSS'], trainRows));

for (const n of sizes) {
  const dir = mkdtempSync(join(tmpdir(), 'pont-bridgebench-'));
  try {
    await generate(join(dir, 'docs.tsv'), join(dir, 'queries.tsv'), n, 1000);
    const q = child<Query>('query.ts', [dir]);
    results[`query-${n}`] = q;
    console.log(`\n### Query latency, ${n.toLocaleString('en-US')} generated passages, 1,000 queries of 2–6 words (CPU ms)\n`);
    if ('error' in q) console.log(`failed: ${q.error}`);
    else
      console.log(
        markdownTable(
          ['search', 'top-10 ms p50 / p95', 'p50 vs plain'],
          [
            ['plain BM25 (MaxScore)', `${ms(q.plain.p50)} / ${ms(q.plain.p95)}`, '1.00×'],
            ['bridged (5 translations a word, structured query; passages: no length step)', `${ms(q.bridged.p50)} / ${ms(q.bridged.p95)}`, `${(q.bridged.p50 / q.plain.p50).toFixed(2)}×`],
            ['bridged, top 100 ranked by length (as on strings like the training pairs)', `${ms(q.byLength.p50)} / ${ms(q.byLength.p95)}`, `${(q.byLength.p50 / q.plain.p50).toFixed(2)}×`],
          ],
        ),
      );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
console.log(`\nResults: ${writeResults('bridge', results)}`);
