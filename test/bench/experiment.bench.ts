// The research-scale experiment of issue 12: 14 (query set, collection) pairs × 5 systems, as the seven l10n-dev
// pairs asked in two query orders (the second a copy of each query set in reverse order, so that nothing is shared
// between the two), with word BM25, character n-gram BM25, their CV-tuned fusion, RRF, and `{"bm25": {}}` (the
// n-gram index again, unnamed: one canonical key, computed once). Whole-process wall and CPU time, peak RSS and the
// workspace's growth, against one n-gram BM25 run of one query set (`pont run`) measured in the same run.
// Targets: ≤ 15 min on 2 cores, peak RSS ≤ 1 GB, ≤ 10 MB of workspace per stored run.
//
//   npm run bench experiment [-- --quick]     --quick: one pair in both orders (2 query sets)
//   L10N_DEV=DIR (default ../shared/data/l10n-dev), PONT_BENCH_WORKSPACE=DIR (default: a temporary one, kept
//   between runs in /tmp/pont-bench-l10n so that the import and indexing are paid once).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { markdownTable, writeResults } from './report.ts';

const root = join(import.meta.dirname, '..', '..');
const quick = process.argv.includes('--quick');
const data = process.env.L10N_DEV ?? [join(root, '..', 'shared', 'data', 'l10n-dev'), '/work/shared/data/l10n-dev'].find((d) => existsSync(d)) ?? join(root, '..', 'shared', 'data', 'l10n-dev');
const ws = process.env.PONT_BENCH_WORKSPACE ?? '/tmp/pont-bench-l10n';
if (!existsSync(data)) {
  console.log(`l10n-dev data not found at ${data} (set L10N_DEV): benchmark skipped.`);
  process.exit(0);
}
const pairs = quick ? ['oc-fr'] : ['af-nl', 'ast-es', 'oc-fr', 'ca-fr', 'ca-valencia-ca', 'gd-en', 'szl-pl'];
const collectionOf = (pair: string) => `l10n-${pair.split('-').at(-1)}`;

/** Whole-process figures of one `pont` call (GNU time gives CPU and peak RSS when installed). */
function pont(args: string[]): { wall: number; cpu?: number; rssMb?: number; stdout: string } {
  const timeFile = join(ws, '.time');
  const useTime = existsSync('/usr/bin/time');
  const argv = [join(root, 'bin', 'pont.mjs'), '--workspace', ws, '--no-demo', ...args];
  const t = performance.now();
  const r = useTime
    ? spawnSync('/usr/bin/time', ['-f', '%U %S %M', '-o', timeFile, process.execPath, ...argv], { encoding: 'utf8', maxBuffer: 1 << 28 })
    : spawnSync(process.execPath, argv, { encoding: 'utf8', maxBuffer: 1 << 28 });
  const wall = (performance.now() - t) / 1000;
  if (r.status !== 0) throw new Error(`pont ${args.join(' ')} failed (exit ${r.status}): ${r.stderr}`);
  if (!useTime) return { wall, stdout: r.stdout };
  const [user, sys, kb] = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
  return { wall, cpu: user! + sys!, rssMb: kb! / 1024, stdout: r.stdout };
}

function dirBytes(dir: string): number {
  return readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
}

// The workspace: the setup script imports and indexes what is missing; the reversed query sets are added here.
mkdirSync(ws, { recursive: true });
const setup = spawnSync(join(root, 'scripts', 'l10n-dev-workspace.sh'), [ws], { env: { ...process.env, L10N_DEV: data }, encoding: 'utf8' });
if (setup.status !== 0) throw new Error(`scripts/l10n-dev-workspace.sh failed: ${setup.stderr}`);
const known = new Set((JSON.parse(pont(['--json', 'queries', 'list']).stdout) as { name: string }[]).map((q) => q.name));
for (const pair of pairs) {
  const name = `l10n-${pair}-rev`;
  if (known.has(name)) continue;
  const lines = readFileSync(join(data, pair, 'queries.tsv'), 'utf8').split('\n').filter(Boolean).reverse();
  const file = join(ws, `${name}.tsv`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  pont(['queries', 'import', file, '--collection', collectionOf(pair), '--name', name, '--lang', pair.split('-')[0]!, '--format', 'tsv']);
  pont(['qrels', 'import', join(data, pair, 'qrels.txt'), '--queries', name]);
}

const words = { bm25: { index: 'words-fold' } };
const chargrams = { bm25: { index: 'chargram-3-5-fold' } };
const groups = [...new Set(pairs.map(collectionOf))].map((collection) => ({
  collection,
  querySets: pairs.filter((p) => collectionOf(p) === collection).flatMap((p) => [`l10n-${p}`, `l10n-${p}-rev`]),
}));
const file = join(ws, 'bench-experiment.json');
writeFileSync(
  file,
  JSON.stringify({
    name: 'bench',
    groups,
    systems: {
      words,
      chargrams,
      fusion: { fuse: { systems: [words, chargrams], alpha: 'cv', normalisation: 'minmax', folds: 5, measure: 'RR@10' } },
      rrf: { rrf: { systems: [words, chargrams] } },
      default: { bm25: {} },
    },
    measures: ['RR@10', 'nDCG@10', 'R@100', 'R@1000'],
    baseline: 'words',
    correction: 'bonferroni',
    permutations: 10000,
    seed: 42,
    output: join(ws, 'bench-output'),
  }),
);

const load = () => (existsSync('/proc/loadavg') ? readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ') : 'n/a');
const loadBefore = load();
const baseline = pont(['run', '--collection', collectionOf(pairs[0]!), '--queries', `l10n-${pairs[0]}`, '--index', 'chargram-3-5-fold', '--output', join(ws, 'baseline.trec')]);
// An earlier benchmark run's runs would be replaced in place, hiding the growth: they go first, and the file is
// compacted, so that the growth measured is what this experiment's runs cost.
const setupDb = new Database(join(ws, 'pont.db'));
setupDb.prepare("DELETE FROM runs WHERE name LIKE 'bench.%'").run();
setupDb.exec('VACUUM');
setupDb.pragma('wal_checkpoint(TRUNCATE)');
setupDb.close();
const before = dirBytes(ws);
const exp = pont(['experiment', file]);
const growth = dirBytes(ws) - before;
const db = new Database(join(ws, 'pont.db'), { readonly: true });
const runs = db.prepare("SELECT count(*) AS n, sum(length(content)) AS bytes, max(length(content)) AS biggest, sum(hits) AS hits FROM runs WHERE name LIKE 'bench.%'").get() as {
  n: number;
  bytes: number;
  biggest: number;
  hits: number;
};
db.close();
const sets = pairs.length * 2;
const mb = (b: number) => (b / 1e6).toFixed(1);
console.log(
  markdownTable(
    ['what', 'wall s', 'CPU s', 'peak RSS MB', '× baseline (wall)'],
    [
      [`baseline: one n-gram BM25 run (pont run, l10n-${pairs[0]})`, baseline.wall.toFixed(1), baseline.cpu?.toFixed(1) ?? '-', baseline.rssMb?.toFixed(0) ?? '-', '1.00'],
      [`experiment: ${sets} query sets × 5 systems`, exp.wall.toFixed(1), exp.cpu?.toFixed(1) ?? '-', exp.rssMb?.toFixed(0) ?? '-', (exp.wall / baseline.wall).toFixed(1)],
    ],
  ),
);
console.log(
  `\nStored runs: ${runs.n} (${runs.hits.toLocaleString('en-US')} hits), ${mb(runs.bytes)} MB in all, ${mb(runs.bytes / runs.n)} MB each on average, ` +
    `${mb(runs.biggest)} MB the largest, ${(runs.bytes / runs.hits).toFixed(2)} bytes a hit. Workspace growth ${mb(growth)} MB (${mb(growth / runs.n)} MB a run; ` +
    'runs of an earlier benchmark run were deleted first).',
);
console.log(`Targets: ≤ 900 s wall on 2 cores, ≤ 1024 MB peak RSS, ≤ 10 MB a stored run. Load average before ${loadBefore}, after ${load()}.`);
writeResults('experiment', { quick, sets, baseline, experiment: exp, runs, growth, loadBefore, loadAfter: load() });
