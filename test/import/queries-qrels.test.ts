import { describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/api/engine.ts';
import { failure } from '../helpers/errors.ts';
import { tempEngine, writeTemp } from '../helpers/workspace.ts';

async function withCollection(): Promise<Engine> {
  const engine = tempEngine();
  await engine.call('collection.import', { path: writeTemp('c.tsv', 'd1\tLe pain\nd2\tLa mer\nd3\tLe vent\n'), name: 'fr', lang: 'fr' });
  return engine;
}

describe('queries import', () => {
  it('reads TSV queries into a query set linked to a collection, in a variety', async () => {
    const engine = await withCollection();
    const file = writeTemp('q.tsv', 'qid\ttext\nq1\tlo pan\r\nq2\tla mar\n\nq1\tdoblon\nq3\n');
    const r = await engine.call('queries.import', { path: file, collection: 'fr', name: 'oc-q', lang: 'oc' });
    expect(r).toMatchObject({ collection: 'fr', querySet: 'oc-q', format: 'tsv', added: 2, bad: 2 });
    expect(r.issues).toEqual([
      { severity: 'error', file, line: 5, field: 'qid', reason: expect.stringContaining('duplicate query id "q1" (first at line 2)') },
      { severity: 'error', file, line: 6, field: 'text', reason: expect.stringContaining('no tab') },
    ]);
    expect(await engine.call('queries.list', {})).toEqual([{ name: 'oc-q', lang: 'oc', collection: 'fr', queries: 2, judged: 0 }]);
    expect(await engine.call('queries.import', { path: file, collection: 'fr', name: 'oc-q', lang: 'oc' })).toMatchObject({ added: 0, unchanged: 2 });
  });

  it('reads JSONL queries with qid, _id or query_id and text or query', async () => {
    const engine = await withCollection();
    const file = writeTemp('q.jsonl', ['{"qid":"q1","text":"lo pan"}', '{"_id":"q2","query":"la mar"}', '{"query_id":3,"text":"lo vent"}', '{"qid":"q4"}'].join('\n'));
    const r = await engine.call('queries.import', { path: file, collection: 'fr', name: 'ca-q', lang: 'ca' });
    expect(r).toMatchObject({ format: 'jsonl', added: 3, bad: 1 });
    expect(r.issues[0]).toMatchObject({ line: 4, field: 'text' });
    const texts = engine.workspace.db.prepare('SELECT qid, text FROM queries ORDER BY qid').all();
    expect(texts).toEqual([
      { qid: '3', text: 'lo vent' },
      { qid: 'q1', text: 'lo pan' },
      { qid: 'q2', text: 'la mar' },
    ]);
  });

  it('reads a file whose name does not tell its format when the format is given', async () => {
    const engine = await withCollection();
    const file = writeTemp('topics.txt', 'q1\tlo pan\n');
    expect((await failure(engine.call('queries.import', { path: file, collection: 'fr', name: 'q', lang: 'oc' }))).code).toBe('invalid_input');
    expect(await engine.call('queries.import', { path: file, collection: 'fr', name: 'q', lang: 'oc', format: 'tsv' })).toMatchObject({ added: 1 });
  });

  it('needs an existing collection, and keeps a query set to its collection and variety', async () => {
    const engine = await withCollection();
    const file = writeTemp('q.tsv', 'q1\tlo pan\n');
    expect((await failure(engine.call('queries.import', { path: file, collection: 'nope', name: 'q', lang: 'oc' }))).code).toBe('not_found');
    await engine.call('queries.import', { path: file, collection: 'fr', name: 'q', lang: 'oc' });
    expect((await failure(engine.call('queries.import', { path: file, collection: 'fr', name: 'q', lang: 'ca' }))).code).toBe('conflict');
  });
});

describe('qrels import', () => {
  it('reads graded TREC qrels; judgements of unknown queries or documents are kept and reported with their lines', async () => {
    const engine = await withCollection();
    await engine.call('queries.import', { path: writeTemp('q.tsv', 'q1\tlo pan\nq2\tla mar\n'), collection: 'fr', name: 'oc-q', lang: 'oc' });
    const file = writeTemp('qrels.txt', ['q1 0 d1 2', 'q1\t0\td2\t0', 'q2 0 d2 1', 'q2 0 d404 1', 'q9 0 d3 1', 'q1 0 d3 x', 'q1 0 d1', 'q1 0 d1 1', '  '].join('\n'));
    const r = await engine.call('qrels.import', { path: file, queries: 'oc-q' });
    expect(r).toMatchObject({ format: 'trec', querySet: 'oc-q', added: 5, bad: 3, warnings: 2 });
    expect(r.issues).toEqual([
      { severity: 'warning', file, line: 4, field: 'docid', reason: expect.stringContaining('"d404" is not in the collection') },
      { severity: 'warning', file, line: 5, field: 'qid', reason: expect.stringContaining('"q9" is not in the query set') },
      { severity: 'error', file, line: 6, field: 'relevance', reason: '"x" is not an integer' },
      { severity: 'error', file, line: 7, reason: expect.stringContaining('3 fields') },
      { severity: 'error', file, line: 8, field: 'docid', reason: expect.stringContaining('first at line 1') },
    ]);
    expect(r.notes).toEqual([
      expect.stringMatching(/^1 judgements name documents that are not in collection "fr"/),
      expect.stringMatching(/^1 judgements are for queries that are not in query set "oc-q"/),
    ]);
    const rels = engine.workspace.db.prepare("SELECT qid, doc_ext_id, rel FROM qrels WHERE qid = 'q1' ORDER BY doc_ext_id").all();
    expect(rels).toEqual([
      { qid: 'q1', doc_ext_id: 'd1', rel: 2 },
      { qid: 'q1', doc_ext_id: 'd2', rel: 0 },
    ]);
    expect((await engine.call('queries.list', {}))[0]).toMatchObject({ queries: 2, judged: 3 });
  });

  it('needs an existing query set', async () => {
    const engine = await withCollection();
    const e = await failure(engine.call('qrels.import', { path: writeTemp('qrels.txt', 'q1 0 d1 1\n'), queries: 'missing' }));
    expect(e.code).toBe('not_found');
    expect(e.details[0]).toMatchObject({ field: 'queries' });
  });
});
