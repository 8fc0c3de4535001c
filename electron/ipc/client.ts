import type { ProgressListener } from '../engine/jobs/progress.ts';
import type { EngineLike } from './dispatch.ts';
import { isReply, RemoteError, type Reply, type Request, type Transport } from './protocol.ts';

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  onProgress?: ProgressListener;
}

/**
 * Calls an engine on the far side of a transport. Each call gets an id; progress and the answer come back tagged
 * with it, and aborting the call's signal sends a cancel.
 */
export class EngineClient implements EngineLike {
  private readonly transport: Transport<Request, unknown>;
  private readonly pending = new Map<string, Pending>();
  private readonly unsubscribe: () => void;
  private next = 0;
  private readonly prefix: string;

  constructor(transport: Transport<Request, unknown>, prefix = 'c') {
    this.transport = transport;
    this.prefix = prefix;
    this.unsubscribe = transport.subscribe((m) => {
      if (isReply(m)) this.receive(m);
    });
  }

  private receive(m: Reply): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    if (m.kind === 'progress') {
      p.onProgress?.(m.progress);
      return;
    }
    this.pending.delete(m.id);
    if (m.kind === 'result') p.resolve(m.value);
    else p.reject(new RemoteError(m.error));
  }

  call(method: string, input: unknown, options: { signal?: AbortSignal; onProgress?: ProgressListener } = {}): Promise<unknown> {
    const id = `${this.prefix}${++this.next}`;
    const { signal, onProgress } = options;
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(new RemoteError({ code: 'cancelled', message: `${method} was cancelled`, details: [] }));
        return;
      }
      const onAbort = () => this.transport.send({ kind: 'cancel', id });
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, {
        resolve: (v) => (done(), resolve(v)),
        reject: (e) => (done(), reject(e)),
        ...(onProgress ? { onProgress } : {}),
      });
      this.transport.send({ kind: 'call', id, method, input });
    });
  }

  /** The far side went away: every call still waiting fails instead of hanging. */
  fail(message: string): void {
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.reject(new RemoteError({ code: 'unavailable', message, details: [] }));
    }
  }

  close(): void {
    this.unsubscribe();
    this.fail('the engine connection was closed');
  }
}
