// Search latency while long work runs (issue 11: "searching never waits on a build"). A steady stream of searches
// on a small indexed collection is timed while nothing else runs (the baseline, measured in the same run), then
// while a character n-gram index of a larger collection builds, while another collection imports, while a dense
// model encodes a collection (and builds its HNSW graph), and while all three happen at once. Twice: with the
// engine in its worker thread, as the application hosts it, and through a `pont serve` process over HTTP, as a
// browser reaches it. Reported: p50, p95 and max latency, searches over 1 s, p95 as a ratio of the idle p95, and the
// machine's load average (its cores are shared). Target: max < 1 s.
// `--quick` (or PONT_BENCH_QUICK=1) uses smaller collections; PONT_BENCH_CONCURRENCY_DOCS sets the size of the
// collections that are built and imported, PONT_BENCH_CONCURRENCY_DENSE_DOCS that of the one that is encoded;
// PONT_BENCH_CONCURRENCY_WORDS the words per document (default 12); PONT_BENCH_CONCURRENCY_HOSTS=app or serve
// runs one host only.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEngineWorker } from '../../electron/ipc/worker.ts';
import { writeTsvCollection } from '../fixtures/generate.ts';
import { writeBertPack } from '../models/bert-graph.ts';
import { markdownTable, percentile, writeResults } from './report.ts';

const quick = process.argv.includes('--quick') || process.env.PONT_BENCH_QUICK === '1';
const loadDocs = Number(process.env.PONT_BENCH_CONCURRENCY_DOCS ?? (quick ? 30_000 : 150_000));
const denseDocs = Number(process.env.PONT_BENCH_CONCURRENCY_DENSE_DOCS ?? (quick ? 20_000 : 30_000));
const words = Number(process.env.PONT_BENCH_CONCURRENCY_WORDS ?? 12);
const loadAtStart = loadavg()[0]!;
const hosts = (process.env.PONT_BENCH_CONCURRENCY_HOSTS ?? 'app,serve').split(',');
const dir = mkdtempSync(join(tmpdir(), 'pont-bench-concurrency-'));
const QUERIES = ['lo solelh', 'la mar', 'montanha', 'aiga salada', 'lenga occitana', 'vila', 'pan e vin', 'riu'];
const bin = fileURLToPath(new URL('../../bin/pont.mjs', import.meta.url));

interface Host {
  name: string;
  call<T>(method: string, input: unknown): Promise<T>;
  stop(): Promise<void>;
}

interface Phase {
  host: string;
  phase: string;
  searches: number;
  p50: number;
  p95: number;
  max: number;
  overOneSecond: number;
  loadSeconds: number;
  /** The machine's 1-minute load average at the end of the phase. */
  load: number;
}

/** The engine in its worker thread, as the application (and `pont serve`) host it. */
function appHost(workspace: string): Host {
  const engine = startEngineWorker({ workspace, demo: false });
  return { name: 'application (engine thread)', call: (m, i) => engine.client.call(m, i) as Promise<never>, stop: () => engine.stop() };
}

/** A `pont serve` process, called over HTTP with its token. */
async function serveHost(workspace: string): Promise<Host> {
  const child: ChildProcess = spawn(process.execPath, [bin, '--workspace', workspace, '--no-demo', 'serve', '--no-open', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<URL>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /Open (http:\S+)/.exec(out);
      if (m) resolve(new URL(m[1]!));
    });
    child.once('exit', (code) => reject(new Error(`pont serve stopped (exit code ${code}): ${out}`)));
  });
  const token = new URLSearchParams(url.hash.slice(1)).get('token')!;
  return {
    name: 'pont serve (HTTP)',
    // node:http rather than fetch, whose five-minute wait for an answer's headers is shorter than a long job.
    call: <T>(method: string, input: unknown) =>
      new Promise<T>((resolve, reject) => {
        const req = request(new URL(`/api/call/${method}`, url.origin), {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        });
        req.once('error', reject);
        req.once('response', (res) => {
          let text = '';
          res.on('data', (b: Buffer) => (text += b.toString()));
          res.once('end', () => {
            const body = JSON.parse(text) as { result?: T; error?: { message: string } };
            if (res.statusCode === 200) resolve(body.result as T);
            else reject(new Error(`${method}: ${body.error?.message ?? res.statusCode}`));
          });
        });
        req.end(JSON.stringify(input));
      }),
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

/** Searches one after the other, with a short pause between them as a person typing would, until `until` settles. */
async function searchWhile(host: Host, phase: string, until: Promise<unknown>): Promise<Phase> {
  let running = true;
  const started = performance.now();
  const settled = until.finally(() => (running = false));
  const latencies: number[] = [];
  let i = 0;
  while (running) {
    const t = performance.now();
    await host.call('search', { collection: 'small', query: QUERIES[i++ % QUERIES.length], k: 10 });
    latencies.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, 20));
  }
  await settled;
  latencies.sort((a, b) => a - b);
  const p: Phase = {
    host: host.name,
    phase,
    searches: latencies.length,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    max: latencies.at(-1) ?? NaN,
    overOneSecond: latencies.filter((l) => l > 1000).length,
    loadSeconds: (performance.now() - started) / 1000,
    load: loadavg()[0]!,
  };
  // Each phase as it ends, so that a long run that fails late still says what it measured.
  console.log(`${p.host}, ${p.phase}: ${p.searches} searches, p95 ${p.p95.toFixed(0)} ms, max ${p.max.toFixed(0)} ms, load ${p.load.toFixed(1)}`);
  return p;
}

async function measure(host: Host, files: Record<'small' | 'load' | 'more' | 'dense', string>, model: string): Promise<Phase[]> {
  const docs = loadDocs.toLocaleString('en');
  await host.call('collection.import', { path: files.small, name: 'small', lang: 'oc' });
  await host.call('index.build', { collection: 'small', analyzer: 'chargram:3-5+fold' });
  await host.call('collection.import', { path: files.load, name: 'load', lang: 'fr' });
  await host.call('collection.import', { path: files.dense, name: 'dense', lang: 'fr' });
  await host.call('collection.import', { path: files.dense, name: 'dense2', lang: 'fr' });
  await host.call('model.import', { path: model, name: 'enc' });
  const phases: Phase[] = [];
  phases.push(await searchWhile(host, 'idle (baseline)', new Promise((r) => setTimeout(r, 3000))));
  phases.push(await searchWhile(host, `index build, ${docs} docs`, host.call('index.build', { collection: 'load', analyzer: 'chargram:3-5+fold' })));
  phases.push(await searchWhile(host, `import, ${docs} docs`, host.call('collection.import', { path: files.more, name: 'more', lang: 'fr' })));
  phases.push(await searchWhile(host, `dense encoding + HNSW graph, ${denseDocs.toLocaleString('en')} docs`, host.call('dense.index', { collection: 'dense', model: 'enc' })));
  phases.push(
    await searchWhile(
      host,
      'all three at once',
      Promise.all([
        host.call('index.build', { collection: 'load', analyzer: 'words+fold', name: 'words-load' }),
        host.call('collection.import', { path: files.more, name: 'more2', lang: 'fr' }),
        host.call('dense.index', { collection: 'dense2', model: 'enc' }),
      ]),
    ),
  );
  return phases;
}

try {
  const files = { small: join(dir, 'small.tsv'), load: join(dir, 'load.tsv'), more: join(dir, 'more.tsv'), dense: join(dir, 'dense.tsv') };
  writeTsvCollection(files.small, { lines: 5000 }, words);
  writeTsvCollection(files.load, { lines: loadDocs }, words);
  writeTsvCollection(files.more, { lines: loadDocs }, words);
  writeTsvCollection(files.dense, { lines: denseDocs }, words);
  const model = join(dir, 'model');
  writeBertPack(model, { layers: 1, hidden: 32, heads: 2, intermediate: 64, vocab: 2000, positions: 512 });
  const phases: Phase[] = [];
  for (const kind of hosts) {
    const host = kind === 'serve' ? await serveHost(join(dir, 'ws-serve')) : appHost(join(dir, 'ws-app'));
    try {
      phases.push(...(await measure(host, files, model)));
    } finally {
      await host.stop();
    }
  }
  const ms = (v: number) => v.toFixed(0);
  console.log(`${words} words per document on average; load average of the machine (2 cores) at the start: ${loadAtStart.toFixed(1)}\n`);
  console.log(
    markdownTable(
      ['host', 'while', 'searches', 'p50 ms', 'p95 ms', 'max ms', '> 1 s', 'p95 / idle p95', 'load s', 'load avg'],
      phases.map((p) => {
        const base = phases.find((q) => q.host === p.host)!.p95;
        return [p.host, p.phase, p.searches, ms(p.p50), ms(p.p95), ms(p.max), p.overOneSecond, (p.p95 / base).toFixed(1), p.loadSeconds.toFixed(1), p.load.toFixed(1)];
      }),
    ),
  );
  const worst = Math.max(...phases.map((p) => p.max));
  console.log(`\nworst search: ${ms(worst)} ms (target: under 1000 ms)`);
  console.log(`results: ${writeResults('concurrency', { loadDocs, denseDocs, words, phases })}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
