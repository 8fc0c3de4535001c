import type Database from 'better-sqlite3';
import { ensureCollection } from '../../electron/engine/store/collections.ts';

/** Adds documents straight to the store (the importers' job elsewhere): [ext id, text, title?]. */
export function addDocs(db: Database.Database, collection: string, lang: string, docs: readonly (readonly [string, string, string?])[]): number {
  const c = ensureCollection(db, collection, lang);
  const ins = db.prepare('INSERT INTO documents (collection_id, ext_id, title, text) VALUES (?, ?, ?, ?)');
  db.transaction(() => {
    for (const [id, text, title] of docs) ins.run(c.id, id, title ?? null, text);
  })();
  return c.id;
}
