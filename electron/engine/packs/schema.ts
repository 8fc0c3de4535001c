import { registerMigrations, type Migration } from '../store/migrations.ts';

/**
 * Content packs (ids 800–899): which packs are installed, what each installed (so that removing a pack removes
 * exactly its items), and the partners' public keys this workspace trusts.
 */
export const packMigrations: Migration[] = [
  {
    id: 800,
    name: 'content packs, their items and trusted signing keys',
    up: (db) =>
      db.exec(`
        CREATE TABLE packs (
          name TEXT PRIMARY KEY,
          title TEXT NOT NULL,
          -- sha256 of manifest.json: installing the same pack again is a no-op
          sha256 TEXT NOT NULL,
          manifest TEXT NOT NULL,
          -- key id of a valid signature, NULL for an unsigned pack
          signer TEXT,
          source TEXT NOT NULL,
          installed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        );
        CREATE TABLE pack_items (
          pack TEXT NOT NULL REFERENCES packs(name) ON DELETE CASCADE,
          kind TEXT NOT NULL,
          name TEXT NOT NULL,
          PRIMARY KEY (kind, name)
        ) WITHOUT ROWID;
        CREATE TABLE pack_keys (
          key_id TEXT PRIMARY KEY,
          public_key TEXT NOT NULL,
          label TEXT NOT NULL DEFAULT '',
          added_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        );
      `),
  },
];

registerMigrations(packMigrations);
