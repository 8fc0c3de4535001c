import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../electron/api/engine.ts';
import { migrate, registeredMigrations } from '../../electron/engine/store/migrations.ts';
import '../../electron/engine/store/schema.ts';
import { DATABASE_FILE, Workspace } from '../../electron/engine/store/workspace.ts';
import { tempDir, writeTemp } from '../helpers/workspace.ts';

describe('the training-set migrations', () => {
  it('rebuild the imports table of an existing workspace without losing its imports or their problems', async () => {
    const dir = tempDir();
    const old = new Database(join(dir, DATABASE_FILE));
    old.pragma('foreign_keys = ON');
    migrate(old, registeredMigrations().filter((m) => m.id < 500));
    old.prepare("INSERT INTO collections (name, lang) VALUES ('c', 'fr')").run();
    old.prepare("INSERT INTO imports (collection_id, source, format, fingerprint, state, pid) VALUES (1, '/a.tsv', 'tsv', 'f', 'done', 7)").run();
    for (const line of [3, 1, 2]) old.prepare("INSERT INTO import_errors (import_id, file, line, reason) VALUES (1, '/a.tsv', ?, 'bad')").run(line);
    old.close();

    const ws = Workspace.open(dir);
    const engine = new Engine(ws);
    try {
      expect(ws.db.prepare('SELECT id, collection_id, kind, source, state, pid, pair_set_id FROM imports').all()).toEqual([
        { id: 1, collection_id: 1, kind: 'documents', source: '/a.tsv', state: 'done', pid: 7, pair_set_id: null },
      ]);
      expect((await engine.call('import.problems', { id: 1 })).issues.map((i) => i.line)).toEqual([3, 1, 2]);
      const r = await engine.call('pairs.import', { path: writeTemp('p.tsv', 'a\tb\n'), name: 's', from: 'oc', to: 'fr' });
      expect(r.importId).toBe(2);
      // Deleting the collection still takes its imports and their problems with it.
      await engine.call('collection.delete', { name: 'c' });
      expect(ws.db.prepare('SELECT count(*) FROM import_errors').pluck().get()).toBe(0);
      expect(ws.db.prepare('SELECT kind FROM imports').pluck().all()).toEqual(['pairs']);
    } finally {
      ws.close();
    }
  });
});
