import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import type { Cli } from '../context.ts';
import { UsageError } from '../context.ts';
import { defaultWorkspaceDir } from '../../engine/store/location.ts';

export const rendererDist = fileURLToPath(new URL('../../../renderer/dist/', import.meta.url));

/** Opens the URL in the system's browser when there is one; a machine without a display just gets the printed URL. */
export function openInBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : process.platform === 'darwin' ? ['open', [url]] : ['xdg-open', [url]];
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return;
  try {
    const child = spawn(cmd, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
  } catch {
    // No opener installed: the URL is printed anyway.
  }
}

export function registerServeCommands(program: Command, cli: Cli): void {
  program
    .command('serve')
    .description('Serve the application to a browser on this machine (127.0.0.1 only, with a secret token in the URL)')
    .option('--port <n>', 'port to listen on (default: a free one)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--port must be a port number, not "${v}"`);
      return n;
    })
    .option('--max-upload-mb <n>', "the most one upload (a file, or a folder's files) may hold, in MiB (default 4096)", (v) => {
      const n = Number(v);
      if (!(n > 0) || !Number.isFinite(n)) throw new UsageError(`--max-upload-mb must be a positive number, not "${v}"`);
      return n;
    })
    .option('--no-open', 'do not open a browser')
    .action(async (o: { port?: number; maxUploadMb?: number; open: boolean }) => {
      const [{ startHttpServer }, { startEngineWorker }] = await Promise.all([import('../../http/server.ts'), import('../../ipc/worker.ts')]);
      const workspace = cli.options.workspace ?? defaultWorkspaceDir();
      const engine = startEngineWorker({ workspace, demo: cli.options.demo !== false });
      // Fail now, with the reason, if the workspace cannot be opened (damaged, not a workspace, no permission).
      try {
        await engine.client.call('app.info', {});
      } catch (e) {
        await engine.stop();
        throw e;
      }
      let server;
      try {
        server = await startHttpServer({
          engine: engine.client,
          ...(o.port !== undefined ? { port: o.port } : {}),
          ...(o.maxUploadMb !== undefined ? { maxUploadBytes: Math.round(o.maxUploadMb * 2 ** 20) } : {}),
          ...(existsSync(rendererDist) ? { staticDir: rendererDist } : {}),
        });
      } catch (e) {
        await engine.stop();
        throw e;
      }
      if (!existsSync(rendererDist)) process.stderr.write('pont: the interface is not built (npm run build:renderer); serving the API only\n');
      process.stdout.write(`Pont is running on the workspace ${workspace}\nOpen ${server.openUrl}\nPress Ctrl-C to stop.\n`);
      if (o.open) openInBrowser(server.openUrl);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await server.close();
      await engine.stop();
    });
}
