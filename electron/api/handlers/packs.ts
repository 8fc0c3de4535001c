import type { HandlersFor } from '../define.ts';
import type { packMethods } from '../contract/packs.ts';
import { buildPack, type PackItemChoice } from '../../engine/packs/build.ts';
import { installPack, packFiles } from '../../engine/packs/install.ts';
import { itemKind } from '../../engine/packs/kinds/index.ts';
import { generateKeys } from '../../engine/packs/signing.ts';
import { listInstalled, packDefaults, removeInstalled } from '../../engine/packs/store.ts';
import { verifyPackFile } from '../../engine/packs/verify.ts';
import { unloadModels } from '../../engine/models/loaded.ts';
import { packDir } from '../../engine/models/packs.ts';

export const packHandlers: HandlersFor<typeof packMethods> = {
  'pack.build': (input, ctx) => {
    const chosen: [string, string[]][] = [
      ['collection', input.collections],
      ['queries', input.queries],
      ['bridge', input.bridges],
      ['model', input.models],
    ];
    const items: PackItemChoice[] = chosen.flatMap(([kind, list]) =>
      list.map((n) => {
        itemKind(kind, kind === 'queries' ? 'queries' : `${kind}s`);
        return { kind, name: n, title: input.itemTitles[n], licence: input.itemLicences[n] };
      }),
    );
    return buildPack(
      ctx.workspace,
      { output: input.output, name: input.name, title: input.title, licence: input.licence, description: input.description, items, defaults: { language: input.language, variety: input.variety }, sign: input.sign },
      ctx,
    );
  },

  'pack.verify': ({ path, trust }, ctx) => verifyPackFile(path, trust, ctx),

  'pack.install': async ({ path, replace, trust, allowUntrusted }, ctx) => {
    const reports = [];
    for (const file of packFiles(path)) reports.push(await installPack(ctx.workspace, file, { replace, trust, allowUntrusted }, ctx));
    return reports;
  },

  'pack.list': (_input, { workspace }) => listInstalled(workspace.db),

  'pack.remove': async ({ name }, { workspace }) => {
    // A model's worker may hold its files open (Windows cannot delete them then).
    for (const p of listInstalled(workspace.db).filter((p) => p.name === name)) {
      for (const it of p.items) if (it.kind === 'model') await unloadModels(packDir(workspace, it.name));
    }
    return removeInstalled(workspace, name);
  },

  'pack.defaults': (_input, { workspace }) => packDefaults(workspace.db),

  'pack.keygen': ({ output }) => generateKeys(output),
};
