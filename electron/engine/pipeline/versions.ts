import type Database from 'better-sqlite3';
import { resolvePerQuerySet, type PerQuerySetName } from './per-query-set.ts';

/**
 * The versions of the named artefacts a stage reads, for its canonical key (registry.ts): an experiment resumed after
 * a model was retrained, a bridge relearned or a stored run replaced under the same name must not reuse results of the
 * old one. Each is null when the artefact does not exist (building the stage reports that).
 */
const queries = {
  bridge: 'SELECT id || \':\' || updated_at || \':\' || entries FROM bridges WHERE name = ?',
  run: 'SELECT id || \':\' || created_at FROM runs WHERE name = ?',
  model: 'SELECT checksum FROM models WHERE name = ?',
  adapter: 'SELECT model_checksum || \':\' || created_at FROM query_adapters WHERE name = ?',
} as const;

export function artefactVersion(db: Database.Database, kind: keyof typeof queries, name: string | undefined): string | null {
  if (name === undefined) return null;
  return (db.prepare(queries[kind]).pluck().get(name) as string | undefined) ?? null;
}

/** The vectors a dense stage searches: its model's index over the collection, as last written. */
export function denseIndexVersion(db: Database.Database, collection: string, model: string | undefined): string | null {
  if (model === undefined) return null;
  const sql = `SELECT d.id || ':' || d.updated_at || ':' || d.documents FROM dense_indexes d JOIN collections c ON c.id = d.collection_id
    WHERE c.name = ? AND d.model = ?`;
  return (db.prepare(sql).pluck().get(collection, model) as string | undefined) ?? null;
}

/** Every lexical index of the collection (for stages that pick their indexes themselves), by generation. */
export function lexicalVersions(db: Database.Database, collection: string): string {
  const sql = `SELECT group_concat(i.id || ':' || i.generation, ',') FROM (SELECT l.id, l.generation FROM lexical_indexes l
    JOIN collections c ON c.id = l.collection_id WHERE c.name = ? ORDER BY l.id) i`;
  return (db.prepare(sql).pluck().get(collection) as string | null) ?? '';
}

/** A per-query-set name as the stage will resolve it, or undefined where the key is made without a query set. */
export function keyName(spec: PerQuerySetName, querySet: string | undefined): string | undefined {
  try {
    return resolvePerQuerySet(spec, { querySet }, 'name');
  } catch {
    return undefined;
  }
}
