import type { Progress } from '../engine/jobs/progress.ts';
import type { ErrorCode, ErrorDetail, ErrorJson, MessageId, MessageParams } from '../engine/errors.ts';

/**
 * The messages that carry API calls between processes (preload ↔ main ↔ engine utility process, or the HTTP server ↔
 * its engine worker). They are plain structured-clone data, so any port that can post objects carries them:
 * Electron's MessagePortMain and parentPort, worker_threads ports, or child_process IPC.
 */
export type Request =
  | { kind: 'call'; id: string; method: string; input: unknown }
  | { kind: 'cancel'; id: string };

export type WireError = ErrorJson;

export type Reply =
  | { kind: 'progress'; id: string; progress: Progress }
  | { kind: 'result'; id: string; value: unknown }
  | { kind: 'error'; id: string; error: WireError };

export type Message = Request | Reply;

/** Anything that can send a message and deliver the messages it receives; returns an unsubscribe function. */
export interface Transport<Out, In> {
  send(message: Out): void;
  subscribe(handler: (message: In) => void): () => void;
}

const kinds = new Set(['call', 'cancel', 'progress', 'result', 'error']);

/** Messages come from another process: check their shape before acting on them. */
export function isMessage(m: unknown): m is Message {
  if (typeof m !== 'object' || m === null) return false;
  const r = m as Record<string, unknown>;
  if (typeof r.kind !== 'string' || !kinds.has(r.kind) || typeof r.id !== 'string' || r.id.length === 0 || r.id.length > 100) return false;
  if (r.kind === 'call') return typeof r.method === 'string';
  if (r.kind === 'error') return typeof r.error === 'object' && r.error !== null;
  return true;
}

export function isRequest(m: unknown): m is Request {
  return isMessage(m) && (m.kind === 'call' || m.kind === 'cancel');
}

export function isReply(m: unknown): m is Reply {
  return isMessage(m) && (m.kind === 'progress' || m.kind === 'result' || m.kind === 'error');
}

/** An error as it crossed a process boundary, with the engine's code and details intact. */
export class RemoteError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetail[];
  readonly id: MessageId | undefined;
  readonly params: MessageParams | undefined;

  constructor(e: WireError) {
    super(e.message);
    this.name = 'PontError';
    this.code = e.code;
    this.details = e.details;
    this.id = e.id;
    this.params = e.params;
  }

  toJSON(): WireError {
    return { code: this.code, message: this.message, details: this.details, ...(this.id ? { id: this.id, params: this.params ?? {} } : {}) };
  }
}

/** Turns whatever a handler threw into wire form; unknown errors keep their message but lose their stack. */
export function toWireError(e: unknown): WireError {
  const r = e as { code?: unknown; message?: unknown; details?: unknown; name?: unknown; id?: unknown; params?: unknown } | null;
  if (r && typeof r.code === 'string' && typeof r.message === 'string' && (r.name === 'PontError' || Array.isArray(r.details))) {
    const coded = typeof r.id === 'string' ? { id: r.id as MessageId, params: (r.params ?? {}) as MessageParams } : {};
    return { code: r.code as ErrorCode, message: r.message, details: Array.isArray(r.details) ? (r.details as ErrorDetail[]) : [], ...coded };
  }
  return { code: 'internal', message: e instanceof Error ? e.message : String(e), details: [] };
}
