// The thread of one long job (see threads.ts): opens the workspace on its own connection, runs the job, and reports
// its progress, result or error to the engine's thread, which may cancel it.
import { enableCompileCache } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import type { JobContext } from '../engine/jobs/progress.ts';
import type { Workspace as WorkspaceType } from '../engine/store/workspace.ts';
import type { ThreadJobName, ThreadMessage } from './threads.ts';

// Each thread compiles the engine's modules again; Node's on-disk cache of compiled modules (as `pont` uses) halves that.
enableCompileCache?.();
const [{ lowerThreadPriority }, { Workspace }, { errorToMessage, threadJobs }] = await Promise.all([
  import('../engine/jobs/priority.ts'),
  import('../engine/store/workspace.ts'),
  import('./threads.ts'),
]);

if (!parentPort) throw new Error('thread-worker.ts runs as a worker thread');
const port = parentPort;
const { dir, name, input } = workerData as { dir: string; name: ThreadJobName; input: never };
const abort = new AbortController();
port.on('message', (m: { kind: 'cancel' }) => {
  if (m.kind === 'cancel') abort.abort();
});
const send = (m: ThreadMessage) => port.postMessage(m);
// The engine's thread answers searches: this job gives it the cores whenever both want them.
lowerThreadPriority();
let ws: WorkspaceType | undefined;
try {
  ws = Workspace.open(dir);
  // Off the search path, a job may wait for another job's long write (an HNSW slice, an index's segment) to end.
  ws.db.pragma('busy_timeout = 300000');
  const job = threadJobs[name] as (ws: WorkspaceType, input: never, ctx: JobContext) => Promise<unknown>;
  const value = await job(ws, input, { signal: abort.signal, progress: (progress) => send({ kind: 'progress', progress }) });
  send({ kind: 'result', value });
} catch (e) {
  send(errorToMessage(e));
} finally {
  // The engine's thread ends this thread once it has the answer.
  ws?.close();
}
