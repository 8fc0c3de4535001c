// Training benchmark: pairs/s and peak memory of Pont's trainer (bag of hashed n-grams and words, InfoNCE with
// in-batch and one mined hard negative, lazy Adam, hand-written gradients, one thread) against PyTorch training the
// same architecture (EmbeddingBag mean, sparse gradients, SparseAdam) on the same batches from the same initial
// table, in the same run; PyTorch is Debian's python3-torch when installed (else "not installed").
//   --quick       fewer steps (development)
//   --threads N   PyTorch threads (default 1, as Pont's trainer; the run also reports PyTorch on all cores)
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { HashedTokenizer } from '../../electron/engine/models/hashed-tokenizer.ts';
import { rng } from '../../electron/engine/random.ts';
import { prepareData, type TrainingPair } from '../../electron/engine/training/data.ts';
import { BagEncoder, Gradients } from '../../electron/engine/training/encoder.ts';
import { defaultEncoderSettings } from '../../electron/engine/training/job.ts';
import { mineNegatives } from '../../electron/engine/training/mining.ts';
import { defaultAdam, SparseAdam } from '../../electron/engine/training/optimizer.ts';
import { batchAt, batchColumns, trainStep } from '../../electron/engine/training/step.ts';
import { markdownTable, resultsDir, writeResults } from './report.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const steps = quick ? 20 : 80;
const s = defaultEncoderSettings;
const shape = { buckets: s.buckets, dim: s.dim, projection: 0 };

/** Pairs like localisation strings: 1–8 words from a Zipfian vocabulary, the low side a spelling variant. */
function pairs(n: number): TrainingPair[] {
  const r = rng(11);
  const letters = 'abcdefghilmnoprstuvàéèòç';
  const vocab = Array.from({ length: 20_000 }, () => Array.from({ length: 2 + Math.floor(r() * 9) }, () => letters[Math.floor(r() * letters.length)]).join(''));
  const word = () => vocab[Math.floor(vocab.length * r() ** 3)]!;
  return Array.from({ length: n }, (_, i) => {
    const words = Array.from({ length: 1 + Math.floor(r() * 8) }, word);
    return { id: `p${i}`, low: words.map((w) => (r() < 0.4 ? w.replace(/[aeo]/g, 'o') : w)).join(' '), high: words.join(' '), weight: 1, negatives: [] };
  });
}

function data() {
  const d = prepareData(pairs(steps * s.batchSize), HashedTokenizer.create(s.analyzers, s.buckets), s.maxFeatures);
  d.negatives = mineNegatives(d, s.mining);
  return d;
}

if (args[0] === '--child') {
  // Pont's trainer in its own process, so its peak RSS is its own.
  const d = data();
  const encoder = BagEncoder.create(shape, s.seed);
  const g = new Gradients(shape);
  const losses: number[] = [];
  // The optimiser's state is made inside the timed part, as PyTorch's SparseAdam makes its own in the first step.
  const t = performance.now();
  const opt = new SparseAdam(encoder, { ...defaultAdam, lr: s.lr });
  for (let step = 0; step < steps; step++) losses.push(trainStep(encoder, opt, g, d, s, step));
  const seconds = (performance.now() - t) / 1000;
  console.log(JSON.stringify({ pairsPerSecond: (steps * s.batchSize) / seconds, seconds, peakRssMB: process.resourceUsage().maxRSS / 1024, losses: losses.slice(0, 10) }));
} else {
  const dir = join(resultsDir, '.training');
  mkdirSync(dir, { recursive: true });
  const d = data();
  // The batches Pont trains on, written out for PyTorch: each step's distinct texts and which rows are queries/columns.
  const lines = Array.from({ length: steps }, (_, step) => {
    const batch = batchAt(d, s, step);
    const columns = batchColumns(d, batch, s, step);
    const unique = new Map<number, number>();
    const row = (t: number) => (unique.has(t) ? unique.get(t)! : (unique.set(t, unique.size), unique.size - 1));
    const q = batch.map((p) => row(d.low[p]!));
    const c = columns.map(row);
    return JSON.stringify({ texts: [...unique.keys()].map((t) => Array.from(d.texts[t]!)), q, c, colText: columns });
  });
  writeFileSync(join(dir, 'batches.jsonl'), lines.join('\n') + '\n');
  const init = BagEncoder.create(shape, s.seed).table;
  writeFileSync(join(dir, 'table.f32'), new Uint8Array(init.buffer));

  type Result = { pairsPerSecond: number; seconds: number; peakRssMB: number; losses: number[]; version?: string; threads?: number } | { error: string };
  const parse = (r: ReturnType<typeof spawnSync>): Result =>
    r.status === 0 ? (JSON.parse(String(r.stdout).trim().split('\n').at(-1)!) as Result) : { error: String(r.stderr).trim().split('\n').slice(-2).join(' ') };
  const pont = parse(spawnSync(process.execPath, [import.meta.filename, '--child', ...args], { encoding: 'utf8', maxBuffer: 1 << 24 }));
  const python = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { encoding: 'utf8' });
  const torchThere = python.status === 0;
  const threadArg = args.includes('--threads') ? Number(args[args.indexOf('--threads') + 1]) : 1;
  const torch = (threads: number): Result =>
    parse(
      spawnSync('/usr/bin/python3', [join(import.meta.dirname, 'training_torch.py'), join(dir, 'batches.jsonl'), join(dir, 'table.f32'), String(s.buckets), String(s.dim), String(s.lr), String(s.temperature), String(threads)], {
        encoding: 'utf8',
        maxBuffer: 1 << 24,
      }),
    );
  const torch1 = torchThere ? torch(threadArg) : undefined;
  const torchAll = torchThere ? torch(cpus().length) : undefined;
  console.log(
    `bag encoder: ${s.buckets} buckets × ${s.dim} dims, features ${s.analyzers.join(' + ')}; batch ${s.batchSize} pairs + 1 mined hard negative each; ` +
      `temperature ${s.temperature}; ${steps} steps (${steps * s.batchSize} pairs); ${cpus().length} CPUs\n`,
  );
  const row = (name: string, r: Result | undefined) =>
    !r ? [name, 'not installed', '', '', ''] : 'error' in r ? [name, `failed: ${r.error}`, '', '', ''] : [name, r.pairsPerSecond.toFixed(0), r.peakRssMB.toFixed(0), r.losses.slice(0, 3).map((l) => l.toFixed(4)).join(' '), ''];
  const rows = [row('Pont (1 thread)', pont), row(`PyTorch ${torch1 && 'version' in torch1 ? torch1.version : ''} (${threadArg} thread${threadArg > 1 ? 's' : ''})`, torch1), row(`PyTorch (${cpus().length} threads)`, torchAll)];
  const base = torch1 && 'pairsPerSecond' in torch1 ? torch1.pairsPerSecond : NaN;
  if ('pairsPerSecond' in pont) for (const r of rows) if (r[1] && !Number.isNaN(Number(r[1]))) r[4] = `${(Number(r[1]) / base).toFixed(2)}×`;
  console.log(markdownTable(['trainer', 'pairs/s', 'peak RSS (MB)', 'first losses', `vs PyTorch (${threadArg} thread)`], rows));
  if (!torchThere) console.log('\nPyTorch: not installed (apt-get install python3-torch to measure the anchor).');
  const file = writeResults('training', { steps, settings: s, pont, torch: torch1 ?? 'not installed', torchAllCores: torchAll ?? 'not installed' });
  console.log(`\nresults: ${file}`);
}
