import pkg from '../../../package.json' with { type: 'json' };
import type { HandlersFor } from '../define.ts';
import type { appMethods } from '../contract/app.ts';
import { contract } from '../contract/index.ts';
import { getCollection } from '../../engine/store/collections.ts';

export const appHandlers: HandlersFor<typeof appMethods> = {
  'app.info': (_input, { workspace }) => ({ version: pkg.version, workspace: workspace.dir, methods: Object.keys(contract).sort() }),

  'app.titles': ({ collection, limit }, { workspace }) => {
    const c = getCollection(workspace.db, collection);
    return workspace.db
      .prepare("SELECT DISTINCT title FROM documents WHERE collection_id = ? AND title IS NOT NULL AND title <> '' LIMIT ?")
      .pluck()
      .all(c.id, limit) as string[];
  },
};
