import { parentPort, workerData } from 'node:worker_threads';
import { hostEngine, type HostOptions } from './engine-host.ts';
import { portTransport } from './ports.ts';
import type { Reply } from './protocol.ts';

// The HTTP server's engine runs in this worker thread, so that a long import or index build never stalls the HTTP server.
if (!parentPort) throw new Error('engine-worker.ts runs as a worker thread');
await hostEngine(portTransport<Reply>(parentPort), workerData as HostOptions);
