import Database from 'better-sqlite3';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { json, runCli, spawnCli } from '../cli/run-cli.ts';
import { writeTsvCollection } from '../fixtures/generate.ts';
import { tempDir } from '../helpers/workspace.ts';

describe('kill -9 in the middle of an import', () => {
  it('resumes from the last checkpoint to exactly the collection a clean import gives', { timeout: 240_000 }, async () => {
    const dir = tempDir();
    const file = join(dir, 'big.tsv');
    const { lines } = writeTsvCollection(file, { lines: 1_000_000 });
    const ws = join(dir, 'ws');
    const child = spawnCli(['--workspace', ws, '--no-demo', 'collection', 'import', file, '--name', 'big', '--lang', 'fr']);
    const exited = once(child, 'exit');

    // Wait until some batches are committed, then kill the process without warning.
    let committed = 0;
    for (let i = 0; i < 600 && committed === 0; i++) {
      await sleep(50);
      if (!existsSync(join(ws, 'pont.db'))) continue;
      const db = new Database(join(ws, 'pont.db'), { readonly: true, fileMustExist: true });
      try {
        const hasTable = db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'imports'").pluck().get() === 1;
        committed = hasTable ? ((db.prepare('SELECT max(records_ok) FROM imports').pluck().get() as number | null) ?? 0) : 0;
      } finally {
        db.close();
      }
    }
    expect(child.exitCode).toBeNull();
    child.kill('SIGKILL');
    const [, signal] = await exited;
    expect(signal).toBe('SIGKILL');
    expect(committed).toBeGreaterThan(0);

    const listed = json<{ name: string; documents: number; incompleteImport: boolean }[]>(runCli(['--workspace', ws, '--json', 'collection', 'list']));
    expect(listed).toEqual([expect.objectContaining({ name: 'big', incompleteImport: true })]);
    expect(listed[0]!.documents).toBeLessThan(lines);

    const again = runCli(['--workspace', ws, '--json', 'collection', 'import', file, '--name', 'big', '--lang', 'fr']);
    expect(again.code).toBe(0);
    const report = json<{ added: number; bad: number; resumedFromLine?: number }>(again);
    expect(report.resumedFromLine).toBeGreaterThan(1);
    expect(report).toMatchObject({ added: lines, bad: 0 });

    // The same documents as a clean import: every id once, with its text.
    const expectedTextLength = readFileSync(file, 'utf8')
      .split('\n')
      .reduce((n, l) => n + (l ? l.length - l.indexOf('\t') - 1 : 0), 0);
    const db = new Database(join(ws, 'pont.db'), { readonly: true });
    try {
      const got = db
        .prepare("SELECT count(*) AS n, count(DISTINCT ext_id) AS ids, sum(CAST(substr(ext_id, 2) AS INTEGER)) AS idSum, sum(length(text)) AS textLength FROM documents")
        .get();
      expect(got).toEqual({ n: lines, ids: lines, idSum: (lines * (lines - 1)) / 2, textLength: expectedTextLength });
      expect(db.prepare('SELECT state FROM imports').pluck().all()).toEqual(['done']);
    } finally {
      db.close();
    }
    expect(json<{ incompleteImport: boolean }[]>(runCli(['--workspace', ws, '--json', 'collection', 'list']))[0]!.incompleteImport).toBe(false);
  });
});
