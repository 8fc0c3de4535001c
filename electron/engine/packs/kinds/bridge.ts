import { join } from 'node:path';
import { exportBridge, importBridge } from '../../bridge/file.ts';
import { deleteBridge, findBridge, getBridge } from '../../bridge/store.ts';
import type { ItemKind } from './kind.ts';

/** A lexical bridge, as the bridge file its own subsystem exports and imports (versioned JSON with provenance). */
export const bridgeKind: ItemKind = {
  kind: 'bridge',
  order: 40,
  option: 'bridge',

  export(ws, name, dir) {
    const b = getBridge(ws.db, name);
    const file = join(dir, `bridge-${b.id}.json`);
    exportBridge(ws.db, name, file);
    return { name: b.name, title: `${b.from} → ${b.to}`, meta: { from: b.from, to: b.to, entries: b.entries }, parts: [{ file, format: 'file' }] };
  },

  exists: (db, name) => findBridge(db, name) !== undefined,

  install(ws, item, parts) {
    importBridge(ws.db, parts[0]!.file, item.name);
  },

  remove(ws, name) {
    deleteBridge(ws.db, name);
  },
};
