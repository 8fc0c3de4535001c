import { chmodSync } from 'node:fs';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../electron/api/engine.ts';
import { Workspace } from '../../electron/engine/store/workspace.ts';
import { writeTsvCollection } from '../fixtures/generate.ts';
import { runCli } from '../cli/run-cli.ts';
import { failure } from '../helpers/errors.ts';
import { integrity } from '../helpers/fault.ts';
import { tempDir, tempEngine } from '../helpers/workspace.ts';

describe('a full disk, a read-only workspace and a busy one', () => {
  it('a full disk (SQLite refuses to grow the file) stops an import with a clear error, keeps what was stored, and resumes', async () => {
    const dir = tempDir();
    const engine = tempEngine();
    writeTsvCollection(join(dir, 'small.tsv'), { lines: 1000 });
    writeTsvCollection(join(dir, 'big.tsv'), { lines: 200_000 });
    await engine.call('collection.import', { path: join(dir, 'small.tsv'), name: 'small', lang: 'fr' });
    const db = engine.workspace.db;
    const pages = db.pragma('page_count', { simple: true }) as number;
    // The same failure as a full disk: the database may not grow past a few MiB more than it holds.
    db.pragma(`max_page_count = ${pages + 800}`);
    const e = await failure(engine.call('collection.import', { path: join(dir, 'big.tsv'), name: 'big', lang: 'fr' }));
    expect(e.code).toBe('unavailable');
    expect(e.message).toMatch(/is full: free some room/);
    expect(db.prepare("SELECT count(*) FROM documents d JOIN collections c ON c.id = d.collection_id WHERE c.name = 'small'").pluck().get()).toBe(1000);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.pragma('max_page_count = 1073741823');
    const r = await engine.call('collection.import', { path: join(dir, 'big.tsv'), name: 'big', lang: 'fr' });
    expect(r.added).toBe(200_000);
    expect(r.resumedFromLine).toBeGreaterThan(1);
  });

  it('a read-only workspace gives a clear error and stays sound', async () => {
    const dir = tempDir();
    const ws = join(dir, 'ws');
    const file = join(dir, 'c.tsv');
    writeTsvCollection(file, { lines: 100 });
    expect(runCli(['--workspace', ws, '--no-demo', 'collection', 'import', file, '--name', 'c', '--lang', 'fr']).code).toBe(0);
    chmodSync(join(ws, 'pont.db'), 0o444);
    chmodSync(ws, 0o555);
    try {
      const r = runCli(['--workspace', ws, '--no-demo', 'collection', 'import', file, '--name', 'd', '--lang', 'fr']);
      // Root ignores file modes: there the import simply succeeds, which is also sound.
      if (process.getuid?.() !== 0) {
        expect(r.code).toBe(6);
        expect(r.stderr).toMatch(/cannot be written|cannot be opened/);
        expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
      }
    } finally {
      chmodSync(ws, 0o755);
      chmodSync(join(ws, 'pont.db'), 0o644);
    }
    expect(integrity(ws)).toBe('ok');
    const engine = new Engine(Workspace.open(ws));
    try {
      expect((await engine.call('collection.list', {})).find((c) => c.name === 'c')).toMatchObject({ documents: 100 });
    } finally {
      engine.close();
    }
  });
  it('a workspace another process keeps locked gives a clear error, and the same command succeeds once it is free', async () => {
    const dir = tempDir();
    const engine = tempEngine();
    writeTsvCollection(join(dir, 'c.tsv'), { lines: 100 });
    // A second writer, as a parallel `pont experiment` on the same workspace is; this connection waits 50 ms, not 10 s.
    const other = new Database(join(engine.workspace.dir, 'pont.db'));
    other.prepare('BEGIN IMMEDIATE').run();
    engine.workspace.db.pragma('busy_timeout = 50');
    const e = await failure(engine.call('collection.import', { path: join(dir, 'c.tsv'), name: 'c', lang: 'fr' }));
    expect(e.code).toBe('unavailable');
    expect(e.message).toMatch(/being written by another process/);
    other.prepare('COMMIT').run();
    other.close();
    expect((await engine.call('collection.import', { path: join(dir, 'c.tsv'), name: 'c', lang: 'fr' })).added).toBe(100);
    expect(engine.workspace.db.pragma('integrity_check', { simple: true })).toBe('ok');
  });
});
