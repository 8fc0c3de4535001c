// MS MARCO scale on one machine (issue 12): a generated collection with MS MARCO's passage count (8,841,823) and a
// log-normal length distribution like its passages', and 6,980 queries (its dev set's size), each judged by the
// passage it was drawn from. Each step is one `pont` process: import, the character n-gram and word index builds,
// a 1,000-deep run of every query, evaluation; wall and CPU time, peak RSS and the workspace's size after it. SQLite
// FTS5 and Xapian index and query the same files (their runners in test/bench/lexical/), as the baseline.
//
//   npm run bench scale -- --passages=1000000 [--queries=6980] [--memory=MB] [--no-anchors]
//   --quick: 100,000 passages, 1,000 queries. The full size needs hours and ~30 GB of disk.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { markdownTable, writeResults } from './report.ts';
import { generate } from './lexical/generate.ts';
import type { EngineResult } from './lexical/measure.ts';
import { runXapian } from './lexical/xapian.ts';

// `--name=value`: `npm run bench` takes words without dashes as suite names.
const arg = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const quick = process.argv.includes('--quick');
const passages = Number(arg('passages') ?? (quick ? 100_000 : 8_841_823));
const queries = Number(arg('queries') ?? (quick ? 1000 : 6980));
const memory = arg('memory');
const anchors = !process.argv.includes('--no-anchors');
const root = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'pont-scale-'));
const ws = join(dir, 'ws');

interface Step {
  step: string;
  wall: number;
  cpu?: number;
  rssMb?: number;
  diskMb: number;
}

const dirBytes = (d: string): number =>
  existsSync(d) ? readdirSync(d, { withFileTypes: true }).reduce((n, f) => n + (f.isDirectory() ? dirBytes(join(d, f.name)) : statSync(join(d, f.name)).size), 0) : 0;

/** One `pont` process, timed from outside (GNU time gives CPU and peak RSS when it is installed). */
function pont(step: string, args: string[]): Step {
  const timeFile = join(dir, 'time.txt');
  const useTime = existsSync('/usr/bin/time');
  const argv = [join(root, 'bin', 'pont.mjs'), '--workspace', ws, '--no-demo', ...args];
  const t = performance.now();
  const r = useTime ? spawnSync('/usr/bin/time', ['-f', '%U %S %M', '-o', timeFile, process.execPath, ...argv], { encoding: 'utf8' }) : spawnSync(process.execPath, argv, { encoding: 'utf8' });
  const wall = (performance.now() - t) / 1000;
  if (r.status !== 0) throw new Error(`${step}: pont ${args.join(' ')} failed (exit ${r.status}): ${r.stderr}`);
  const out: Step = { step, wall, diskMb: dirBytes(ws) / 1e6 };
  if (useTime) {
    const [user, sys, kb] = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
    Object.assign(out, { cpu: user! + sys!, rssMb: kb! / 1024 });
  }
  // Printed as each step ends: a run of hours that dies partway still leaves the steps it finished.
  console.error(`${step}: ${wall.toFixed(1)} s wall, ${out.cpu?.toFixed(1) ?? '-'} s CPU, peak RSS ${out.rssMb?.toFixed(0) ?? '-'} MB, workspace ${out.diskMb.toFixed(0)} MB, load ${load()}`);
  return out;
}

// The machine may be shared: the load at the start and at the end say how far the figures can be trusted.
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
const loadAtStart = load();
console.log(`load average at start: ${loadAtStart}`);

try {
  const t = performance.now();
  const g = await generate(join(dir, 'docs.tsv'), join(dir, 'queries.tsv'), passages, queries, 42, join(dir, 'qrels.txt'));
  const genSeconds = (performance.now() - t) / 1000;
  const mem = memory ? ['--memory', memory] : [];
  const steps: Step[] = [
    pont('import', ['collection', 'import', join(dir, 'docs.tsv'), '--name', 'scale', '--lang', 'en', '--format', 'tsv']),
    pont('index chargram:3-5', ['index', 'build', '--collection', 'scale', '--analyzer', 'chargram:3-5', ...mem]),
    pont('index words', ['index', 'build', '--collection', 'scale', '--analyzer', 'words:en', ...mem]),
    pont('queries import', ['queries', 'import', join(dir, 'queries.tsv'), '--collection', 'scale', '--name', 'scale-q', '--lang', 'en', '--format', 'tsv']),
    pont('qrels import', ['qrels', 'import', join(dir, 'qrels.txt'), '--queries', 'scale-q']),
  ];
  steps.push(pont(`run ${queries} queries × 1,000 (words)`, ['run', '--collection', 'scale', '--queries', 'scale-q', '--index', 'words-en', '--output', join(dir, 'run.trec.gz')]));
  steps.push(pont('evaluate (RR@10, R@1000)', ['eval', join(dir, 'run.trec.gz'), '--qrels', join(dir, 'qrels.txt'), '-m', 'RR@10', '-m', 'R@1000']));
  console.log(`\n### ${passages.toLocaleString('en-US')} passages (${(g.words / passages).toFixed(0)} words on average, ${(g.bytes / 1e6).toFixed(0)} MB), ${queries.toLocaleString('en-US')} queries; generated in ${genSeconds.toFixed(0)} s\n`);
  console.log(markdownTable(['step', 'wall s', 'CPU s', 'peak RSS MB', 'workspace MB after'], steps.map((s) => [s.step, s.wall.toFixed(1), s.cpu?.toFixed(1) ?? '-', s.rssMb?.toFixed(0) ?? '-', s.diskMb.toFixed(0)])));
  const others: Record<string, EngineResult | { error: string }> = {};
  if (anchors) {
    const r = spawnSync(process.execPath, [join(import.meta.dirname, 'lexical', 'fts5.ts'), dir, String(Math.min(queries, 50))], { encoding: 'utf8', maxBuffer: 1 << 24 });
    others.fts5 = r.status === 0 ? (JSON.parse(r.stdout.trim().split('\n').at(-1)!) as EngineResult) : { error: (r.stderr || 'failed').trim().split('\n').slice(-2).join(' ') };
    others.xapian = runXapian(dir, 0.9, 0.4);
    console.log('\nThe same files in SQLite FTS5 and Xapian (index build; query latency is CPU time per query, top 1,000):\n');
    console.log(
      markdownTable(
        ['engine', 'index s', 'peak RSS MB', 'index MB', 'p50 ms', 'p95 ms'],
        Object.entries(others).map(([name, e]) =>
          'error' in e ? [name, `did not finish: ${e.error}`, '', '', '', ''] : [name, e.indexSeconds.toFixed(1), (e.peakRssBytes / 1e6).toFixed(0), (e.indexBytes / 1e6).toFixed(0), e.top1000.p50.toFixed(1), e.top1000.p95.toFixed(1)],
        ),
      ),
    );
    // The issue's target: indexing at least at FTS5's speed (FTS5 has no character n-grams: the word index is compared).
    const fts = others.fts5;
    const words = steps.find((st) => st.step === 'index words')!;
    if (fts && 'engine' in fts) console.log(`\nindex words:en against FTS5: ${(fts.indexSeconds / words.wall).toFixed(2)}× its speed (${words.wall.toFixed(1)} s against ${fts.indexSeconds.toFixed(1)} s, wall)`);
  }
  console.log(`\nload average at the end: ${load()}`);
  writeResults('scale', { passages, queries, words: g.words, bytes: g.bytes, loadAtStart, loadAtEnd: load(), steps, others });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
