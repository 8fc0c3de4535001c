import { Worker } from 'node:worker_threads';
import { PontError, type ErrorJson } from '../engine/errors.ts';
import { CancelledError, throwIfCancelled, type JobContext, type Progress } from '../engine/jobs/progress.ts';
import type { Workspace } from '../engine/store/workspace.ts';
import type { BuildOptions, BuildReport } from '../engine/lexical/builder.ts';
import type { CollectionImportOptions } from '../engine/import/importer.ts';
import type { ImportReport } from '../engine/import/report.ts';
import type { AnnChoice, BuildReport as DenseBuildReport } from '../engine/dense/index.ts';

/**
 * Long jobs that may run in a thread of their own, each on its own connection to the workspace database. In the
 * application and `pont serve` the engine's thread answers searches; a job run there would stall them whenever it
 * runs a long synchronous step (joining and writing an index's segments, an HNSW graph's slices, an import's batch).
 * On its own thread and connection, the job writes while searches read (WAL: one writer, readers see the last
 * committed state and never wait for it). Each job is named here, with its module loaded only when it runs.
 */
export const threadJobs = {
  'index.build': async (ws: Workspace, o: BuildOptions, ctx: JobContext): Promise<BuildReport> =>
    (await import('../engine/lexical/builder.ts')).buildIndex(ws.db, o, ctx),
  'collection.import': async (ws: Workspace, o: CollectionImportOptions, ctx: JobContext): Promise<ImportReport> =>
    (await import('../engine/import/importer.ts')).importCollection(ws.db, o, ctx),
  'dense.index': async (ws: Workspace, o: { collection: string; model: string; ann: AnnChoice }, ctx: JobContext): Promise<DenseBuildReport> =>
    (await import('../engine/dense/index.ts')).buildDenseIndex(ws, o.collection, o.model, ctx, 256, o.ann),
};

export type ThreadJobName = keyof typeof threadJobs;
type JobInput<K extends ThreadJobName> = Parameters<(typeof threadJobs)[K]>[1];
type JobOutput<K extends ThreadJobName> = Awaited<ReturnType<(typeof threadJobs)[K]>>;

/** What the job's thread sends back. */
export type ThreadMessage =
  | { kind: 'progress'; progress: Progress }
  | { kind: 'result'; value: unknown }
  | { kind: 'error'; error: ErrorJson | { name: string; message: string; code?: string; stack?: string } };

/** An error as it crosses the thread boundary: PontErrors and cancellations as themselves, others with their code. */
export function errorToMessage(e: unknown): ThreadMessage & { kind: 'error' } {
  if (e instanceof PontError) return { kind: 'error', error: e.toJSON() };
  const err = e instanceof Error ? e : new Error(String(e));
  const code = (err as { code?: unknown }).code;
  return { kind: 'error', error: { name: err.name, message: err.message, ...(typeof code === 'string' ? { code } : {}), ...(err.stack ? { stack: err.stack } : {}) } };
}

function errorFromMessage(m: ThreadMessage & { kind: 'error' }): Error {
  const e = m.error;
  if ('id' in e && e.id) return new PontError(e.code, e.id, e.params, e.details);
  const plain = e as { name: string; message: string; code?: string; stack?: string };
  if (plain.name === 'CancelledError') return Object.assign(new CancelledError(), { message: plain.message });
  // SQLite's and the file system's codes decide how the engine reports a failure (a full disk, a read-only folder).
  return Object.assign(new Error(plain.message), { name: plain.name, ...(plain.code ? { code: plain.code } : {}), ...(plain.stack ? { stack: plain.stack } : {}) });
}

/**
 * Runs a long job: in a thread of its own when `threaded` (the application and `pont serve`), else here (the command
 * line and tests, where nothing waits on this thread). Progress and cancellation cross the thread boundary; the
 * job's checkpoints are in the database, so a job killed with its thread resumes as after a crash.
 */
export async function runJob<K extends ThreadJobName>(ws: Workspace, name: K, input: JobInput<K>, ctx: JobContext, threaded: boolean): Promise<JobOutput<K>> {
  const job = threadJobs[name] as (ws: Workspace, input: JobInput<K>, ctx: JobContext) => Promise<JobOutput<K>>;
  if (!threaded) return job(ws, input, ctx);
  throwIfCancelled(ctx.signal, name);
  const worker = new Worker(new URL('./thread-worker.ts', import.meta.url), { workerData: { dir: ws.dir, name, input } });
  const cancel = () => worker.postMessage({ kind: 'cancel' });
  ctx.signal.addEventListener('abort', cancel, { once: true });
  try {
    return await new Promise<JobOutput<K>>((resolve, reject) => {
      worker.on('message', (m: ThreadMessage) => {
        if (m.kind === 'progress') ctx.progress(m.progress);
        else if (m.kind === 'result') resolve(m.value as JobOutput<K>);
        else reject(errorFromMessage(m));
      });
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the ${name} thread stopped (exit code ${code})`)));
    });
  } finally {
    ctx.signal.removeEventListener('abort', cancel);
    await worker.terminate();
  }
}
