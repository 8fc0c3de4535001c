import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/api/engine.ts';
import { PontError } from '../../electron/engine/errors.ts';
import { tempDir, tempEngine } from '../helpers/workspace.ts';

function write(name: string, content: string | Buffer): string {
  const file = join(tempDir(), name);
  writeFileSync(file, content);
  return file;
}

function docs(engine: Engine, collection = 'c') {
  return engine.workspace.db
    .prepare('SELECT d.ext_id AS id, d.title, d.text, d.metadata FROM documents d JOIN collections c ON c.id = d.collection_id WHERE c.name = ? ORDER BY d.ext_id')
    .all(collection) as { id: string; title: string | null; text: string; metadata: string | null }[];
}

async function rejects(p: Promise<unknown>): Promise<PontError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(PontError);
  return e as PontError;
}

describe('collection import: TSV', () => {
  it('reads id<TAB>text and id<TAB>title<TAB>text, skips a header row and blank lines, handles CRLF and a BOM', async () => {
    const engine = tempEngine();
    const file = write('c.tsv', '\uFEFFdocid\ttext\r\nd1\tLo solelh\r\n\r\n   \r\nd2\tLa mar\tL’aiga es salada\r\n');
    const r = await engine.call('collection.import', { path: file, name: 'c', lang: 'oc' });
    expect(r).toMatchObject({ format: 'tsv', added: 2, updated: 0, unchanged: 0, bad: 0, issues: [] });
    expect(docs(engine)).toEqual([
      { id: 'd1', title: null, text: 'Lo solelh', metadata: null },
      { id: 'd2', title: 'La mar', text: 'L’aiga es salada', metadata: null },
    ]);
  });

  it('reports bad records with file, line and field, keeps the good ones, and stores every problem', async () => {
    const engine = tempEngine();
    const lines = ['d1\tbon', 'no tab here', '\tno id', 'd2\t', 'd3\ta\tb\tc', 'd1\tsecond d1', 'd4\tbon tanben'];
    for (let i = 0; i < 30; i++) lines.push(`broken line ${i}`);
    const file = write('bad.tsv', Buffer.concat([Buffer.from(`${lines.join('\n')}\n`), Buffer.from('d5\tcaf\xe9\n', 'latin1')]));
    const r = await engine.call('collection.import', { path: file, name: 'c', lang: 'fr' });
    expect(r.added).toBe(2);
    expect(r.bad).toBe(36);
    expect(r.issues).toHaveLength(20);
    expect(r.issues.slice(0, 5)).toEqual([
      { severity: 'error', file, line: 2, field: 'text', reason: expect.stringContaining('no tab') },
      { severity: 'error', file, line: 3, field: 'id', reason: expect.stringContaining('empty') },
      { severity: 'error', file, line: 4, field: 'text', reason: expect.stringContaining('no text') },
      { severity: 'error', file, line: 5, field: 'text', reason: expect.stringContaining('4 tab-separated fields') },
      // Duplicates are found when the batch is written, after the lines read with it; the first occurrence wins.
      { severity: 'error', file, line: 8, field: 'text', reason: expect.stringContaining('no tab') },
    ]);
    const stored = engine.workspace.db.prepare('SELECT line, field, reason FROM import_errors ORDER BY line').all() as { line: number; field: string; reason: string }[];
    expect(stored).toHaveLength(36);
    expect(stored.find((s) => s.line === 6)).toEqual({ line: 6, field: 'id', reason: expect.stringMatching(/duplicate id "d1".*first one is kept/) });
    expect(stored.find((s) => s.line === 38)?.reason).toMatch(/not valid UTF-8/);
    expect(docs(engine).find((d) => d.id === 'd1')?.text).toBe('bon');
  });

  it('is idempotent, and counts added, updated and unchanged documents on a re-import', async () => {
    const engine = tempEngine();
    const dir = tempDir();
    const file = join(dir, 'c.tsv');
    writeFileSync(file, 'd1\tun\nd2\tdos\nd3\ttres\n');
    await engine.call('collection.import', { path: file, name: 'c', lang: 'ca' });
    const again = await engine.call('collection.import', { path: file, name: 'c', lang: 'ca' });
    expect(again).toMatchObject({ added: 0, updated: 0, unchanged: 3, bad: 0 });
    writeFileSync(file, 'd1\tun\nd2\tdues\nd4\tquatre\n');
    const changed = await engine.call('collection.import', { path: file, name: 'c', lang: 'ca' });
    expect(changed).toMatchObject({ added: 1, updated: 1, unchanged: 1, bad: 0 });
    expect(docs(engine).map((d) => `${d.id}=${d.text}`)).toEqual(['d1=un', 'd2=dues', 'd3=tres', 'd4=quatre']);
  });

  it('counts and upserts exactly in large files too, where rows are inserted many at a time', async () => {
    const engine = tempEngine();
    const dir = tempDir();
    const file = join(dir, 'c.tsv');
    const ids = Array.from({ length: 1000 }, (_, i) => `d${i}`);
    // Duplicates close together (same multi-row insert) and far apart (different ones).
    const first = [...ids.map((id) => `${id}\ttext ${id}`), 'd3\tdup near', 'd999\tdup far'];
    first.splice(10, 0, 'd5\tdup in the same group');
    writeFileSync(file, `${first.join('\n')}\n`);
    const r1 = await engine.call('collection.import', { path: file, name: 'c', lang: 'fr' });
    expect(r1).toMatchObject({ added: 1000, bad: 3, updated: 0, unchanged: 0 });
    expect(r1.issues.map((i) => [i.line, i.field])).toEqual([
      [11, 'id'],
      [1002, 'id'],
      [1003, 'id'],
    ]);
    const second = ids.map((id, i) => `${id}\t${i % 10 === 0 ? 'changed' : 'text'} ${id}`);
    second.push(...Array.from({ length: 100 }, (_, i) => `n${i}\tnew ${i}`));
    writeFileSync(file, `${second.join('\n')}\n`);
    const r2 = await engine.call('collection.import', { path: file, name: 'c', lang: 'fr' });
    expect(r2).toMatchObject({ added: 100, updated: 100, unchanged: 900, bad: 0 });
    expect(docs(engine).find((d) => d.id === 'd5')?.text).toBe('text d5');
    expect(docs(engine).find((d) => d.id === 'd10')?.text).toBe('changed d10');
    expect(docs(engine)).toHaveLength(1100);
  });

  it('--strict stops at the first bad record and keeps nothing of the failing batch', async () => {
    const engine = tempEngine();
    const file = write('s.tsv', 'd1\tun\nd2\tdos\nd3 without tab\nd4\tquatre\n');
    const e = await rejects(engine.call('collection.import', { path: file, name: 'c', lang: 'ca', strict: true }));
    expect(e.code).toBe('bad_data');
    expect(e.details).toEqual([{ file, line: 3, field: 'text', reason: expect.stringContaining('no tab') }]);
    expect(e.message).toContain('--strict');
    expect(docs(engine)).toEqual([]);
    // It stored nothing, so nothing is left: not the collection it would have created, nor an unfinished import.
    expect(await engine.call('collection.list', {})).toEqual([]);
    const r = await engine.call('collection.import', { path: file, name: 'c', lang: 'ca' });
    expect(r).toMatchObject({ added: 3, bad: 1 });
    expect((await engine.call('collection.list', {}))[0]).toMatchObject({ documents: 3, incompleteImport: false });
  });

  it('--strict rejects a duplicate id with its line', async () => {
    const engine = tempEngine();
    const file = write('d.tsv', 'd1\tun\nd2\tdos\nd1\tun altre\n');
    const e = await rejects(engine.call('collection.import', { path: file, name: 'c', lang: 'ca', strict: true }));
    expect(e.details).toEqual([{ file, line: 3, field: 'id', reason: expect.stringContaining('duplicate id "d1"') }]);
    expect(docs(engine)).toEqual([]);
  });

  it('keeps the documents before a truncated gzip stream and names the file and the last good line', async () => {
    const engine = tempEngine();
    const text = Array.from({ length: 300_000 }, (_, i) => `d${i}\tdocument ${i} ${'mot '.repeat(i % 9)}`).join('\n');
    const gz = gzipSync(text);
    const file = write('cut.tsv.gz', gz.subarray(0, Math.floor(gz.length * 0.6)));
    const e = await rejects(engine.call('collection.import', { path: file, name: 'c', lang: 'fr' }));
    expect(e.code).toBe('bad_data');
    expect(e.message).toContain(file);
    expect(e.message).toMatch(/truncated.*last complete line read is line (\d+)/);
    const lastGood = Number(/line (\d+)/.exec(e.message)![1]);
    const count = engine.workspace.db.prepare('SELECT count(*) FROM documents').pluck().get() as number;
    expect(count).toBe(lastGood);
    expect(lastGood).toBeGreaterThan(100_000);
  });

  it('reads gzip-compressed TSV the same as plain TSV', async () => {
    const engine = tempEngine();
    const file = write('c.tsv.gz', gzipSync('d1\tun\nd2\tdos\n'));
    expect(await engine.call('collection.import', { path: file, name: 'c', lang: 'ca' })).toMatchObject({ format: 'tsv', added: 2 });
  });
});

describe('collection import: JSONL', () => {
  it('reads the Pyserini, BEIR and ir_datasets shapes, with other fields as metadata', async () => {
    const engine = tempEngine();
    const file = write(
      'c.jsonl.gz',
      gzipSync(
        [
          JSON.stringify({ id: 'p1', contents: 'Pyserini text' }),
          JSON.stringify({ _id: 'b1', title: 'BEIR title', text: 'BEIR text', metadata: { url: 'http://x' } }),
          JSON.stringify({ doc_id: 'i1', text: 'ir_datasets text', lang: 'fr' }),
          JSON.stringify({ doc_id: 42, text: 'numeric id' }),
          '',
        ].join('\n'),
      ),
    );
    const r = await engine.call('collection.import', { path: file, name: 'c', lang: 'fr' });
    expect(r).toMatchObject({ format: 'jsonl', added: 4, bad: 0 });
    expect(docs(engine)).toEqual([
      { id: '42', title: null, text: 'numeric id', metadata: null },
      { id: 'b1', title: 'BEIR title', text: 'BEIR text', metadata: '{"metadata":{"url":"http://x"}}' },
      { id: 'i1', title: null, text: 'ir_datasets text', metadata: '{"lang":"fr"}' },
      { id: 'p1', title: null, text: 'Pyserini text', metadata: null },
    ]);
  });

  it('reports JSON with missing or wrong fields by line and field', async () => {
    const engine = tempEngine();
    const file = write(
      'bad.jsonl',
      ['{"id":"a","contents":"ok"}', '{"contents":"no id"}', '{"id":"b"}', '{"id":"c","text":7}', '{"id":', '[1,2]', '{"id":"d","title":["x"],"text":"t"}'].join('\n'),
    );
    const r = await engine.call('collection.import', { path: file, name: 'c', lang: 'fr' });
    expect(r.added).toBe(1);
    expect(r.issues.map((i) => [i.line, i.field, i.reason.slice(0, 31)])).toEqual([
      [2, 'id', 'missing: expected one of id, _i'],
      [3, 'text', 'document "b" has no text: expec'],
      [4, 'text', 'must be a string'],
      [5, undefined, 'not valid JSON (Unexpected end '],
      [6, undefined, 'a JSON array, not an object; Po'],
      [7, 'title', 'must be a string'],
    ]);
  });
});

describe('collection import: sources and formats', () => {
  it('stops at once on a JSON array instead of reporting each of its lines', async () => {
    const engine = tempEngine();
    const file = write('corpus.json', '[\n  {"id": "a", "text": "un"},\n  {"id": "b", "text": "dos"}\n]\n');
    const e = await rejects(engine.call('collection.import', { path: file, name: 'c', lang: 'ca' }));
    expect(e.code).toBe('bad_data');
    expect(e.message).toContain('JSON array');
    expect(e.details).toEqual([{ file, line: 1, reason: 'a JSON array, not JSON Lines' }]);
  });

  it('guesses the format from the name and refuses what it cannot tell', async () => {
    const engine = tempEngine();
    const e = await rejects(engine.call('collection.import', { path: write('c.csv', 'a,b\n'), name: 'c', lang: 'fr' }));
    expect(e.code).toBe('invalid_input');
    expect(e.message).toContain('--format');
    const r = await engine.call('collection.import', { path: write('c.csv', 'd1\tun\n'), name: 'c', lang: 'fr', format: 'tsv' });
    expect(r.added).toBe(1);
    const missing = await rejects(engine.call('collection.import', { path: '/nonexistent/c.tsv', name: 'c', lang: 'fr' }));
    expect(missing.code).toBe('not_found');
  });

  it('refuses to add documents to a collection of another language', async () => {
    const engine = tempEngine();
    await engine.call('collection.import', { path: write('c.tsv', 'd1\tun\n'), name: 'c', lang: 'ca' });
    const e = await rejects(engine.call('collection.import', { path: write('c.tsv', 'd2\tdeux\n'), name: 'c', lang: 'fr' }));
    expect(e.code).toBe('conflict');
  });
});
