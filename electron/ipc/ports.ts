import type { Transport } from './protocol.ts';

/** A worker_threads MessagePort, a Worker, or Electron's parentPort / UtilityProcess: `postMessage` + 'message' events. */
export interface NodePortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (data: unknown) => void): unknown;
  off(event: 'message', listener: (data: unknown) => void): unknown;
}

export function portTransport<Out, In = unknown>(port: NodePortLike, unwrap: (data: unknown) => unknown = (d) => d): Transport<Out, In> {
  return {
    send: (m) => port.postMessage(m),
    subscribe: (handler) => {
      const listener = (data: unknown) => handler(unwrap(data) as In);
      port.on('message', listener);
      return () => void port.off('message', listener);
    },
  };
}

/** Electron's utility-process parentPort wraps each message in an event whose `data` holds it. */
export const unwrapElectronEvent = (e: unknown): unknown => (e as { data?: unknown })?.data;
