import { registerMigrations, type Migration } from '../store/migrations.ts';

/** Model packs (their manifests) and the runtime settings a user chooses once per workspace. */
export const modelMigrations: Migration[] = [
  {
    id: 300,
    name: 'model packs and model settings',
    up: (db) =>
      db.exec(`
        CREATE TABLE models (
          name TEXT PRIMARY KEY,
          role TEXT NOT NULL,
          manifest TEXT NOT NULL,
          checksum TEXT NOT NULL,
          bytes INTEGER NOT NULL,
          imported_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        );
        CREATE TABLE model_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      `),
  },
  {
    id: 301,
    name: 'dense vector indexes',
    up: (db) =>
      db.exec(`
        -- One index per (collection, model). Vectors live in a sqlite-vec table named dense_vectors_<id>, created when
        -- the index is built (the extension is loaded then); checkpoint is the last document id encoded, so an
        -- interrupted build resumes after it.
        CREATE TABLE dense_indexes (
          id INTEGER PRIMARY KEY,
          collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
          model TEXT NOT NULL,
          model_checksum TEXT NOT NULL,
          dimension INTEGER NOT NULL,
          checkpoint INTEGER NOT NULL DEFAULT 0,
          documents INTEGER NOT NULL DEFAULT 0,
          state TEXT NOT NULL CHECK (state IN ('building', 'ready')),
          updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
          UNIQUE (collection_id, model)
        );
      `),
  },
];

registerMigrations(modelMigrations);
