import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { coreMigrations } from '../../electron/engine/store/core-schema.ts';
import { migrate, registeredMigrations, SchemaTooNewError } from '../../electron/engine/store/migrations.ts';
import { DATABASE_FILE, Workspace } from '../../electron/engine/store/workspace.ts';
import { tempDir } from '../helpers/workspace.ts';

describe('schema migrations', () => {
  it('upgrades a database created by the first schema version without losing its data', () => {
    const dir = tempDir();
    const old = new Database(join(dir, DATABASE_FILE));
    migrate(old, coreMigrations.slice(0, 1));
    old.prepare("INSERT INTO collections (name, lang) VALUES ('old', 'fr')").run();
    old.prepare("INSERT INTO documents (collection_id, ext_id, text) VALUES (1, 'd1', 'Lo solelh')").run();
    old.close();

    const ws = Workspace.open(dir);
    try {
      expect(ws.created).toBe(false);
      const applied = ws.db.prepare('SELECT id FROM schema_migrations ORDER BY id').pluck().all();
      expect(applied).toEqual(registeredMigrations().map((m) => m.id));
      const doc = ws.db.prepare('SELECT ext_id, text, source FROM documents').get();
      expect(doc).toEqual({ ext_id: 'd1', text: 'Lo solelh', source: null });
      expect(ws.db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(ws.db.pragma('foreign_keys', { simple: true })).toBe(1);
    } finally {
      ws.close();
    }
  });

  it('refuses a database written by a newer Pont instead of guessing', () => {
    const dir = tempDir();
    const db = new Database(join(dir, DATABASE_FILE));
    migrate(db, coreMigrations);
    db.prepare("INSERT INTO schema_migrations (id, name) VALUES (9999, 'from the future')").run();
    db.close();
    expect(() => Workspace.open(dir)).toThrow(SchemaTooNewError);
  });

  it('leaves the database at the last completed migration when one fails', () => {
    const db = new Database(':memory:');
    const failing = { id: 50, name: 'broken', up: () => { throw new Error('boom'); } };
    expect(() => migrate(db, [...coreMigrations, failing])).toThrow('boom');
    expect(db.prepare('SELECT id FROM schema_migrations ORDER BY id').pluck().all()).toEqual(coreMigrations.map((m) => m.id));
  });
});
