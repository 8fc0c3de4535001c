import { spawnSync } from 'node:child_process';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/api/engine.ts';
import { repoRoot, runCli } from '../cli/run-cli.ts';
import { rng } from '../helpers/random.ts';
import { failure } from '../helpers/errors.ts';
import { tempDir, tempEngine, writeTemp } from '../helpers/workspace.ts';

// The findings of an adversarial run of the importers and the CLI, each kept fixed by a test.

function count(engine: Engine, sql: string): number {
  return engine.workspace.db.prepare(sql).pluck().get() as number;
}

describe('an import that stores nothing is an error', () => {
  const random = rng(7);
  const bytes = Buffer.from(Array.from({ length: 4000 }, () => Math.floor(random() * 256)));
  const cases: [string, string | Buffer, RegExp][] = [
    ['random.tsv', bytes, /all \d+ records are bad/],
    ['one-column.tsv', 'just text\nmore text\n', /all 2 records are bad/],
    ['five-columns.tsv', 'a\tb\tc\td\te\n', /its one record is bad/],
    ['empty.tsv', '', /holds no records/],
    ['header-only.tsv', 'docid\ttext\n\n  \n', /holds no records/],
    ['garbage.jsonl', '{"id": 1}\nnot json\n', /all 2 records are bad/],
  ];
  for (const [name, content, message] of cases) {
    it(`${name}: bad_data, and no empty collection or unfinished import is left`, async () => {
      const engine = tempEngine();
      const e = await failure(engine.call('collection.import', { path: writeTemp(name, content), name: 'c', lang: 'fr' }));
      expect(e.code).toBe('bad_data');
      expect(e.message).toMatch(message);
      expect(e.details.length).toBeGreaterThan(0);
      expect(await engine.call('collection.list', {})).toEqual([]);
    });
  }

  it('leaves an existing collection as it was, and the CLI exits with status 5 and says why', async () => {
    const engine = tempEngine();
    await engine.call('collection.import', { path: writeTemp('ok.tsv', 'd1\tun\n'), name: 'c', lang: 'fr' });
    const bad = writeTemp('bad.tsv', 'no tab here\n');
    await failure(engine.call('collection.import', { path: bad, name: 'c', lang: 'fr' }));
    expect(await engine.call('collection.list', {})).toEqual([expect.objectContaining({ name: 'c', documents: 1, incompleteImport: false })]);

    const ws = tempDir();
    const r = runCli(['--workspace', ws, '--no-demo', 'collection', 'import', bad, '--name', 'x', '--lang', 'fr']);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('nothing imported');
    expect(r.stderr).toContain('line 1, field text');
    const empty = runCli(['--workspace', ws, '--no-demo', 'collection', 'import', writeTemp('e.tsv', ''), '--name', 'x', '--lang', 'fr']);
    expect(empty.code).toBe(5);
    expect(empty.stderr).toContain('holds no records');
  });

  it('queries and qrels files without a good record are errors too', async () => {
    const engine = tempEngine();
    await engine.call('collection.import', { path: writeTemp('c.tsv', 'd1\tun\n'), name: 'c', lang: 'fr' });
    const q = await failure(engine.call('queries.import', { path: writeTemp('q.tsv', 'only-an-id\n'), collection: 'c', name: 'q', lang: 'oc' }));
    expect(q.code).toBe('bad_data');
    await engine.call('queries.import', { path: writeTemp('q2.tsv', 'q1\tsolelh\n'), collection: 'c', name: 'q', lang: 'oc' });
    const r = await failure(engine.call('qrels.import', { path: writeTemp('r.txt', 'q1 0 d1\n'), queries: 'q' }));
    expect(r.message).toContain('its one record is bad');
  });
});

describe('failed imports say what can be done about them', () => {
  it('a --strict failure after stored batches keeps them and marks the import failed, not resumable', async () => {
    const engine = tempEngine();
    // Batches are committed at the end of a 1 MiB read, so the bad record sits after the first one.
    const lines = Array.from({ length: 100_000 }, (_, i) => `d${i}\ttext of document ${i}`);
    lines[90_000] = 'broken line';
    const file = writeTemp('s.tsv', `${lines.join('\n')}\n`);
    const e = await failure(engine.call('collection.import', { path: file, name: 'c', lang: 'fr', strict: true }));
    expect(e.details).toEqual([expect.objectContaining({ line: 90_001, field: 'text' })]);
    const kept = count(engine, 'SELECT count(*) FROM documents');
    expect(kept).toBeGreaterThan(0);
    expect((await engine.call('collection.list', {}))[0]).toMatchObject({ incompleteImport: true, importFailed: true });
    const [imp] = await engine.call('collection.imports', { name: 'c' });
    expect(imp).toMatchObject({ state: 'failed', message: expect.stringMatching(/Fix the file.*pont collection rollback/) });
    // Without --strict the same import goes on from where it stopped, and skips the bad record.
    const r = await engine.call('collection.import', { path: file, name: 'c', lang: 'fr' });
    expect(r).toMatchObject({ added: 99_999, bad: 1, resumedFromLine: kept + 1 });
    expect((await engine.call('collection.list', {}))[0]).toMatchObject({ incompleteImport: false, importFailed: false });
  });

  it('a truncated .gz keeps what was read and says to fix the file or roll back, not to run it again', async () => {
    const engine = tempEngine();
    const random = rng(3);
    const text = Array.from({ length: 100_000 }, (_, i) => `d${i}\t${random().toString(36)} ${random().toString(36)}`).join('\n');
    const gz = gzipSync(text);
    const file = writeTemp('cut.tsv.gz', gz.subarray(0, Math.floor(gz.length * 0.7)));
    await failure(engine.call('collection.import', { path: file, name: 'c', lang: 'fr' }));
    expect(count(engine, 'SELECT count(*) FROM documents')).toBeGreaterThan(0);
    const [c] = await engine.call('collection.list', {});
    expect(c).toMatchObject({ incompleteImport: true, importFailed: true });
    const [imp] = await engine.call('collection.imports', { name: 'c' });
    await engine.call('import.rollback', { id: imp!.id });
    expect(await engine.call('collection.list', {})).toEqual([expect.objectContaining({ documents: 0, incompleteImport: false })]);
  });

  it('a failed queries import does not mark the collection unfinished', async () => {
    const engine = tempEngine();
    await engine.call('collection.import', { path: writeTemp('c.tsv', 'd1\tun\n'), name: 'c', lang: 'fr' });
    const lines = Array.from({ length: 6000 }, (_, i) => `q${i}\tquery ${i}`);
    lines.push('bad');
    await failure(engine.call('queries.import', { path: writeTemp('q.tsv', lines.join('\n')), collection: 'c', name: 'q', lang: 'oc', strict: true }));
    expect((await engine.call('collection.list', {}))[0]).toMatchObject({ incompleteImport: false });
  });
});

describe('files that are not what they say', () => {
  it('a corrupt PDF or DOCX gets a plain reason, and nothing of the libraries reaches the terminal', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'ok.txt'), 'Lo solelh es caud.');
    writeFileSync(join(dir, 'bad.pdf'), '%PDF-1.4\n1 0 obj garbage trailer\n%%EOF');
    writeFileSync(join(dir, 'bad.docx'), 'PK not a zip');
    writeFileSync(join(dir, 'utf16.txt'), Buffer.from('\uFEFFhello', 'utf16le'));
    const r = runCli(['--workspace', tempDir(), '--no-demo', '--json', 'collection', 'import', dir, '--name', 'f', '--lang', 'oc']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout) as { added: number; issues: { file: string; reason: string }[] };
    expect(report.added).toBe(1);
    const reasons = Object.fromEntries(report.issues.map((i) => [i.file, i.reason]));
    expect(reasons['bad.pdf']).toMatch(/not a readable PDF/);
    expect(reasons['bad.docx']).toMatch(/not a readable Word document/);
    expect(reasons['utf16.txt']).toMatch(/NUL bytes/);
    for (const reason of Object.values(reasons)) expect(reason).not.toMatch(/https?:|zip file|EISDIR/);
  });

  it('`pont eval` on a folder names the problem in words', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'run'));
    writeFileSync(join(dir, 'qrels'), 'q1 0 d1 1\n');
    const r = runCli(['--workspace', tempDir(), '--no-demo', 'eval', join(dir, 'run'), '--qrels', join(dir, 'qrels')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is a folder, not a file');
    expect(r.stderr).not.toContain('EISDIR');
  });

  it('refuses NUL bytes and control characters in ids and texts, line by line', async () => {
    const engine = tempEngine();
    const tsv = writeTemp('c.tsv', 'd1\tgood\nd\u00002\ttext\nd3\tte\u0000xt\nd\u00014\ttext\n');
    const r = await engine.call('collection.import', { path: tsv, name: 'c', lang: 'fr' });
    expect(r).toMatchObject({ added: 1, bad: 3 });
    expect(r.issues.map((i) => [i.line, i.field])).toEqual([
      [2, undefined],
      [3, undefined],
      [4, 'id'],
    ]);
    const jsonl = writeTemp('c.jsonl', ['{"id":"j1","text":"ok"}', '{"id":"j\\u00002","text":"x"}', '{"id":"j3","text":"a\\u0000b"}', '{"id":"j4","text":"the escape \\\\u0000 as text"}'].join('\n'));
    const j = await engine.call('collection.import', { path: jsonl, name: 'c', lang: 'fr' });
    expect(j).toMatchObject({ added: 2, bad: 2 });
    const q = await engine.call('queries.import', { path: writeTemp('q.jsonl', '{"qid":"q1","text":"ok"}\n{"qid":"q2","text":"a\\u0000"}\n'), collection: 'c', name: 'q', lang: 'oc' });
    expect(q).toMatchObject({ added: 1, bad: 1 });
    const stored = engine.workspace.db.prepare("SELECT ext_id || text FROM documents UNION ALL SELECT qid || text FROM queries").pluck().all() as string[];
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    for (const s of stored) expect(s).not.toMatch(/[\u0000-\u001f]/);
  });
});

describe('importing an unchanged file again', () => {
  it('does nothing when the file has not changed since its finished import, and reads it again when it has', async () => {
    const engine = tempEngine();
    const file = writeTemp('c.tsv', `${Array.from({ length: 3000 }, (_, i) => `d${i}\ttext ${i}`).join('\n')}\nbad line\n`);
    const first = await engine.call('collection.import', { path: file, name: 'c', lang: 'fr' });
    expect(first).toMatchObject({ added: 3000, bad: 1 });
    const again = await engine.call('collection.import', { path: file, name: 'c', lang: 'fr' });
    expect(again).toMatchObject({ importId: first.importId, added: 0, updated: 0, unchanged: 3000, bad: 1, notes: [expect.stringContaining('has not changed')] });
    expect(again.issues).toEqual(first.issues);
    // --strict must see the bad record, so it reads the file again.
    await failure(engine.call('collection.import', { path: file, name: 'c', lang: 'fr', strict: true }));
    // Another import in between may have changed the same documents: the file is read again.
    await engine.call('collection.import', { path: writeTemp('other.tsv', 'd1\tchanged\n'), name: 'c', lang: 'fr' });
    const after = await engine.call('collection.import', { path: file, name: 'c', lang: 'fr' });
    expect(after).toMatchObject({ updated: 1, unchanged: 2999 });
    // A touched file is read again too (its modification time is part of the fingerprint).
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    expect(await engine.call('collection.import', { path: file, name: 'c', lang: 'fr' })).toMatchObject({ unchanged: 3000, notes: [] });
  });
});

describe('command-line edges', () => {
  it('`pont serve` on a busy port says so, without a stack trace', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as AddressInfo).port;
    try {
      const r = runCli(['--workspace', tempDir(), '--no-demo', 'serve', '--no-open', '--port', String(port)]);
      expect(r.code).toBe(6);
      expect(r.stderr).toContain(`port ${port} is in use`);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    } finally {
      busy.close();
    }
  });

  it('`npm run bench -- --help` lists the suites and runs none', () => {
    const r = spawnSync(process.execPath, [join(repoRoot, 'test', 'bench', 'run.ts'), '--help'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Usage: npm run bench[\s\S]*Suites: .*import/);
    expect(r.stdout).not.toContain('## ');
    const unknown = spawnSync(process.execPath, [join(repoRoot, 'test', 'bench', 'run.ts'), 'no-such-suite'], { encoding: 'utf8' });
    expect(unknown.status).toBe(2);
  });
});
