// Search latency while long work runs (issue 11: "searching never waits on a build"): the engine runs in its worker
// thread as in the application and `pont serve`; a steady stream of searches on a small indexed collection is timed
// while nothing else runs (the baseline, measured in the same run), then while a character n-gram index of a larger
// collection builds, while another collection imports, and while both happen. Reported: p50, p95 and max latency,
// searches over 1 s, and p95 as a ratio of the idle p95. Target: max < 1 s. `--quick` (or PONT_BENCH_QUICK=1) uses
// a smaller load collection; PONT_BENCH_CONCURRENCY_DOCS sets its size.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEngineWorker } from '../../electron/ipc/worker.ts';
import { writeTsvCollection } from '../fixtures/generate.ts';
import { markdownTable, percentile, writeResults } from './report.ts';

const quick = process.argv.includes('--quick') || process.env.PONT_BENCH_QUICK === '1';
const loadDocs = Number(process.env.PONT_BENCH_CONCURRENCY_DOCS ?? (quick ? 30_000 : 150_000));
const dir = mkdtempSync(join(tmpdir(), 'pont-bench-concurrency-'));
const QUERIES = ['lo solelh', 'la mar', 'montanha', 'aiga salada', 'lenga occitana', 'vila', 'pan e vin', 'riu'];

interface Phase {
  phase: string;
  searches: number;
  p50: number;
  p95: number;
  max: number;
  overOneSecond: number;
  loadSeconds: number;
}

const engine = startEngineWorker({ workspace: join(dir, 'ws'), demo: false });
const call = <T>(method: string, input: unknown) => engine.client.call(method, input) as Promise<T>;

/** Searches one after the other, with a short pause between them as a person typing would, until `until` settles. */
async function searchWhile(phase: string, until: Promise<unknown>): Promise<Phase> {
  let running = true;
  const started = performance.now();
  const settled = until.finally(() => (running = false));
  const latencies: number[] = [];
  let i = 0;
  while (running) {
    const t = performance.now();
    await call('search', { collection: 'small', query: QUERIES[i++ % QUERIES.length], k: 10 });
    latencies.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, 20));
  }
  await settled;
  latencies.sort((a, b) => a - b);
  return {
    phase,
    searches: latencies.length,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    max: latencies.at(-1) ?? NaN,
    overOneSecond: latencies.filter((l) => l > 1000).length,
    loadSeconds: (performance.now() - started) / 1000,
  };
}

try {
  writeTsvCollection(join(dir, 'small.tsv'), { lines: 5000 });
  writeTsvCollection(join(dir, 'load.tsv'), { lines: loadDocs });
  writeTsvCollection(join(dir, 'more.tsv'), { lines: loadDocs });
  await call('collection.import', { path: join(dir, 'small.tsv'), name: 'small', lang: 'oc' });
  await call('index.build', { collection: 'small', analyzer: 'chargram:3-5+fold' });
  await call('collection.import', { path: join(dir, 'load.tsv'), name: 'load', lang: 'fr' });

  const phases: Phase[] = [];
  phases.push(await searchWhile('idle (baseline)', new Promise((r) => setTimeout(r, 3000))));
  phases.push(await searchWhile(`index build, ${loadDocs.toLocaleString('en')} docs`, call('index.build', { collection: 'load', analyzer: 'chargram:3-5+fold' })));
  phases.push(await searchWhile(`import, ${loadDocs.toLocaleString('en')} docs`, call('collection.import', { path: join(dir, 'more.tsv'), name: 'more', lang: 'fr' })));
  phases.push(
    await searchWhile(
      'index build + import',
      Promise.all([
        call('index.build', { collection: 'load', analyzer: 'words+fold', name: 'words-load' }),
        call('collection.import', { path: join(dir, 'more.tsv'), name: 'more2', lang: 'fr' }),
      ]),
    ),
  );
  const base = phases[0]!.p95;
  const ms = (v: number) => v.toFixed(0);
  console.log(
    markdownTable(
      ['while', 'searches', 'p50 ms', 'p95 ms', 'max ms', '> 1 s', 'p95 / idle p95', 'load s'],
      phases.map((p) => [p.phase, p.searches, ms(p.p50), ms(p.p95), ms(p.max), p.overOneSecond, (p.p95 / base).toFixed(1), p.loadSeconds.toFixed(1)]),
    ),
  );
  const worst = Math.max(...phases.map((p) => p.max));
  console.log(`\nworst search: ${ms(worst)} ms (target: under 1000 ms)`);
  console.log(`results: ${writeResults('concurrency', { loadDocs, phases })}`);
} finally {
  await engine.stop();
  rmSync(dir, { recursive: true, force: true });
}
