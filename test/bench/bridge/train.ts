// The training side of the bridge benchmark, in its own process: N pairs in a training set (not timed), then
// `trainBridge` (EM in a worker thread, checkpoints, the table written) timed, and the process's peak RSS.
// Pairs come from ../shared/data/l10n-train/oc-fr when it is there, else they are generated. Prints one JSON line.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trainBridge } from '../../../electron/engine/bridge/train.ts';
import { noJob } from '../../../electron/engine/jobs/progress.ts';
import { importPairs } from '../../../electron/engine/pairs/importer.ts';
import { Workspace } from '../../../electron/engine/store/workspace.ts';
import { wordOf, Zipf } from '../lexical/generate.ts';
import { Prng } from '../../../electron/engine/stats/prng.ts';

const [n = '10000', data = ''] = process.argv.slice(2);
const want = Number(n);
const tmp = mkdtempSync(join(tmpdir(), 'pont-bridgetrain-'));
const ws = Workspace.open(tmp);
try {
  let lines: string[];
  let source: string;
  const real = join(data, 'oc-fr', 'pairs.tsv');
  if (data && existsSync(real)) {
    lines = readFileSync(real, 'utf8').split('\n').filter(Boolean).slice(0, want).map((l) => l.split('\t').slice(1, 3).join('\t'));
    source = `l10n-train oc-fr, first ${lines.length} pairs`;
  } else {
    // Generated: strings of 1–8 Zipf words, the high side the same words spelt otherwise, a word in ten replaced.
    const rng = new Prng(7);
    const zipf = new Zipf(20_000, 1.05);
    lines = Array.from({ length: want }, () => {
      const ws = Array.from({ length: 1 + Math.floor(rng.next() * 8) }, () => wordOf(zipf.sample(rng.next())));
      const hs = ws.map((w) => (rng.next() < 0.1 ? wordOf(zipf.sample(rng.next())) : `${w}e`));
      return `${ws.join(' ')}\t${hs.join(' ')}`;
    });
    source = `${lines.length} generated pairs (1–8 Zipf words)`;
  }
  const file = join(tmp, 'pairs.tsv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  await importPairs(ws.db, { path: file, name: 'bench', from: 'oc', to: 'fr', format: 'tsv', columns: 'low,high' }, noJob);
  const before = process.resourceUsage().maxRSS * 1024;
  const t0 = performance.now();
  const b = await trainBridge(ws.db, { name: 'bench', pairs: ['bench'] }, noJob);
  const seconds = (performance.now() - t0) / 1000;
  console.log(JSON.stringify({ source, pairs: lines.length, words: b.entries, seconds, rssBeforeBytes: before, peakRssBytes: process.resourceUsage().maxRSS * 1024 }));
} finally {
  ws.close();
  rmSync(tmp, { recursive: true, force: true });
}
