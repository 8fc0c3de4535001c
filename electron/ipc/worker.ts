import { Worker } from 'node:worker_threads';
import { EngineClient } from './client.ts';
import type { HostOptions } from './engine-host.ts';
import { portTransport } from './ports.ts';
import type { Request } from './protocol.ts';

/** Starts the engine in a worker thread and returns a client for it. */
export function startEngineWorker(options: HostOptions): { client: EngineClient; stop(): Promise<void> } {
  const worker = new Worker(new URL('./engine-worker.ts', import.meta.url), { workerData: options });
  const client = new EngineClient(portTransport<Request>(worker), 'w');
  worker.on('error', (e) => client.fail(`the engine stopped: ${e.message}`));
  worker.on('exit', (code) => client.fail(`the engine stopped (exit code ${code})`));
  return {
    client,
    stop: async () => {
      client.close();
      await worker.terminate();
    },
  };
}
