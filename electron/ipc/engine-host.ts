import { Engine } from '../api/engine.ts';
import { PontError } from '../engine/errors.ts';
import { wantsDemo } from '../engine/demo/wants.ts';
import { Workspace } from '../engine/store/workspace.ts';
import { DEFAULT_PACKS_DIR, installBundledPacks } from '../engine/packs/install.ts';
import type { EngineLike } from './dispatch.ts';
import { serveEngine } from './dispatch.ts';
import type { Reply, Transport } from './protocol.ts';

export interface HostOptions {
  workspace: string;
  /** Put the demo into a workspace this open creates. */
  demo: boolean;
  /** Where the demo's files are, when not next to the sources (a packaged app keeps them in its resources). */
  demoDir?: string;
  /** Content packs shipped with the application (resources/packs), installed once each on first start. */
  packsDir?: string;
}

/**
 * Opens the workspace and serves its engine. When the workspace cannot be opened (damaged, locked, unreadable),
 * every call gets that reason as an 'unavailable' error, so the window can say what is wrong instead of hanging.
 */
export async function hostEngine(transport: Transport<Reply, unknown>, options: HostOptions): Promise<() => void> {
  let engine: EngineLike;
  let close = () => {};
  try {
    const workspace = Workspace.open(options.workspace);
    // Seeding (importers, index builders, the bridge trainer that starts a worker thread) is loaded only by the
    // open that seeds: opening a workspace again neither imports nor starts any of it.
    if (options.demo && wantsDemo(workspace)) {
      const { seedDemo } = await import('../engine/demo/seed.ts');
      await seedDemo(workspace, ...(options.demoDir ? [options.demoDir] : []));
    }
    const bundled = await installBundledPacks(workspace, options.packsDir ?? DEFAULT_PACKS_DIR);
    for (const f of bundled.failed) process.stderr.write(`pont: the pack ${f.file} shipped with the application was not installed: ${f.error}\n`);
    // Searches are answered on this thread: long jobs get threads of their own.
    const real = new Engine(workspace, { jobThreads: true });
    engine = real;
    close = () => real.close();
  } catch (e) {
    const reason = (e as Error).message;
    engine = {
      call: () => Promise.reject(new PontError('unavailable', 'workspace.unavailable', { folder: options.workspace, reason }, [{ file: options.workspace, reason }])),
    };
  }
  const stop = serveEngine(transport, engine);
  return () => {
    stop();
    close();
  };
}
