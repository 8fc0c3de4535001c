// (No top-level await: Forge bundles this file as CommonJS.)
// The engine's own process (Electron's utilityProcess): indexing and encoding run here, so the window never stalls.
import { hostEngine } from '../ipc/engine-host.ts';
import { portTransport, unwrapElectronEvent, type NodePortLike } from '../ipc/ports.ts';
import type { Reply } from '../ipc/protocol.ts';

const parentPort = (process as unknown as { parentPort?: NodePortLike }).parentPort;
if (!parentPort) throw new Error('engine-process runs as an Electron utility process');

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

void hostEngine(portTransport<Reply>(parentPort, unwrapElectronEvent), {
  workspace: arg('--workspace') ?? '',
  demo: !process.argv.includes('--no-demo'),
  ...(arg('--demo-dir') ? { demoDir: arg('--demo-dir')! } : {}),
  ...(arg('--packs-dir') ? { packsDir: arg('--packs-dir')! } : {}),
});
