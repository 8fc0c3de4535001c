import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPack } from '../../electron/engine/packs/build.ts';
import { noJob } from '../../electron/engine/jobs/progress.ts';
import { startEngineWorker } from '../../electron/ipc/worker.ts';
import { tempDir, tempWorkspace } from '../helpers/workspace.ts';
import { repoRoot } from '../cli/run-cli.ts';
import { seedItalian } from './helpers.ts';

const require = createRequire(import.meta.url);
const config = JSON.parse(readFileSync(join(repoRoot, 'electron-builder.json'), 'utf8')) as {
  extraResources: { from: string; to: string; filter?: string[] }[];
  nsis: Record<string, unknown>;
  linux: { target: string[] };
  mac: { target: string[] };
  win: { target: string[] };
};

describe('distribution: what can be checked without Electron’s binary', () => {
  it('electron-builder.json passes electron-builder’s own validation, with NSIS per-user, AppImage, .deb and dmg', async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
      validateConfiguration(c: unknown, log: { isEnabled: boolean; add(): void }): Promise<void>;
    };
    await validateConfiguration(config, { isEnabled: false, add: () => {} });
    await expect(validateConfiguration({ ...config, nsis: { perUser: true } }, { isEnabled: false, add: () => {} })).rejects.toThrow(/Invalid configuration object/);
    expect(config.nsis).toMatchObject({ perMachine: false, allowElevation: false });
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.win.target).toEqual(['nsis']);
  });

  it('a pack put in resources/packs lands in the app’s resources and is installed by the engine on first start, once', async () => {
    const src = tempWorkspace();
    await seedItalian(src.db);
    const tree = tempDir();
    mkdirSync(join(tree, 'resources', 'packs'), { recursive: true });
    await buildPack(src, { output: join(tree, 'resources', 'packs', 'sicily.pontpack'), items: [{ kind: 'collection', name: 'demo-it' }] }, noJob);
    // The packaged app's resources folder, laid out as extraResources says (from → to, filtered).
    const resourcesPath = tempDir();
    for (const r of config.extraResources.filter((x) => x.to === 'packs')) {
      mkdirSync(join(resourcesPath, r.to), { recursive: true });
      for (const f of readdirSync(join(tree, r.from))) if (f.endsWith('.pontpack')) copyFileSync(join(tree, r.from, f), join(resourcesPath, r.to, f));
    }
    expect(readdirSync(join(resourcesPath, 'packs'))).toEqual(['sicily.pontpack']);
    const workspace = tempDir();
    for (let start = 0; start < 2; start++) {
      const engine = startEngineWorker({ workspace, demo: false, packsDir: join(resourcesPath, 'packs') });
      try {
        const packs = (await engine.client.call('pack.list', {})) as { name: string; source: string }[];
        expect(packs.map((p) => [p.name, p.source])).toEqual([['sicily', 'bundled:sicily.pontpack']]);
        const hits = (await engine.client.call('search', { collection: 'demo-it', query: 'Etna' })) as { hits: unknown[] };
        expect(hits.hits.length).toBeGreaterThan(0);
      } finally {
        await engine.stop();
      }
    }
  });
});
