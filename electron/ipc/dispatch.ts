import type { ProgressListener } from '../engine/jobs/progress.ts';
import { isRequest, toWireError, type Reply, type Request, type Transport } from './protocol.ts';

/** What serves calls: the Engine itself, or a client of an engine in another process. */
export interface EngineLike {
  call(method: string, input: unknown, options?: { signal?: AbortSignal; onProgress?: ProgressListener }): Promise<unknown>;
}

/**
 * Serves an engine over a transport: runs each call, streams its progress, answers with its result or error, and
 * aborts it when a cancel arrives. Progress is throttled by the engine's ProgressMeter, so it is forwarded as is.
 */
export function serveEngine(transport: Transport<Reply, unknown>, engine: EngineLike): () => void {
  const running = new Map<string, AbortController>();

  const handle = async (req: Request & { kind: 'call' }): Promise<void> => {
    const abort = new AbortController();
    running.set(req.id, abort);
    try {
      const value = await engine.call(req.method, req.input, {
        signal: abort.signal,
        onProgress: (progress) => transport.send({ kind: 'progress', id: req.id, progress }),
      });
      transport.send({ kind: 'result', id: req.id, value });
    } catch (e) {
      transport.send({ kind: 'error', id: req.id, error: toWireError(e) });
    } finally {
      running.delete(req.id);
    }
  };

  const unsubscribe = transport.subscribe((m) => {
    if (!isRequest(m)) return;
    if (m.kind === 'cancel') running.get(m.id)?.abort();
    else if (running.has(m.id)) transport.send({ kind: 'error', id: m.id, error: { code: 'conflict', message: `call ${m.id} is already running`, details: [] } });
    else void handle(m);
  });

  return () => {
    unsubscribe();
    for (const a of running.values()) a.abort();
  };
}
