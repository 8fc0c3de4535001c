// Model benchmark: encoding throughput (texts/s) and peak memory of a BERT-base–shaped encoder (random weights,
// built in code) for batch sizes 1–64, the speed-up of length-sorted batching over naive batching on texts whose
// lengths vary as real passages do, and Pont's own encoder (the bag of hashed n-grams `pont train` makes, exported
// as its pack) on the same texts. Each configuration runs in its own process so peak memory is its own.
//   --quick             2 layers instead of 12, fewer texts (development)
//   --provider P[,Q]    cpu (default), cuda, webgpu, or a list: the same runs on each, with the ratio to CPU
//   --threads N         onnxruntime intra-op threads (default: all cores)
//   --precision P[,Q]   fp32 (default) and/or fp16: the BERT shape also written in half precision (model_fp16.onnx),
//                       run on each provider; ratios are to CPU in fp32
//   --passages N        passages for Pont's own encoder on every provider and for the BERT shape on accelerators
//                       (default 4,096 and 256; a GPU check encodes 100,000)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { inferManifest } from '../../electron/engine/models/infer.ts';
import type { ProviderId } from '../../electron/engine/models/providers.ts';
import type { Precision } from '../../electron/engine/models/roles.ts';
import type { EncodeStats } from '../../electron/engine/models/runner.ts';
import { WorkerModel } from '../../electron/engine/models/worker-model.ts';
import { bertBase, writeBertPack, type BertShape } from '../models/bert-graph.ts';
import { rng } from '../helpers/random.ts';
import { HashedTokenizer } from '../../electron/engine/models/hashed-tokenizer.ts';
import { BagEncoder } from '../../electron/engine/training/encoder.ts';
import { defaultEncoderSettings } from '../../electron/engine/training/job.ts';
import { writePack } from '../../electron/engine/training/pack.ts';
import { markdownTable, resultsDir, writeResults } from './report.ts';

const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const quick = args.includes('--quick');
const accelerators = (opt('--provider') ?? 'cpu').split(',').filter((p) => p && p !== 'cpu') as ProviderId[];
const threads = opt('--threads') ? Number(opt('--threads')) : undefined;
const precisions = (opt('--precision') ?? 'fp32').split(',') as Precision[];
const passages = opt('--passages') ? Number(opt('--passages')) : undefined;
const shape: BertShape = { ...bertBase, layers: quick ? 2 : bertBase.layers };
const maxLength = 256; // the paper's passage length

/**
 * Texts of synthetic words. `fixed`: every text the same number of tokens, so the batch-size sweep measures batching
 * alone; otherwise log-normal lengths (median ~45 tokens, a long tail to the 256 limit), as passages vary.
 */
function texts(n: number, seed: number, fixed?: number): string[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => {
    const gauss = Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
    const len = fixed ?? Math.max(4, Math.min(maxLength - 2, Math.round(Math.exp(Math.log(45) + 0.8 * gauss))));
    return Array.from({ length: len }, () => `w${5 + Math.floor(r() * (shape.vocab - 5))}`).join(' ');
  });
}

const sweepLength = 128; // tokens per text in the batch-size sweep, [CLS] and [SEP] included

interface ChildResult {
  provider: string;
  precision: Precision;
  batch: number;
  sorted: boolean;
  texts: number;
  seconds: number;
  textsPerSecond: number;
  peakRssMB: number;
  paddedTokens: number;
  realTokens: number;
  warning?: string;
}

async function child(dir: string, p: ProviderId, precision: Precision, batch: number, sorted: boolean, n: number, fixed: boolean): Promise<void> {
  const manifest = { ...inferManifest(dir).manifest, name: 'bert', checksum: '', files: [] };
  manifest.maxLength = { query: maxLength, passage: maxLength };
  const model = await WorkerModel.open(dir, manifest, { provider: p, precision, batchSize: batch, sortByLength: sorted, ...(threads ? { intraOpThreads: threads } : {}) });
  const input = texts(n, 7, fixed ? sweepLength - 2 : undefined);
  await model.encode(texts(Math.min(batch, 8), 3), 'passage'); // warm-up: session initialisation and first allocations
  const stats: EncodeStats = { texts: 0, batches: 0, paddedTokens: 0, realTokens: 0, truncated: 0 };
  const t = performance.now();
  await model.encode(input, 'passage', stats);
  const seconds = (performance.now() - t) / 1000;
  await model.release();
  const out: ChildResult = {
    provider: model.provider.provider,
    precision: model.precision,
    batch,
    sorted,
    texts: n,
    seconds,
    textsPerSecond: n / seconds,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    paddedTokens: stats.paddedTokens,
    realTokens: stats.realTokens,
    ...(model.provider.warning ? { warning: model.provider.warning } : {}),
  };
  console.log(JSON.stringify(out));
}

type Child = ChildResult | Failed;
type Failed = { error: string; stderr?: string };

function spawnChild(dir: string, p: ProviderId, precision: Precision, batch: number, sorted: boolean, n: number, fixed: boolean): Child {
  const r = spawnSync(process.execPath, [import.meta.filename, '--child', dir, p, precision, String(batch), String(sorted), String(n), String(fixed), ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0) {
    // The reason Pont gives (a provider that cannot load, say) rather than the stack trace's last lines.
    const lines = (r.stderr || 'failed').trim().split('\n').filter((l) => l.trim() && !l.includes('provider_bridge') && !l.startsWith('Node.js v'));
    const reason = lines.find((l) => /^\s*reason: /.test(l))?.replace(/^\s*reason: /, '');
    return { error: reason ?? lines.slice(-2).join(' '), stderr: r.stderr.slice(-4000) };
  }
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as ChildResult;
}

if (args[0] === '--child') {
  await child(args[1]!, args[2] as ProviderId, args[3] as Precision, Number(args[4]), args[5] === 'true', Number(args[6]), args[7] === 'true');
} else {
  const fp16 = precisions.includes('fp16');
  const dir = join(resultsDir, '.models', `bert-L${shape.layers}`);
  if (!existsSync(join(dir, 'model.onnx')) || (fp16 && !existsSync(join(dir, 'model_fp16.onnx')))) {
    const t = performance.now();
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeBertPack(dir, shape, fp16);
    console.log(`built the model (${shape.layers} layers) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const params = (shape.vocab + shape.positions) * shape.hidden + shape.layers * (4 * shape.hidden * shape.hidden + 2 * shape.hidden * shape.intermediate);
  console.log(
    `BERT-base shape: ${shape.layers} layers, hidden ${shape.hidden}, ${shape.heads} heads, intermediate ${shape.intermediate}, vocab ${shape.vocab} ` +
      `(${(params / 1e6).toFixed(0)}M parameters, random weights); ${threads ? `${threads} threads` : 'all cores'}, ${cpus().length} CPUs\n` +
      `batch-size sweep: texts of exactly ${sweepLength} tokens; batching comparison: texts of 4–254 tokens (log-normal, median ~45)`,
  );
  console.log();
  const providers: ProviderId[] = ['cpu', ...accelerators];
  // Each (provider, precision) the run measures; CPU in fp32 is the baseline of every ratio.
  // fp16 only on accelerators: the CPU provider has few half-precision kernels (0.7–1 texts/s on 16 cores, 30× slower).
  const runs = providers.flatMap((p) => precisions.filter((pr) => p !== 'cpu' || pr === 'fp32').map((precision) => ({ p, precision, key: `${p}-${precision}`, title: `${p.toUpperCase()}, ${precision}` })));
  const batches = [1, 2, 4, 8, 16, 32, 64];
  const sweepTexts = (b: number) => Math.max(quick ? 16 : 32, 2 * b);
  const results: Record<string, Child[]> = {};
  const fmt = (x: number) => x.toFixed(x < 10 ? 2 : 1);
  const rate = (r: Child | undefined) => (r && 'textsPerSecond' in r ? r.textsPerSecond : undefined);
  for (const { p, precision, key, title } of runs) {
    const rows = batches.map((b) => spawnChild(dir, p, precision, b, true, sweepTexts(b), true));
    results[`sweep-${key}`] = rows;
    const base = rate(rows[0]) ?? NaN;
    console.log(`### ${title}: throughput by batch size (${sweepLength}-token texts)\n`);
    console.log(
      markdownTable(
        ['batch', 'texts', 'texts/s', 'vs batch 1', 'peak RSS (MB)'],
        rows.map((r, i) =>
          'error' in r
            ? [batches[i]!, '', 'failed', r.error, '']
            : [r.batch, r.texts, fmt(r.textsPerSecond), `${(r.textsPerSecond / base).toFixed(2)}×`, r.peakRssMB.toFixed(0)],
        ),
      ),
    );
    const warn = rows.find((r) => 'warning' in r && r.warning);
    if (warn && 'warning' in warn) console.log(`\nnote: ${warn.warning}`);
    console.log();
  }
  // On an accelerator the passages are as many as asked (a GPU check encodes 100,000); a 12-layer encoder on the CPU
  // gets the usual sample, its rate in texts/s being the baseline.
  const sortTexts = quick ? 128 : 256;
  const sortBatch = 32;
  for (const { p, precision, key, title } of runs) {
    const n = p === 'cpu' ? sortTexts : (passages ?? sortTexts);
    const naive = spawnChild(dir, p, precision, sortBatch, false, n, false);
    const sorted = spawnChild(dir, p, precision, sortBatch, true, n, false);
    results[`sorting-${key}`] = [naive, sorted];
    console.log(`### ${title}: length-sorted vs naive batching (${n} texts, batch ${sortBatch})\n`);
    if ('error' in naive || 'error' in sorted) {
      console.log(`failed: ${'error' in naive ? naive.error : ''} ${'error' in sorted ? sorted.error : ''}\n`);
      continue;
    }
    console.log(
      markdownTable(
        ['batching', 'texts/s', 'tokens fed (padding)', 'speed-up'],
        [
          ['naive (input order)', fmt(naive.textsPerSecond), `${naive.paddedTokens} (${(100 * (1 - naive.realTokens / naive.paddedTokens)).toFixed(0)}%)`, '1.00×'],
          ['sorted by length', fmt(sorted.textsPerSecond), `${sorted.paddedTokens} (${(100 * (1 - sorted.realTokens / sorted.paddedTokens)).toFixed(0)}%)`, `${(sorted.textsPerSecond / naive.textsPerSecond).toFixed(2)}×`],
        ],
      ),
    );
    console.log();
  }
  // Pont's own model: the default shape of `pont train`, random weights (speed does not depend on them); its pack
  // is fp32 only.
  const pontDir = join(resultsDir, '.models', 'pont-bag');
  if (!existsSync(join(pontDir, 'model.onnx'))) {
    const s = defaultEncoderSettings;
    const record = { from: ['xx'], to: 'xx', pairSets: [], base: null, settings: {}, steps: 0, finalLoss: null, trainedAt: new Date().toISOString() };
    writePack(pontDir, BagEncoder.create({ buckets: s.buckets, dim: s.dim, projection: 0 }, 1), HashedTokenizer.create(s.analyzers, s.buckets).spec, record, s.maxFeatures);
  }
  const pontTexts = passages ?? (quick ? 1024 : 4096);
  for (const p of providers) {
    const bert = results[`sorting-${p}-fp32`]?.[1];
    const own = spawnChild(pontDir, p, 'fp32', sortBatch, true, pontTexts, false);
    results[`pont-${p}`] = [own];
    console.log(`### ${p.toUpperCase()}: Pont's own encoder (hashed 3–5-grams + words → 64-dim bag) vs the BERT-base shape (fp32, batch ${sortBatch}, sorted, same text lengths)\n`);
    const rowOf = (name: string, r: Child | undefined, base?: number) =>
      !r ? [name, 'not run', '', ''] : 'error' in r ? [name, `failed: ${r.error}`, '', ''] : [name, fmt(r.textsPerSecond), r.peakRssMB.toFixed(0), base ? `${(r.textsPerSecond / base).toFixed(0)}×` : '1×'];
    console.log(markdownTable(['model', 'texts/s', 'peak RSS (MB)', 'vs BERT-base shape'], [rowOf(`BERT-base shape, ${shape.layers} layers`, bert), rowOf(`Pont bag encoder (${pontTexts} texts)`, own, rate(bert))]));
    console.log();
  }
  const accelerated = runs.filter((r) => r.p !== 'cpu');
  const ratio = (c: Child | undefined, g: Child | undefined) => {
    const cr = rate(c);
    const gr = rate(g);
    return [cr === undefined ? 'failed' : fmt(cr), gr === undefined ? `failed: ${g && 'error' in g ? g.error : ''}` : fmt(gr), cr && gr ? `${(gr / cr).toFixed(1)}×` : ''];
  };
  const cpu = results['sweep-cpu-fp32'];
  for (const { key, title } of cpu ? accelerated : []) {
    console.log(`### ${title} vs CPU, fp32 (texts/s ratio, same texts)\n`);
    console.log(markdownTable(['batch', 'CPU fp32 texts/s', `${title} texts/s`, 'ratio'], batches.map((b, i) => [b, ...ratio(cpu![i], results[`sweep-${key}`]![i])])));
    console.log();
  }
  if (accelerated.length > 0) {
    console.log(`### Passages (4–254 tokens, batch ${sortBatch}, length-sorted): accelerator vs CPU, fp32\n`);
    const rows = [
      ...accelerated.map(({ key, title }) => [`BERT-base shape, ${title}`, ...ratio(results['sorting-cpu-fp32']?.[1], results[`sorting-${key}`]?.[1])]),
      ...accelerators.map((p) => [`Pont bag encoder, ${p.toUpperCase()}`, ...ratio(results['pont-cpu']?.[0], results[`pont-${p}`]?.[0])]),
    ];
    console.log(markdownTable(['model, provider', 'CPU fp32 texts/s', 'accelerator texts/s', 'ratio'], rows));
    console.log();
  }
  if (accelerators.length === 0) console.log('GPU: not measured in this run (pass --provider cuda or --provider webgpu on a machine with a GPU).');
  const file = writeResults('models', { shape, quick, threads: threads ?? null, providers: ['cpu', ...accelerators], precisions, passages: passages ?? null, results });
  console.log(`\nresults: ${file}`);
}
