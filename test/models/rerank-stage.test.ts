import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPipeline } from '../../electron/engine/pipeline/registry.ts';
import '../../electron/engine/pipeline/kinds.ts';
import { ensureCollection } from '../../electron/engine/store/collections.ts';
import { noJob } from '../../electron/engine/jobs/progress.ts';
import { tempDir, tempEngine } from '../helpers/workspace.ts';
import { writeCrossEncoderPack } from './packs.ts';

describe('rerank pipeline stage', () => {
  it('re-scores the first stage’s top documents with a model and keeps the rest below them', async () => {
    const engine = tempEngine();
    const ws = engine.workspace;
    const c = ensureCollection(ws.db, 'docs', 'en');
    const docs: [string, string][] = [['d1', 'the river'], ['d2', 'the cat sat on the mat'], ['d3', 'a dog ran over the bridge'], ['d4', 'pont']];
    for (const [id, text] of docs) ws.db.prepare('INSERT INTO documents (collection_id, ext_id, text) VALUES (?, ?, ?)').run(c.id, id, text);
    const pack = tempDir();
    writeCrossEncoderPack(pack);
    await engine.call('model.import', { path: pack, name: 'ce' });
    await engine.call('model.settings', { provider: 'cpu' });

    const runFile = join(tempDir(), 'first.run');
    writeFileSync(runFile, ['q1 Q0 d1 1 4 bm25', 'q1 Q0 d2 2 3 bm25', 'q1 Q0 d3 3 2 bm25', 'q1 Q0 d4 4 1 bm25'].join('\n') + '\n');
    const stage = buildPipeline({ rerank: { model: 'ce', depth: 3, input: { run: { file: runFile } } } });
    expect(stage.label).toMatch(/^run\(.*\) >> rerank\(ce, depth=3\)$/);
    const out = await stage.run([{ qid: 'q1', text: 'the cat' }], { ...noJob, workspace: ws, collection: 'docs' });
    const hits = out.get('q1')!;

    const direct = await engine.call('model.rerank', { model: 'ce', query: 'the cat', docs: docs.slice(0, 3).map((d) => d[1]) });
    expect(hits.slice(0, 3).map((h) => h.docId)).toEqual(direct.ranked.map((r) => docs[r.index]![0]));
    hits.slice(0, 3).forEach((h, i) => expect(h.score).toBeCloseTo(direct.ranked[i]!.score, 5));
    expect(hits[3]).toMatchObject({ docId: 'd4' });
    expect(hits[3]!.score).toBeLessThan(hits[2]!.score);
  });

  it('says when it has nothing to re-rank', async () => {
    const engine = tempEngine();
    ensureCollection(engine.workspace.db, 'docs', 'en');
    const stage = buildPipeline({ rerank: { model: 'ce' } });
    await expect(stage.run([{ qid: 'q1', text: 'x' }], { ...noJob, workspace: engine.workspace, collection: 'docs' })).rejects.toMatchObject({ code: 'invalid_input' });
  });
});
