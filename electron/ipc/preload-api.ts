import type { Progress } from '../engine/jobs/progress.ts';
import type { PreloadApi } from '../api/contract/app.ts';
import { isReply, type Request, type Transport, type WireError } from './protocol.ts';

export type { PreloadApi };

/**
 * Builds the preload's API over a transport to the main process. Errors cross contextBridge as plain Errors that
 * lose their own properties, so the engine's error travels as JSON in the message (the renderer parses it back).
 */
export function createPreloadApi(transport: Transport<Request, unknown>, choosePath: (kind: 'file' | 'folder') => Promise<string | null>): PreloadApi {
  const pending = new Map<string, { resolve(v: unknown): void; reject(e: Error): void; onProgress(p: Progress): void }>();
  transport.subscribe((m) => {
    if (!isReply(m)) return;
    const p = pending.get(m.id);
    if (!p) return;
    if (m.kind === 'progress') return p.onProgress(m.progress);
    pending.delete(m.id);
    if (m.kind === 'result') p.resolve(m.value);
    else p.reject(new Error(JSON.stringify(m.error satisfies WireError)));
  });
  return {
    call: (id, method, input, onProgress) =>
      new Promise((resolve, reject) => {
        if (typeof id !== 'string' || typeof method !== 'string' || pending.has(id)) {
          reject(new Error(JSON.stringify({ code: 'invalid_input', message: 'bad call id or method', details: [] })));
          return;
        }
        pending.set(id, { resolve, reject, onProgress: (p) => onProgress?.(p) });
        transport.send({ kind: 'call', id, method, input });
      }),
    cancel: (id) => transport.send({ kind: 'cancel', id }),
    choosePath: (kind) => choosePath(kind === 'folder' ? 'folder' : 'file'),
  };
}
