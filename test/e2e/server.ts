// The engine the browser suite talks to: a fresh temporary workspace (seeded with the demo, as a new user's is),
// served by the real HTTP server with a token the tests know. Its folder is named by the port and emptied at start:
// Playwright stops the server through the shell that started it, so the removal at stop does not always run.
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHttpServer } from '../../electron/http/server.ts';
import { startEngineWorker } from '../../electron/ipc/worker.ts';
import { rendererDist } from '../../electron/cli/commands/serve.ts';
import { E2E_TOKEN } from './token.ts';

const port = Number(process.env.PONT_E2E_PORT ?? 4599);
const dir = join(tmpdir(), `pont-e2e-${port}`);
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir);
const engine = startEngineWorker({ workspace: dir, demo: true });
await engine.client.call('app.info', {});
const server = await startHttpServer({ engine: engine.client, port, staticDir: rendererDist, token: E2E_TOKEN });
console.log(`e2e engine on ${dir}, ${server.url}`);

const stop = async () => {
  await server.close();
  await engine.stop();
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
