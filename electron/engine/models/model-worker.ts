// The worker-thread side of `WorkerModel`: owns one ModelRunner, so tokenising and onnxruntime's calls never block
// the thread that serves the UI, the HTTP server or the SQLite writes.
import { parentPort, workerData } from 'node:worker_threads';
import type { MessageId, MessageParams } from '../errors.ts';
import type { ModelManifest } from './manifest.ts';
import { serialiseError } from './worker-model.ts';
import { ModelRunner, type EncodeStats, type RunnerOptions, type TextKind } from './runner.ts';

export type WorkerRequest =
  | { id: number; op: 'encode'; texts: string[]; kind: TextKind }
  | { id: number; op: 'score'; query: string; docs: string[] }
  | { id: number; op: 'close' };

export type WorkerReply = { id: number; ok: true; value: unknown; stats?: EncodeStats } | { id: number; ok: false; error: { name: string; code?: string; message: string; details?: unknown; id?: MessageId; params?: MessageParams } };

const { dir, manifest, options } = workerData as { dir: string; manifest: ModelManifest; options: RunnerOptions };
const port = parentPort!;

const serialise = serialiseError;

try {
  const runner = await ModelRunner.open(dir, manifest, options);
  port.postMessage({ ready: true, provider: runner.provider, precision: runner.precision });
  port.on('message', async (req: WorkerRequest) => {
    try {
      const stats: EncodeStats = { texts: 0, batches: 0, paddedTokens: 0, realTokens: 0, truncated: 0 };
      if (req.op === 'close') {
        await runner.release();
        port.postMessage({ id: req.id, ok: true, value: null } satisfies WorkerReply);
        port.close();
        return;
      }
      const value = req.op === 'encode' ? await runner.encode(req.texts, req.kind, stats) : await runner.score(req.query, req.docs, stats);
      port.postMessage({ id: req.id, ok: true, value, stats } satisfies WorkerReply);
    } catch (e) {
      port.postMessage({ id: req.id, ok: false, error: serialise(e) } satisfies WorkerReply);
    }
  });
} catch (e) {
  port.postMessage({ ready: false, error: serialise(e) });
}
