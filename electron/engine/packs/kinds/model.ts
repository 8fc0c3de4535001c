import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PontError } from '../../errors.ts';
import { dropDenseIndexes } from '../../dense/index.ts';
import { getPack, packDir } from '../../models/packs.ts';
import type { ModelManifest } from '../../models/manifest.ts';
import type { ItemKind } from './kind.ts';

/**
 * A model pack (encoder, re-ranker, or a trained model, which is an ordinary model pack): each file is a part of
 * its own, copied as it is, and the model's manifest travels in the item's meta.
 */
export const modelKind: ItemKind = {
  kind: 'model',
  order: 30,
  option: 'model',

  export(ws, name) {
    const { manifest, dir } = getPack(ws, name);
    return {
      name,
      title: name,
      meta: { manifest, role: manifest.role },
      parts: manifest.files.map((f) => ({ file: join(dir, f.path), format: 'file' as const, target: f.path })),
    };
  },

  exists: (db, name) => db.prepare('SELECT 1 FROM models WHERE name = ?').get(name) !== undefined,

  install(ws, item, parts) {
    const manifest = item.meta.manifest as ModelManifest | undefined;
    if (!manifest || typeof manifest !== 'object' || !Array.isArray(manifest.files)) {
      throw new PontError('bad_data', 'pack.no_model_manifest', { model: item.name }, [{ field: `items.${item.name}.meta.manifest`, reason: 'missing' }]);
    }
    const final = packDir(ws, item.name);
    // A folder without a row is what a crash between the move and the commit leaves: it is ours to replace.
    if (existsSync(final)) rmSync(final, { recursive: true, force: true });
    for (const s of parts) {
      const target = join(final, s.part.target ?? '');
      if (!s.part.target || !target.startsWith(final + '/') && !target.startsWith(final + '\\')) {
        throw new PontError('bad_data', 'pack.unsafe_target', { part: s.part.path, model: item.name }, [{ field: s.part.path, reason: `target ${s.part.target ?? '(none)'}` }]);
      }
      mkdirSync(dirname(target), { recursive: true });
      renameSync(s.file, target);
    }
    const bytes = manifest.files.reduce((a, f) => a + f.bytes, 0);
    ws.db
      .prepare('INSERT INTO models (name, role, manifest, checksum, bytes) VALUES (?, ?, ?, ?, ?)')
      .run(item.name, manifest.role, JSON.stringify({ ...manifest, name: item.name }), manifest.checksum, bytes);
  },

  remove(ws, name) {
    dropDenseIndexes(ws.db, name);
    ws.db.prepare('DELETE FROM models WHERE name = ?').run(name);
    rmSync(packDir(ws, name), { recursive: true, force: true });
  },
};
