import type Database from 'better-sqlite3';
import { PontError } from '../errors.ts';

export interface CollectionRow {
  id: number;
  name: string;
  lang: string;
  description: string;
  created_at: string;
  updated_at: string;
}

export function findCollection(db: Database.Database, name: string): CollectionRow | undefined {
  return db.prepare('SELECT * FROM collections WHERE name = ?').get(name) as CollectionRow | undefined;
}

export function getCollection(db: Database.Database, name: string): CollectionRow {
  const row = findCollection(db, name);
  if (!row) throw new PontError('not_found', 'collection.missing', { collection: name }, [{ field: 'collection', reason: `"${name}" does not exist` }]);
  return row;
}

/** Returns the collection, creating it when it does not exist; an existing one must be in the same language. */
export function ensureCollection(db: Database.Database, name: string, lang: string, description?: string): CollectionRow {
  const existing = findCollection(db, name);
  if (existing) {
    if (existing.lang !== lang) {
      throw new PontError('conflict', 'collection.other_language', { collection: name, existing: existing.lang, lang }, [
        { field: 'lang', reason: `the collection's language is ${existing.lang}` },
      ]);
    }
    if (description !== undefined && description !== existing.description) {
      db.prepare("UPDATE collections SET description = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?").run(
        description,
        existing.id,
      );
    }
    return getCollection(db, name);
  }
  db.prepare('INSERT INTO collections (name, lang, description) VALUES (?, ?, ?)').run(name, lang, description ?? '');
  return getCollection(db, name);
}

export function touchCollection(db: Database.Database, id: number): void {
  db.prepare("UPDATE collections SET updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?").run(id);
}

/**
 * Collections with their size and their unfinished documents imports: `incomplete` counts them, `failed` is 1 when the
 * latest of them failed (on a fault in its file) rather than being interrupted or cancelled.
 */
export function listCollections(db: Database.Database): (CollectionRow & { documents: number; incomplete: number; failed: number })[] {
  return db
    .prepare(
      `SELECT c.*,
         (SELECT count(*) FROM documents d WHERE d.collection_id = c.id) AS documents,
         (SELECT count(*) FROM imports i WHERE i.collection_id = c.id AND i.kind = 'documents' AND i.state IN ('running', 'cancelled', 'failed')) AS incomplete,
         coalesce((SELECT i.state = 'failed' FROM imports i WHERE i.collection_id = c.id AND i.kind = 'documents' AND i.state IN ('running', 'cancelled', 'failed')
           ORDER BY i.id DESC LIMIT 1), 0) AS failed
       FROM collections c ORDER BY c.name`,
    )
    .all() as (CollectionRow & { documents: number; incomplete: number; failed: number })[];
}

/** Removes a collection that holds nothing: no documents, no query sets, no import that stored anything. */
export function dropIfEmpty(db: Database.Database, id: number): void {
  db.prepare(
    `DELETE FROM collections WHERE id = ?
       AND NOT EXISTS (SELECT 1 FROM documents WHERE collection_id = ?)
       AND NOT EXISTS (SELECT 1 FROM query_sets WHERE collection_id = ?)
       AND NOT EXISTS (SELECT 1 FROM imports WHERE collection_id = ? AND state != 'rolled_back')`,
  ).run(id, id, id, id);
}

export function deleteCollection(db: Database.Database, name: string): { documents: number } {
  const row = getCollection(db, name);
  return db.transaction(() => {
    const documents = db.prepare('SELECT count(*) FROM documents WHERE collection_id = ?').pluck().get(row.id) as number;
    db.prepare('DELETE FROM collections WHERE id = ?').run(row.id);
    return { documents };
  })();
}

export interface QuerySetRow {
  id: number;
  name: string;
  lang: string;
  collection_id: number;
  created_at: string;
}

export function getQuerySet(db: Database.Database, name: string): QuerySetRow {
  const row = db.prepare('SELECT * FROM query_sets WHERE name = ?').get(name) as QuerySetRow | undefined;
  if (!row) throw new PontError('not_found', 'query_set.missing', { name }, [{ field: 'queries', reason: `"${name}" does not exist; import it first with: pont queries import` }]);
  return row;
}

/** Returns the query set, creating it when it does not exist; an existing one must search the same collection in the same variety. */
export function ensureQuerySet(db: Database.Database, name: string, collection: CollectionRow, lang: string): QuerySetRow {
  const existing = db.prepare('SELECT * FROM query_sets WHERE name = ?').get(name) as QuerySetRow | undefined;
  if (existing) {
    if (existing.collection_id !== collection.id) {
      throw new PontError('conflict', 'query_set.other_collection', { name }, [
        { field: 'collection', reason: `query set "${name}" belongs to another collection than "${collection.name}"` },
      ]);
    }
    if (existing.lang !== lang) {
      throw new PontError('conflict', 'query_set.other_variety', { name, existing: existing.lang, lang }, [
        { field: 'lang', reason: `the query set's variety is ${existing.lang}` },
      ]);
    }
    return existing;
  }
  db.prepare('INSERT INTO query_sets (name, lang, collection_id) VALUES (?, ?, ?)').run(name, lang, collection.id);
  return getQuerySet(db, name);
}
