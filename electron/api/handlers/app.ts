import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pkg from '../../../package.json' with { type: 'json' };
import type { HandlersFor } from '../define.ts';
import type { appMethods } from '../contract/app.ts';
import { subsystemOf } from '../contract/index.ts';
import { getCollection } from '../../engine/store/collections.ts';

export const appHandlers: HandlersFor<typeof appMethods> = {
  'app.info': (_input, { workspace }) => ({ version: pkg.version, workspace: workspace.dir, methods: Object.keys(subsystemOf).sort() }),

  // The interface cannot write files (a browser has no file system), so its experiments live in the workspace; the
  // outputs (tables, CSV, LaTeX, plots, runs) go next to the definition.
  'app.saveExperiment': ({ name, definition }, { workspace }) => {
    const dir = join(workspace.dir, 'experiments');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${name}.json`);
    writeFileSync(file, `${JSON.stringify({ ...definition, name, output: `${name}-results` }, null, 2)}\n`);
    return { file };
  },

  'app.titles': ({ collection, limit }, { workspace }) => {
    const c = getCollection(workspace.db, collection);
    return workspace.db
      .prepare("SELECT DISTINCT title FROM documents WHERE collection_id = ? AND title IS NOT NULL AND title <> '' LIMIT ?")
      .pluck()
      .all(c.id, limit) as string[];
  },
};
