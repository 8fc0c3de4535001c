import { registerMigrations, type Migration } from '../store/migrations.ts';

/**
 * Community feedback (ids 900–999): a user's one-click judgement of a result, per (variety, collection), for the
 * same query typed again. A second click on the same result replaces the first.
 */
export const communityMigrations: Migration[] = [
  {
    id: 900,
    name: 'community judgements: helpful / not helpful per variety, collection, query and document',
    up: (db) =>
      db.exec(`
        CREATE TABLE community_judgements (
          id INTEGER PRIMARY KEY,
          collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
          variety TEXT NOT NULL,
          query TEXT NOT NULL,
          doc_ext_id TEXT NOT NULL,
          helpful INTEGER NOT NULL CHECK (helpful IN (0, 1)),
          created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
          updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
          UNIQUE (collection_id, variety, query, doc_ext_id)
        );
      `),
  },
];

registerMigrations(communityMigrations);
