import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { tempDir, tempEngine } from '../helpers/workspace.ts';
import { PontError } from '../../electron/engine/errors.ts';

describe('runs stored in the workspace', () => {
  it('keep their ranking and provenance, export as TREC (gzip), and evaluate against a query set', async () => {
    const engine = tempEngine();
    const db = engine.workspace.db;
    db.prepare("INSERT INTO collections (name, lang) VALUES ('c', 'fr')").run();
    db.prepare("INSERT INTO query_sets (name, lang, collection_id) VALUES ('oc-dev', 'oc', (SELECT id FROM collections WHERE name = 'c'))").run();
    const insert = db.prepare("INSERT INTO qrels (query_set_id, qid, doc_ext_id, rel) VALUES ((SELECT id FROM query_sets WHERE name = 'oc-dev'), ?, ?, ?)");
    insert.run('1', 'a', 1);
    insert.run('2', 'z', 1);
    const dir = tempDir();
    // Written out of order, with a tie: the stored run is in trec_eval order (the tie broken by docno descending).
    writeFileSync(join(dir, 'x.run'), '2 Q0 z 1 0.5 ext\n1 Q0 a 2 1.0 ext\n1 Q0 b 1 1.0 ext\n');
    const stored = await engine.call('runs.import', { path: join(dir, 'x.run'), name: 'x', querySet: 'oc-dev', description: 'from a colleague' });
    expect(stored).toMatchObject({ name: 'x', runid: 'ext', queries: 2, hits: 3, querySet: 'oc-dev', label: 'from a colleague' });
    expect(stored.provenance).toMatchObject({ importedFrom: join(dir, 'x.run'), softwareVersion: expect.stringMatching(/^pont /), date: expect.any(String) });

    await engine.call('runs.export', { name: 'x', path: join(dir, 'out.run.gz') });
    expect(gunzipSync(readFileSync(join(dir, 'out.run.gz'))).toString()).toBe('2 Q0 z 1 0.5 ext\n1 Q0 b 1 1 ext\n1 Q0 a 2 1 ext\n');

    const report = await engine.call('eval.run', { run: 'x', qrels: 'oc-dev', measures: ['RR@10', 'P@1'], save: true });
    expect(report.summary).toEqual({ 'RR@10': (1 + 1 / 2) / 2, 'P@1': 1 / 2 });
    expect(report.perQuery).toBeUndefined();
    const saved = db.prepare('SELECT qrels, summary FROM evaluations').get() as { qrels: string; summary: string };
    expect(saved.qrels).toBe('query set oc-dev');
    expect(JSON.parse(saved.summary)).toEqual(report.summary);

    await expect(engine.call('runs.import', { path: join(dir, 'x.run'), name: 'x' })).rejects.toThrow(/already exists/);
    await expect(engine.call('eval.run', { run: 'nope', qrels: 'oc-dev' })).rejects.toBeInstanceOf(PontError);
    expect((await engine.call('runs.list', {})).map((r) => r.name)).toEqual(['x']);
    await engine.call('runs.delete', { name: 'x' });
    expect(await engine.call('runs.list', {})).toEqual([]);
  });
});
