// Lexical benchmark: Pont's BM25 index against SQLite FTS5 (the floor) and Xapian (a C++ engine with dynamic
// pruning), on the same generated passages and queries, in the same run. `--quick`: 100k passages only.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { markdownTable, writeResults } from './report.ts';
import { generate } from './lexical/generate.ts';
import type { EngineResult } from './lexical/measure.ts';
import { runXapian } from './lexical/xapian.ts';

const quick = process.argv.includes('--quick');
const sizes = quick ? [100_000] : [100_000, 1_000_000];
const here = import.meta.dirname;
const k1 = 0.9;
const b = 0.4;

function runNode(script: string, args: string[]): EngineResult | { error: string } {
  const r = spawnSync(process.execPath, [join(here, 'lexical', script), ...args], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) return { error: (r.stderr || 'failed').trim().split('\n').slice(-3).join(' ') };
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as EngineResult;
}

const ms = (x: number) => x.toFixed(x < 10 ? 2 : 0);
const mb = (x: number) => (x / 1e6).toFixed(0);
const ratio = (a: number, base: number) => `${(a / base).toFixed(2)}×`;

const all: Record<number, Record<string, EngineResult | { error: string }>> = {};
for (const n of sizes) {
  const dir = mkdtempSync(join(tmpdir(), 'pont-lexbench-'));
  try {
    const g = await generate(join(dir, 'docs.tsv'), join(dir, 'queries.tsv'), n, 1000);
    console.log(`\n### ${n.toLocaleString('en-US')} passages (${(g.words / n).toFixed(0)} words on average, ${mb(g.bytes)} MB), 1,000 queries of 2–6 words\n`);
    // FTS5 needs seconds per query at 1M passages: time a subset of the queries there.
    const ftsQueries = n >= 1_000_000 ? 50 : 200;
    const res: Record<string, EngineResult | { error: string }> = {
      pont: runNode('pont.ts', [dir]),
      xapian: runXapian(dir, k1, b),
      fts5: runNode('fts5.ts', [dir, String(ftsQueries)]),
    };
    all[n] = res;
    const rows: (string | number)[][] = [];
    const x = res.xapian && 'engine' in res.xapian ? res.xapian : undefined;
    for (const [name, r] of Object.entries(res)) {
      if (!('engine' in r)) {
        rows.push([name, `failed: ${r.error}`, '', '', '', '', '', '', '']);
        continue;
      }
      rows.push([
        name,
        `${ms(r.top10.p50)} / ${ms(r.top10.p95)}`,
        `${ms(r.top1000.p50)} / ${ms(r.top1000.p95)}`,
        r.queries,
        `${Math.round(r.docsPerSecond).toLocaleString('en-US')} (${Math.round(n / r.indexCpuSeconds).toLocaleString('en-US')} per CPU s)`,
        mb(r.indexBytes),
        mb(r.peakRssBytes),
        x ? ratio(r.top10.p50, x.top10.p50) : '',
        x ? ratio(r.indexBytes, x.indexBytes) : '',
      ]);
    }
    console.log(
      markdownTable(['engine', 'top-10 ms p50 / p95', 'top-1000 ms p50 / p95', 'queries timed', 'indexing docs/s wall (per CPU s)', 'index MB', 'peak RSS MB', 'top-10 p50 vs Xapian', 'size vs Xapian'], rows),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (sizes.length > 1) {
  const growth: (string | number)[][] = [];
  for (const e of ['pont', 'xapian', 'fts5']) {
    const a = all[sizes[0]!]![e];
    const z = all[sizes[1]!]![e];
    if (!a || !z || !('engine' in a) || !('engine' in z)) continue;
    growth.push([e, ratio(z.top10.p50, a.top10.p50), ratio(z.top1000.p50, a.top1000.p50), ratio(z.indexSeconds, a.indexSeconds), ratio(z.indexBytes, a.indexBytes), ratio(z.peakRssBytes, a.peakRssBytes)]);
  }
  console.log('\n### Growth from 100k to 1M passages\n');
  console.log(markdownTable(['engine', 'top-10 p50', 'top-1000 p50', 'indexing time', 'index size', 'peak RSS'], growth));
}
console.log(
  `\nLatency is CPU time per query (the machine is shared); indexing is wall time. BM25 k1 ${k1}, b ${b} for Pont and Xapian; ` +
    `FTS5's bm25() has k1 1.2, b 0.75 built in. Results: ${writeResults('lexical', all)}`,
);
