// The worker-thread side of `trainInWorker`: opens its own connection to the workspace (SQLite in WAL mode takes
// several) and runs the training job there, so the thread serving the UI, the HTTP server or the CLI stays free.
import { parentPort, workerData } from 'node:worker_threads';
import type { Progress } from '../jobs/progress.ts';
import { serialiseError } from '../models/worker-model.ts';
import '../store/schema.ts';
import { Workspace } from '../store/workspace.ts';
import { trainEncoder, type TrainEncoderRequest } from './job.ts';
import { pairSources } from './sources.ts';

export type TrainWorkerRequest = Omit<TrainEncoderRequest, 'sources'> & { pairs: string[] };
export type TrainWorkerReply = { progress: Progress } | { ok: true; value: unknown } | { ok: false; error: ReturnType<typeof serialiseError> };

const { dir, request } = workerData as { dir: string; request: TrainWorkerRequest };
const port = parentPort!;
const abort = new AbortController();
port.on('message', (m: 'cancel') => m === 'cancel' && abort.abort());
const ws = Workspace.open(dir);
try {
  const { pairs, ...rest } = request;
  const value = await trainEncoder(ws, { ...rest, sources: pairSources(ws.db, pairs) }, { signal: abort.signal, progress: (p) => port.postMessage({ progress: p } satisfies TrainWorkerReply) });
  port.postMessage({ ok: true, value } satisfies TrainWorkerReply);
} catch (e) {
  port.postMessage({ ok: false, error: serialiseError(e) } satisfies TrainWorkerReply);
} finally {
  ws.close();
  port.close();
}
