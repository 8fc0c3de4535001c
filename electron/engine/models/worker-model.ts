import { Worker } from 'node:worker_threads';
import { PontError, type ErrorCode, type ErrorDetail, type MessageId, type MessageParams } from '../errors.ts';
import type { ModelManifest, Precision } from './manifest.ts';
import type { WorkerReply, WorkerRequest } from './model-worker.ts';
import type { ProviderUse } from './providers.ts';
import type { Encoded, EncodeStats, RunnerOptions, TextKind } from './runner.ts';

type Pending = { resolve: (v: { value: unknown; stats?: EncodeStats }) => void; reject: (e: Error) => void };
type RequestBody = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;
export type ErrorShape = { name: string; code?: string; message: string; details?: unknown; id?: MessageId; params?: MessageParams };

/** An error as it crosses a worker-thread boundary, and back: PontErrors keep their code, message id and details. */
export const serialiseError = (e: unknown): ErrorShape =>
  e instanceof PontError ? { name: 'PontError', ...e.toJSON() } : { name: (e as Error)?.name ?? 'Error', message: (e as Error)?.message ?? String(e) };

export const revive = (e: ErrorShape): Error =>
  e.name === 'PontError' && e.id ? new PontError(e.code as ErrorCode, e.id, e.params ?? {}, (e.details as ErrorDetail[]) ?? []) : Object.assign(new Error(e.message), { name: e.name });

/**
 * A model pack running on its own worker thread, with the same calls as ModelRunner. Requests queue in the worker
 * in order; one worker per loaded model keeps each model's memory in one place and lets onnxruntime's own thread
 * pool use the cores.
 */
export class WorkerModel {
  readonly manifest: ModelManifest;
  readonly provider: ProviderUse;
  readonly precision: Precision;
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private dead: Error | undefined;

  private constructor(worker: Worker, manifest: ModelManifest, provider: ProviderUse, precision: Precision) {
    this.worker = worker;
    this.manifest = manifest;
    this.provider = provider;
    this.precision = precision;
    worker.on('message', (r: WorkerReply) => {
      const p = this.pending.get(r.id);
      if (!p) return;
      this.pending.delete(r.id);
      if (this.pending.size === 0) worker.unref();
      if (r.ok) p.resolve({ value: r.value, ...(r.stats ? { stats: r.stats } : {}) });
      else p.reject(revive(r.error));
    });
    const fail = (e: Error) => {
      this.dead = e;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new PontError('internal', 'model.worker_stopped', { model: manifest.name, exit: String(code) })));
    // A 'message' listener refs the worker's port again: a model loaded and never asked for anything (a dense index
    // with nothing left to encode) kept the CLI from exiting.
    worker.unref();
  }

  static open(dir: string, manifest: ModelManifest, options: RunnerOptions = {}): Promise<WorkerModel> {
    const worker = new Worker(new URL('./model-worker.ts', import.meta.url), { workerData: { dir, manifest, options } });
    return new Promise((resolve, reject) => {
      const onError = (e: Error) => reject(e);
      worker.once('error', onError);
      worker.once('message', (m: { ready: true; provider: ProviderUse; precision: Precision } | { ready: false; error: ErrorShape }) => {
        worker.off('error', onError);
        if (m.ready) {
          worker.unref();
          resolve(new WorkerModel(worker, manifest, m.provider, m.precision));
        } else {
          void worker.terminate();
          reject(revive(m.error));
        }
      });
    });
  }

  private request(req: RequestBody): Promise<{ value: unknown; stats?: EncodeStats }> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // Referenced only while work is pending: an idle loaded model must not keep the CLI from exiting.
      this.worker.ref();
      this.worker.postMessage({ ...req, id });
    });
  }

  async encode(texts: readonly string[], kind: TextKind, stats?: EncodeStats): Promise<Encoded[]> {
    const r = await this.request({ op: 'encode', texts: [...texts], kind });
    if (stats && r.stats) addStats(stats, r.stats);
    return r.value as Encoded[];
  }

  async score(query: string, docs: readonly string[], stats?: EncodeStats): Promise<number[]> {
    const r = await this.request({ op: 'score', query, docs: [...docs] });
    if (stats && r.stats) addStats(stats, r.stats);
    return r.value as number[];
  }

  async release(): Promise<void> {
    if (!this.dead) await this.request({ op: 'close' }).catch(() => undefined);
    await this.worker.terminate();
  }
}

function addStats(into: EncodeStats, s: EncodeStats): void {
  into.texts += s.texts;
  into.batches += s.batches;
  into.paddedTokens += s.paddedTokens;
  into.realTokens += s.realTokens;
  into.truncated += s.truncated;
}
