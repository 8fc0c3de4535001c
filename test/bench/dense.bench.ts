// Dense retrieval benchmark: generated clustered unit vectors (test/dense/clustered.ts), top-10 latency p50/p95 one
// query at a time on one core, recall@10 against exact search, build time, bytes per vector and peak memory, for
// Pont's HNSW graph over int8 codes with exact rescoring (stored in SQLite, searched through the product's code
// path), sqlite-vec's exact scan, and FAISS (Debian's python3-faiss) exact, HNSW (M 16, efConstruction 100, as
// Pont's) and IVF (4·√n lists), the approximate ones at the first setting that reaches recall@10 ≥ 0.95, all in the
// same run. Each method runs in its own process, so each peak memory is that method's alone.
//   --quick              100k × 384 only
//   --points=NxD[,…]     the points to run (default 100000x384,100000x768,1000000x384,1000000x768)
//   --queries=Q          queries per point (default 200)
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { npyHeader } from '../../electron/engine/dense/npy.ts';
import { clusteredSet, exactTopK } from '../dense/clustered.ts';
import { markdownTable, percentile, writeResults } from './report.ts';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
// `npm run bench` hands a suite only the arguments that start with a dash: values come as --name=value.
const opt = (name: string) => args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
const points = args.includes('--quick') ? ['100000x384'] : (opt('--points') ?? '100000x384,100000x768,1000000x384,1000000x768').split(',');
const queryCount = Number(opt('--queries') ?? 200);
const k = 10;
const target = 0.95;
const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const hasFaiss = spawnSync(python, ['-c', 'import faiss'], { stdio: 'ignore' }).status === 0;

interface Setting {
  setting: number | null;
  recall: number;
  p50: number;
  p95: number;
}

function writeMatrix(file: string, m: Float32Array, rows: number, cols: number): void {
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, npyHeader(rows, cols));
    const step = 1 << 22;
    for (let o = 0; o < m.length; o += step) {
      const part = m.subarray(o, Math.min(m.length, o + step));
      writeSync(fd, new Uint8Array(part.buffer, part.byteOffset, part.byteLength));
    }
  } finally {
    closeSync(fd);
  }
}

/** Writes the point's vectors, queries and exact answers; the exact scan in TypeScript is timed as well. */
function prepare(dir: string, n: number, d: number): Setting & { setting: null } {
  const { base, queries } = clusteredSet(n, queryCount, d, 1);
  writeMatrix(join(dir, 'base.npy'), base, n, d);
  writeMatrix(join(dir, 'queries.npy'), queries, queryCount, d);
  const truth = new Float32Array(queryCount * k);
  const times: number[] = [];
  for (let i = 0; i < queryCount; i++) {
    const t = performance.now();
    truth.set(exactTopK(base, d, queries.subarray(i * d, (i + 1) * d), k).ids, i * k);
    times.push(performance.now() - t);
  }
  writeMatrix(join(dir, 'truth.npy'), truth, queryCount, k);
  times.sort((a, b) => a - b);
  return { setting: null, recall: 1, p50: percentile(times, 50), p95: percentile(times, 95) };
}

// One core for every method: BLAS and OpenMP pools would otherwise start a thread per core and contend.
const oneThread = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };

function runJson<T>(cmd: string, argv: string[]): T | { error: string } {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 1 << 24, env: oneThread });
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  if (r.status !== 0 || !line.startsWith('{')) return { error: `exit ${r.status ?? r.signal}: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' ')}` };
  return JSON.parse(line) as T;
}

interface FaissResult {
  method: string;
  build: number;
  bytesPerVector: number;
  peakRssMb: number;
  sweep: Setting[];
}
interface PontResult {
  load: number;
  scan: Setting & { queries: number };
  pontScan: Setting & { queries: number };
  /** The whole query set as one batch (as the dense stage runs a query set): time per query, amortised. */
  pontBatch: Setting & { queries: number };
  build: number;
  open: number;
  bytesPerVector: number;
  floatBytesPerVector: number;
  peakRssMb: number;
  sweep: Setting[];
}

const atTarget = (sweep: Setting[]) => sweep.find((s) => s.recall >= target) ?? sweep.at(-1)!;
const ms = (x: number) => x.toFixed(x < 10 ? 3 : 1);
const results: unknown[] = [];
console.log(`load average at start: ${loadavg().map((x) => x.toFixed(1)).join(', ')} (${hasFaiss ? 'FAISS found' : 'FAISS not installed: apt-get install python3-faiss; its rows are left out'})`);

for (const point of points) {
  const [n, d] = point.split('x').map(Number) as [number, number];
  const dir = mkdtempSync(join(tmpdir(), 'pont-bench-dense-'));
  try {
    let t = performance.now();
    const jsExact = prepare(dir, n, d);
    const prepared = (performance.now() - t) / 1000;
    const files = ['base.npy', 'queries.npy', 'truth.npy'].map((f) => join(dir, f));
    const faiss = hasFaiss ? (['flat', 'hnsw', 'ivf'] as const).map((m) => runJson<FaissResult>(python, [join(here, 'dense-faiss.py'), m, ...files, String(k), String(target)])) : [];
    // sqlite-vec scans every vector per query: at a million, a few dozen queries say enough.
    const scanQueries = n >= 500_000 ? Math.min(queryCount, 30) : queryCount;
    t = performance.now();
    const pont = runJson<PontResult>(process.execPath, [join(here, 'dense-pont.ts'), ...files, String(k), String(target), String(scanQueries)]);
    const rows: (string | number)[][] = [];
    const row = (name: string, setting: string, build: number | null, s: Setting, bytes: number | null, rss: number | null) =>
      rows.push([name, setting, build === null ? '–' : build.toFixed(1), ms(s.p50), ms(s.p95), s.recall.toFixed(3), bytes === null ? '–' : Math.round(bytes), rss === null ? '–' : Math.round(rss)]);
    row('TypeScript exact scan (ground truth)', '–', null, jsExact, 4 * d, null);
    for (const f of faiss) {
      if ('error' in f) {
        rows.push(['FAISS', f.error, '', '', '', '', '', '']);
        continue;
      }
      const s = atTarget(f.sweep);
      row(`FAISS ${f.method === 'flat' ? 'exact (IndexFlatIP)' : f.method === 'hnsw' ? 'HNSW (M 16)' : 'IVF-Flat'}`, f.method === 'hnsw' ? `efSearch ${s.setting}` : f.method === 'ivf' ? `nprobe ${s.setting}` : '–', f.build, s, f.bytesPerVector, f.peakRssMb);
    }
    let ratios: Record<string, number> = {};
    if ('error' in pont) rows.push(['Pont', pont.error, '', '', '', '', '', '']);
    else {
      row(`sqlite-vec exact scan (${pont.scan.queries} queries)`, '–', null, pont.scan, pont.floatBytesPerVector, null);
      row(`Pont exact scan, one query at a time (${pont.pontScan.queries} queries)`, '–', null, pont.pontScan, pont.floatBytesPerVector, null);
      row(`Pont exact scan, the query set as one batch`, 'per query', null, pont.pontBatch, pont.floatBytesPerVector, null);
      const s = atTarget(pont.sweep);
      row('Pont HNSW int8 + exact rescoring', `ef ${s.setting}, rescore ≤ ${Math.min(s.setting ?? 0, 64)} (error bound)`, pont.build, s, pont.bytesPerVector, pont.peakRssMb);
      const hnsw = faiss.find((f): f is FaissResult => !('error' in f) && f.method === 'hnsw');
      ratios = {
        pontOverSqliteVecP50: s.p50 / pont.scan.p50,
        ...(hnsw ? { pontOverFaissHnswP50: s.p50 / atTarget(hnsw.sweep).p50, pontOverFaissHnswBuild: pont.build / hnsw.build } : {}),
      };
    }
    console.log(`\n### ${n.toLocaleString('en')} × ${d} (${queryCount} queries, top ${k}; vectors generated in ${prepared.toFixed(0)} s)\n`);
    console.log(markdownTable(['method', 'setting', 'build s', 'p50 ms', 'p95 ms', 'recall@10', 'bytes/vector', 'peak RSS MB'], rows));
    console.log(
      `\nPont p50 / FAISS HNSW p50 at recall ≥ ${target}: ${ratios.pontOverFaissHnswP50?.toFixed(2) ?? '–'} (goal ≤ 2); Pont p50 / sqlite-vec scan p50: ${ratios.pontOverSqliteVecP50?.toFixed(3) ?? '–'}; ` +
        `Pont build / FAISS HNSW build: ${ratios.pontOverFaissHnswBuild?.toFixed(2) ?? '–'}${'error' in pont ? '' : `; Pont: graph opened from SQLite in ${pont.open.toFixed(1)} s, vectors loaded in ${pont.load.toFixed(0)} s`}`,
    );
    results.push({ n, d, queries: queryCount, jsExact, faiss, pont, ratios });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
console.log(`\nload average at end: ${loadavg().map((x) => x.toFixed(1)).join(', ')}`);
console.log(`results: ${writeResults('dense', results)}`);
