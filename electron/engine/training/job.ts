import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { PontError } from '../errors.ts';
import { CancelledError, ProgressMeter, type JobContext } from '../jobs/progress.ts';
import { HashedTokenizer } from '../models/hashed-tokenizer.ts';
import type { ModelManifest, TrainingRecord } from '../models/manifest.ts';
import { getPack, importPack } from '../models/packs.ts';
import type { Workspace } from '../store/workspace.ts';
import { checkpointName, readCheckpoint, trainingDir, writeCheckpoint } from './checkpoint.ts';
import { prepareData, type TrainingPair } from './data.ts';
import { BagEncoder, Gradients } from './encoder.ts';
import { defaultMining, mineNegatives, type MiningSettings } from './mining.ts';
import { defaultAdam, SparseAdam } from './optimizer.ts';
import { readPack, writePack } from './pack.ts';
import './schema.ts';
import { stepsPerEpoch, trainStep, type StepSettings } from './step.ts';

/** Everything that decides what a training run computes; the same settings and pairs give the same model. */
export interface EncoderSettings extends StepSettings {
  analyzers: string[];
  buckets: number;
  dim: number;
  projection: number;
  maxFeatures: number;
  epochs: number;
  lr: number;
  mining: MiningSettings;
}

export const defaultEncoderSettings: EncoderSettings = {
  analyzers: ['chargram:3-5+fold', 'words+fold'],
  buckets: 2 ** 18,
  dim: 64,
  projection: 0,
  maxFeatures: 512,
  epochs: 3,
  lr: defaultAdam.lr,
  batchSize: 128,
  hardNegatives: 1,
  temperature: 0.02,
  seed: 42,
  mining: defaultMining,
};

/** A named set of training pairs (see the training-set store): its languages, size, fingerprint and reader. */
export interface PairSource {
  name: string;
  /** Language tag of the query side (the variety) and of the document side. */
  from: string;
  to: string;
  pairs: number;
  fingerprint: string | null;
  read: () => Iterable<TrainingPair>;
}

export interface TrainEncoderRequest {
  name: string;
  sources: PairSource[];
  /** A model Pont trained, to continue training (the seed's second stage); its shape and analysers are kept. */
  from?: string;
  settings?: Partial<EncoderSettings>;
  /** Forget an unfinished job of this name with other settings instead of refusing. */
  restart?: boolean;
  /** Seconds between checkpoints (each epoch's end and a cancel also checkpoint). */
  checkpointSeconds?: number;
}

export interface LossPoint {
  step: number;
  epoch: number;
  loss: number;
}

export interface TrainReport {
  name: string;
  steps: number;
  epochs: number;
  pairs: number;
  resumedAt: number;
  seconds: number;
  pairsPerSecond: number;
  losses: LossPoint[];
  manifest: ModelManifest;
}

interface JobRow {
  name: string;
  spec: string;
  state: 'running' | 'done';
  step: number;
  total_steps: number;
  checkpoint: string | null;
  losses: string;
}

/** The loss curve keeps about this many points per epoch (means over the steps between them). */
const POINTS_PER_EPOCH = 20;

function claimJob(db: Database.Database, name: string, spec: string, total: number, restart: boolean): JobRow {
  const row = db.prepare('SELECT * FROM training_jobs WHERE name = ?').get(name) as JobRow | undefined;
  // A finished job whose model was deleted since: this is a new training under the same name.
  if (row?.state === 'done') {
    db.prepare('DELETE FROM training_jobs WHERE name = ?').run(name);
  } else if (row && row.spec !== spec) {
    if (!restart) {
      throw new PontError('conflict', 'training.other_settings', { model: name }, [
        { field: 'name', reason: 'unfinished job with another spec' },
      ]);
    }
    db.prepare('DELETE FROM training_jobs WHERE name = ?').run(name);
  } else if (row) {
    return row;
  }
  db.prepare("INSERT INTO training_jobs (name, kind, spec, state, total_steps) VALUES (?, 'encoder', ?, 'running', ?)").run(name, spec, total);
  return db.prepare('SELECT * FROM training_jobs WHERE name = ?').get(name) as JobRow;
}

/**
 * Trains a dual encoder on pair sets and imports it as a model pack named `name`. A job: progress with the loss,
 * cancel (checkpointed), and resume after a crash from the last checkpoint, to exactly the model an uninterrupted
 * run gives (the batch order and negative draws are functions of the seed and the step).
 */
export async function trainEncoder(ws: Workspace, req: TrainEncoderRequest, ctx: JobContext): Promise<TrainReport> {
  const started = performance.now();
  const { db } = ws;
  if (req.sources.length === 0) throw new PontError('invalid_input', 'training.no_sources', {}, [{ field: 'pairs', reason: 'empty' }]);
  const modelExists = db.prepare('SELECT 1 FROM models WHERE name = ?').get(req.name) !== undefined;
  if (modelExists && (db.prepare("SELECT state FROM training_jobs WHERE name = ?").pluck().get(req.name) as string | undefined) !== 'running') {
    throw new PontError('conflict', 'model.exists', { model: req.name }, [{ field: 'name', reason: 'exists' }]);
  }
  let settings: EncoderSettings = { ...defaultEncoderSettings, ...req.settings, mining: { ...defaultMining, ...req.settings?.mining } };
  let base: ReturnType<typeof readPack> | undefined;
  let baseRef: { name: string; checksum: string } | null = null;
  if (req.from) {
    const pack = getPack(ws, req.from);
    base = readPack(pack.dir, pack.manifest);
    baseRef = { name: req.from, checksum: pack.manifest.checksum };
    // Continued training keeps the base model's features and shape: its weights only mean something with them.
    const { shape } = base.encoder;
    settings = { ...settings, analyzers: base.tokenizer.spec.analyzers, buckets: shape.buckets, dim: shape.dim, projection: shape.projection, maxFeatures: base.maxFeatures };
  }
  const pairs = req.sources.reduce((a, s) => a + s.pairs, 0);
  if (pairs === 0) throw new PontError('invalid_input', 'training.no_pairs', { sets: req.sources.map((s) => s.name).join(', ') }, [{ field: 'pairs', reason: 'empty' }]);
  const perEpoch = stepsPerEpoch(pairs, settings.batchSize);
  const total = perEpoch * settings.epochs;
  const spec = JSON.stringify({ settings, sources: req.sources.map(({ name, fingerprint, pairs: n }) => ({ name, fingerprint, pairs: n })), base: baseRef });
  const dir = trainingDir(ws.dir, req.name);
  if (modelExists) {
    // The model is there and its job still running: a crash came between the model's import and the job's end
    // (the job had saved its final weights and losses first). This training is over: the job ends now.
    const row = db.prepare('SELECT * FROM training_jobs WHERE name = ?').get(req.name) as JobRow;
    if (row.spec !== spec || row.step !== row.total_steps) throw new PontError('conflict', 'model.exists', { model: req.name }, [{ field: 'name', reason: 'exists' }]);
    db.prepare("UPDATE training_jobs SET state = 'done', checkpoint = NULL, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE name = ?").run(req.name);
    rmSync(dir, { recursive: true, force: true });
    const seconds = (performance.now() - started) / 1000;
    return { name: req.name, steps: total, epochs: settings.epochs, pairs, resumedAt: total, seconds, pairsPerSecond: 0, losses: JSON.parse(row.losses) as LossPoint[], manifest: getPack(ws, req.name).manifest };
  }
  const job = claimJob(db, req.name, spec, total, req.restart ?? false);
  mkdirSync(dir, { recursive: true });

  ctx.progress({ phase: 'reading pairs', done: 0, total: pairs, unit: 'pairs' });
  const tokenizer = base?.tokenizer ?? HashedTokenizer.create(settings.analyzers, settings.buckets);
  const data = prepareData(req.sources.flatMap((s) => [...s.read()]), tokenizer, settings.maxFeatures);
  if (data.low.length !== pairs) {
    throw new PontError('conflict', 'training.pairs_changed', { read: data.low.length, expected: pairs }, [{ field: 'pairs', reason: 'changed' }]);
  }
  ctx.progress({ phase: 'mining hard negatives', done: 0, total: pairs, unit: 'pairs' });
  if (settings.hardNegatives > 0) data.negatives = mineNegatives(data, settings.mining, req.sources.map((s) => s.pairs));

  const shape = { buckets: settings.buckets, dim: settings.dim, projection: settings.projection };
  let encoder: BagEncoder;
  let opt: SparseAdam;
  const adam = { ...defaultAdam, lr: settings.lr };
  const resumed = job.checkpoint && existsSync(join(dir, job.checkpoint)) ? readCheckpoint(join(dir, job.checkpoint)) : undefined;
  if (resumed) {
    const c = resumed;
    const a = (n: string) => c.arrays.get(n) ?? null;
    encoder = new BagEncoder(shape, a('table')!, a('proj'));
    opt = new SparseAdam(encoder, adam, { m: a('m')!, v: a('v')!, pm: a('pm'), pv: a('pv'), step: c.meta.adamStep as number });
  } else {
    if (job.step > 0) throw new PontError('bad_data', 'training.checkpoint_missing', { model: req.name, checkpoint: job.checkpoint ?? '', folder: dir }, [{ file: dir, reason: 'missing checkpoint' }]);
    encoder = base ? new BagEncoder(shape, base.encoder.table, base.encoder.proj) : BagEncoder.create(shape, settings.seed);
    opt = new SparseAdam(encoder, adam);
  }
  const losses: LossPoint[] = JSON.parse(job.losses) as LossPoint[];
  const resumedAt = job.step;
  const every = Math.max(1, Math.floor(perEpoch / POINTS_PER_EPOCH));
  const g = new Gradients(shape);
  const meter = new ProgressMeter(ctx.progress);
  let window = 0;
  let windowSteps = 0;
  if (resumed) {
    window = resumed.meta.window as number;
    windowSteps = resumed.meta.windowSteps as number;
  }
  let lastSave = performance.now();
  const checkpointMs = (req.checkpointSeconds ?? 60) * 1000;

  const save = (step: number) => {
    const file = checkpointName(step);
    const arrays = new Map<string, Float32Array>([['table', encoder.table], ['m', opt.m], ['v', opt.v]]);
    if (encoder.proj) arrays.set('proj', encoder.proj).set('pm', opt.pm!).set('pv', opt.pv!);
    // The loss window in progress travels with the checkpoint, so a resumed curve equals an uninterrupted one.
    writeCheckpoint(join(dir, file), { meta: { step, adamStep: opt.step, window, windowSteps }, arrays });
    db.prepare("UPDATE training_jobs SET step = ?, checkpoint = ?, losses = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE name = ?").run(step, file, JSON.stringify(losses), req.name);
    for (const f of readdirSync(dir)) if (f.endsWith('.ckpt') && f !== file) rmSync(join(dir, f), { force: true });
    lastSave = performance.now();
  };

  for (let step = job.step; step < total; step++) {
    if (ctx.signal.aborted) {
      if (step > job.step) save(step);
      throw new CancelledError(`training ${req.name}`);
    }
    window += trainStep(encoder, opt, g, data, settings, step);
    windowSteps++;
    const epoch = Math.floor(step / perEpoch);
    const endOfEpoch = (step + 1) % perEpoch === 0;
    if ((step + 1) % every === 0 || endOfEpoch) {
      losses.push({ step: step + 1, epoch, loss: window / windowSteps });
      window = 0;
      windowSteps = 0;
    }
    const last = losses[losses.length - 1];
    meter.update({ phase: `training, epoch ${epoch + 1}/${settings.epochs}`, done: step + 1, total, unit: 'steps', ...(last ? { message: `loss ${last.loss.toFixed(4)}` } : {}) });
    if (step + 1 < total && (endOfEpoch || performance.now() - lastSave > checkpointMs)) save(step + 1);
    // Let a cancel (or an HTTP request, in the server) through between steps.
    await new Promise<void>((r) => setImmediate(r));
  }

  // The final weights and losses are saved before the model is imported: a crash during the import or before the
  // job is marked done resumes with nothing left to train, and gives the same model.
  if (job.step < total) save(total);
  const record: TrainingRecord = {
    from: [...new Set(req.sources.map((s) => s.from))].sort(),
    to: [...new Set(req.sources.map((s) => s.to))].sort().join(','),
    pairSets: req.sources.map((s) => ({ name: s.name, pairs: s.pairs, fingerprint: s.fingerprint })),
    base: req.from ?? null,
    settings: flatSettings(settings),
    steps: total,
    finalLoss: losses.length ? losses[losses.length - 1]!.loss : null,
    trainedAt: new Date().toISOString(),
  };
  const staging = join(dir, 'pack');
  rmSync(staging, { recursive: true, force: true });
  writePack(staging, encoder, tokenizer.spec, record, settings.maxFeatures);
  const { manifest } = await importPack(ws, staging, req.name, {}, ctx);
  db.prepare("UPDATE training_jobs SET state = 'done', step = ?, checkpoint = NULL, losses = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE name = ?").run(total, JSON.stringify(losses), req.name);
  rmSync(dir, { recursive: true, force: true });
  const seconds = (performance.now() - started) / 1000;
  meter.update({ phase: 'done', done: total, total, unit: 'steps' }, true);
  return { name: req.name, steps: total, epochs: settings.epochs, pairs, resumedAt, seconds, pairsPerSecond: ((total - resumedAt) * settings.batchSize) / seconds, losses, manifest };
}

function flatSettings(s: EncoderSettings): Record<string, number | string | boolean> {
  const { mining, analyzers, ...rest } = s;
  return { ...rest, analyzers: analyzers.join(' '), miningDepth: mining.depth, miningKeep: mining.keep, miningMargin: mining.margin, miningMaxDocFrequency: mining.maxDocFrequency };
}
