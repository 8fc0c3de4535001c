import { Worker } from 'node:worker_threads';
import { CancelledError, type JobContext } from '../jobs/progress.ts';
import { revive } from '../models/worker-model.ts';
import type { Workspace } from '../store/workspace.ts';
import type { TrainReport } from './job.ts';
import type { TrainWorkerReply, TrainWorkerRequest } from './train-worker.ts';

/**
 * Runs a training job on a worker thread: progress comes back as messages, a cancel goes there as one, and the
 * job checkpoints and stops as it would in-process.
 */
export function trainInWorker(ws: Workspace, request: TrainWorkerRequest, ctx: JobContext): Promise<TrainReport> {
  const worker = new Worker(new URL('./train-worker.ts', import.meta.url), { workerData: { dir: ws.dir, request } });
  const cancel = () => worker.postMessage('cancel');
  ctx.signal.addEventListener('abort', cancel, { once: true });
  return new Promise<TrainReport>((resolve, reject) => {
    let settled = false;
    worker.on('message', (m: TrainWorkerReply) => {
      if ('progress' in m) return ctx.progress(m.progress);
      settled = true;
      if (m.ok) resolve(m.value as TrainReport);
      else reject(m.error.name === 'CancelledError' ? Object.assign(new CancelledError(), { message: m.error.message }) : revive(m.error));
    });
    worker.on('error', (e) => {
      settled = true;
      reject(e);
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`the training worker stopped (exit ${code})`));
    });
  }).finally(() => ctx.signal.removeEventListener('abort', cancel));
}
