import Database from 'better-sqlite3';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { json, runCli, spawnCli } from '../cli/run-cli.ts';
import { writeTsvCollection } from '../fixtures/generate.ts';
import { exitCodes } from '../../electron/engine/errors.ts';
import { committedRecords, killAfterFirstCommit } from '../helpers/imports.ts';
import { tempDir } from '../helpers/workspace.ts';

describe('Ctrl-C in the middle of an import', () => {
  it('stops at a checkpoint with exit status 130, and the same command resumes', { timeout: 240_000 }, async () => {
    const dir = tempDir();
    const file = join(dir, 'c.tsv');
    const { lines } = writeTsvCollection(file, { lines: 300_000 });
    const ws = join(dir, 'ws');
    const args = ['--workspace', ws, '--no-demo', 'collection', 'import', file, '--name', 'c', '--lang', 'fr'];
    const child = spawnCli(args);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = once(child, 'exit');
    expect(await committedRecords(ws)).toBeGreaterThan(0);
    child.kill('SIGINT');
    const [code] = await exited;
    expect(code).toBe(exitCodes.cancelled);
    expect(stderr).toContain('the import was cancelled');
    const imports = json<{ state: string; records: number }[]>(runCli(['--workspace', ws, '--json', 'collection', 'imports', 'c']));
    expect(imports).toEqual([expect.objectContaining({ state: 'cancelled' })]);
    expect(imports[0]!.records).toBeLessThan(lines);
    const again = json<{ added: number; resumedFromLine?: number }>(runCli(['--json', ...args]));
    expect(again.resumedFromLine).toBeGreaterThan(1);
    expect(again.added).toBe(lines);
  });
});

describe('kill -9 in the middle of an import', () => {
  it('resumes from the last checkpoint to exactly the collection a clean import gives', { timeout: 240_000 }, async () => {
    const dir = tempDir();
    const file = join(dir, 'big.tsv');
    const { lines } = writeTsvCollection(file, { lines: 1_000_000 });
    const ws = join(dir, 'ws');
    await killAfterFirstCommit(ws, ['--workspace', ws, '--no-demo', 'collection', 'import', file, '--name', 'big', '--lang', 'fr']);

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
