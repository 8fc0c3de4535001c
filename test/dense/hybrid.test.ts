import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPipeline, type PipelineSpec } from '../../electron/engine/pipeline/registry.ts';
import '../../electron/engine/pipeline/kinds.ts';
import { linearFusion, prepareFusion } from '../../electron/engine/pipeline/fusion.ts';
import { noJob } from '../../electron/engine/jobs/progress.ts';
import { json, runCli } from '../cli/run-cli.ts';
import { tempDir } from '../helpers/workspace.ts';
import { engineWithDenseModel } from '../models/packs.ts';

const docs = [
  'the cat sat on the mat',
  'the dog ran over the bridge',
  'the river',
  'pont over the river',
  'a cat , a dog',
  'the document',
  'where is the bridge',
  'occitan',
  'water under the bridge',
  'a river of words',
];
const queries = [
  { qid: 'q1', text: 'the river' },
  { qid: 'q2', text: 'bridge over water' },
  { qid: 'q3', text: 'cat' },
];

async function setup() {
  const engine = await engineWithDenseModel(docs);
  await engine.call('index.build', { collection: 'docs', analyzer: 'words:en' });
  await engine.call('dense.index', { collection: 'docs', model: 'e5' });
  return engine;
}

describe('hybrid retrieval', () => {
  it('is the fusion of BM25 and dense, linear or by rank, in pipelines, search and run', async () => {
    const engine = await setup();
    const ws = engine.workspace;
    const ctx = { ...noJob, workspace: ws, collection: 'docs' };
    const run = (spec: PipelineSpec) => buildPipeline(spec).run(queries, ctx);
    const bm25 = await run({ bm25: {} });
    const dense = await run({ dense: { model: 'e5', k: 10 } });
    // A model per query set, as a bridge per variety: by template or by name.
    const forSet = (spec: PipelineSpec, querySet?: string) => buildPipeline(spec).run(queries, { ...ctx, ...(querySet ? { querySet } : {}) });
    expect(await forSet({ dense: { model: '{querySet}', k: 10 } }, 'e5')).toEqual(dense);
    expect(await forSet({ dense: { model: { 'topics-oc': 'e5' }, k: 10 } }, 'topics-oc')).toEqual(dense);
    await expect(forSet({ dense: { model: '{querySet}', k: 10 } })).rejects.toMatchObject({ id: 'pipeline.needs_query_set' });

    const hybrid = await run({ hybrid: { model: 'e5', k: 10, alpha: 0.3 } });
    for (const q of queries) expect(hybrid.get(q.qid)).toEqual(linearFusion(prepareFusion(bm25.get(q.qid)!, dense.get(q.qid)!, 'minmax'), 0.3, 1000));
    expect(await run({ hybrid: { model: 'e5', k: 10, fusion: 'rrf' } })).toEqual(await run({ rrf: { systems: [{ bm25: {} }, { dense: { model: 'e5', k: 10 } }] } }));
    // The term side is any pipeline, named by its kind.
    expect(await run({ hybrid: { model: 'e5', k: 10, term: { bm25: { k1: 1.2 } }, alpha: 1 } })).toEqual(await run({ fuse: { systems: [{ bm25: { k1: 1.2 } }, { dense: { model: 'e5', k: 10 } }], alpha: 1 } }));
    expect(() => buildPipeline({ hybrid: { model: 'e5', alpha: 'cv' } })).toThrow(/needs qrels/);

    // Interactive search: α = 1 keeps BM25's order on top, α = 0 the dense order.
    const lexical = await engine.call('search', { collection: 'docs', query: 'the river', k: 10 });
    const termOnly = await engine.call('search', { collection: 'docs', query: 'the river', k: 10, dense: 'e5', alpha: 1 });
    expect(termOnly.dense).toEqual({ model: 'e5', alpha: 1 });
    // (BM25's last hit normalises to 0, the floor that documents it did not return also get: ties below it.)
    const ranked = termOnly.hits.filter((h) => h.score > 0).map((h) => h.id);
    expect(ranked.length).toBe(lexical.hits.length - 1);
    expect(ranked).toEqual(lexical.hits.slice(0, ranked.length).map((h) => h.id));
    const denseOnly = await engine.call('search', { collection: 'docs', query: 'the river', k: 3, dense: 'e5', alpha: 0 });
    const denseHits = await engine.call('dense.search', { collection: 'docs', model: 'e5', query: 'the river', k: 3 });
    expect(denseOnly.hits.map((h) => h.id)).toEqual(denseHits.hits.map((h) => h.docId));
    expect(denseOnly.hits.every((h) => h.snippet.text.length > 0)).toBe(true);

    // pont run --dense: the hybrid of the lexical index and the dense index, α 0.5 by default, as a TREC run.
    const dir = tempDir();
    writeFileSync(join(dir, 'q.tsv'), queries.map((q) => `${q.qid}\t${q.text}`).join('\n'));
    await engine.call('queries.import', { path: join(dir, 'q.tsv'), collection: 'docs', name: 'qs', lang: 'en' });
    const out = join(dir, 'hybrid.run');
    const r = runCli(['--workspace', ws.dir, '--json', 'run', '--collection', 'docs', '--queries', 'qs', '--index', 'words-en', '--dense', 'e5', '--k', '10', '--output', out]);
    expect(r.code).toBe(0);
    expect(json<{ dense: unknown; tag: string }>(r)).toMatchObject({ dense: { model: 'e5', alpha: 0.5 }, tag: 'pont-bm25+dense' });
    const expected = await run({ hybrid: { model: 'e5', k: 10, depth: 10, term: { bm25: { index: 'words-en', k: 10 } } } });
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines.length).toBe([...expected.values()].reduce((n, hits) => n + hits.length, 0));
    const first = lines[0]!.split(/\s+/);
    expect(first.slice(0, 3)).toEqual(['q1', 'Q0', expected.get('q1')![0]!.docId]);
  });
});
