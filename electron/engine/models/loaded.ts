import { PontError } from '../errors.ts';
import type { Workspace } from '../store/workspace.ts';
import type { Precision } from './manifest.ts';
import { getPack, getSetting } from './packs.ts';
import { providerIds, type ProviderChoice } from './providers.ts';
import { WorkerModel } from './worker-model.ts';

export interface LoadOptions {
  provider?: ProviderChoice;
  precision?: Precision;
  threads?: number;
  batchSize?: number;
}

/** The user's runtime choices, stored in the workspace: which provider, and how many threads per model. */
export interface ModelSettings {
  provider: ProviderChoice;
  threads: number | null;
  batchSize: number;
}

export function readSettings(ws: Workspace): ModelSettings {
  const provider = getSetting(ws.db, 'provider') ?? 'auto';
  const threads = getSetting(ws.db, 'threads');
  const batch = getSetting(ws.db, 'batchSize');
  return {
    provider: provider === 'auto' || (providerIds as readonly string[]).includes(provider) ? (provider as ProviderChoice) : 'auto',
    threads: threads ? Number(threads) : null,
    batchSize: batch ? Number(batch) : 16,
  };
}

const loaded = new Map<string, Promise<WorkerModel>>();

/** A model pack on its worker thread, loaded once per process for the same settings and reused by later calls. */
export function loadModel(ws: Workspace, name: string, o: LoadOptions = {}): Promise<WorkerModel> {
  const { manifest, dir } = getPack(ws, name);
  const s = readSettings(ws);
  const options = {
    provider: o.provider ?? s.provider,
    ...(o.precision ? { precision: o.precision } : {}),
    ...((o.threads ?? s.threads) ? { intraOpThreads: (o.threads ?? s.threads)! } : {}),
    batchSize: o.batchSize ?? s.batchSize,
  };
  const key = JSON.stringify([dir, manifest.checksum, options]);
  let model = loaded.get(key);
  if (!model) {
    // Settings changed since this model was loaded: the old copy goes, so memory holds one copy per model.
    for (const [k, m] of [...loaded]) {
      if (JSON.parse(k)[0] !== dir) continue;
      loaded.delete(k);
      void m.then((old) => old.release(), () => undefined);
    }
    model = WorkerModel.open(dir, manifest, options);
    loaded.set(key, model);
    model.catch(() => loaded.delete(key));
  }
  return model;
}

/** Unloads every copy of a model (before deleting it), or all of them. */
export async function unloadModels(dir?: string): Promise<void> {
  for (const [key, m] of [...loaded]) {
    if (dir && JSON.parse(key)[0] !== dir) continue;
    loaded.delete(key);
    await (await m.catch(() => undefined))?.release();
  }
}

export function assertRole(name: string, role: string, allowed: readonly string[], what: string): void {
  if (!allowed.includes(role)) {
    throw new PontError('invalid_input', 'model.wrong_role', { model: name, role, what, allowed: allowed.join(' or ') }, [{ field: 'model', reason: `role ${role}` }]);
  }
}
