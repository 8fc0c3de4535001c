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
];

registerMigrations(modelMigrations);
