// Long jobs in threads of their own (electron/api/threads.ts), as the application and `pont serve` run them: the
// index they build equals the one built on the calling thread, errors and cancellation cross the thread boundary,
// and a search made while an index is rewritten sees the old index or the new one, never part of each.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../electron/api/engine.ts';
import { PontError } from '../../electron/engine/errors.ts';
import { CancelledError, noJob } from '../../electron/engine/jobs/progress.ts';
import { buildIndex } from '../../electron/engine/lexical/builder.ts';
import { tempDir, tempWorkspace } from '../helpers/workspace.ts';
import { addDocs } from './helpers.ts';

const words = ['aiga', 'font', 'lenga', 'occitan', 'catalan', 'escòla', 'vila', 'mar', 'sorelh', 'luna', 'país', 'libre'];
const text = (i: number) => Array.from({ length: 3 + (i % 7) }, (_, j) => words[(i * 7 + j * j) % words.length]).join(' ') + ` uniq${i % 997}`;
const queries = ['aiga font', 'lenga occitan uniq17', 'mar luna', 'vila país libre'];

type Ranked = [string, number][];

async function ranked(engine: Engine, query: string): Promise<Ranked> {
  const r = await engine.call('search', { collection: 'c', query, k: 20, index: 'ix' });
  return r.hits.map((h) => [h.id, h.score]);
}

/** Searches for the queries again and again until `job` ends: what each round returned, and the job's report. */
async function searchWhile<T>(engine: Engine, job: Promise<T>): Promise<{ seen: Ranked[][]; report: T }> {
  const seen: Ranked[][] = [];
  let done = false;
  const settled = job.finally(() => (done = true));
  while (!done) {
    seen.push(await Promise.all(queries.map((q) => ranked(engine, q))));
    // A search here never waits for anything asynchronous: let the job's messages in.
    await new Promise((r) => setImmediate(r));
  }
  return { seen, report: await settled };
}

describe('jobs in their own threads', () => {
  it('import and build in a thread give what they give on the calling thread; errors and cancellation cross over', async () => {
    const file = join(tempDir(), 'c.tsv');
    writeFileSync(file, Array.from({ length: 5000 }, (_, i) => `d${i}\t${text(i)}\n`).join(''));
    const threaded = new Engine(tempWorkspace(), { jobThreads: true });
    const inline = new Engine(tempWorkspace());
    for (const e of [threaded, inline]) {
      expect(await e.call('collection.import', { path: file, name: 'c', lang: 'oc' })).toMatchObject({ added: 5000 });
      expect(await e.call('index.build', { collection: 'c', name: 'ix', analyzer: 'words' })).toMatchObject({ documents: 5000, segments: 1 });
    }
    for (const q of queries) expect(await ranked(threaded, q)).toEqual(await ranked(inline, q));

    // A PontError keeps its code and message id across the thread boundary.
    const missing = threaded.call('collection.import', { path: join(tempDir(), 'none.tsv'), name: 'x', lang: 'oc' });
    await expect(missing).rejects.toBeInstanceOf(PontError);
    await expect(missing).rejects.toMatchObject({ code: 'not_found' });

    // Cancelled in its thread, the build stops; the next one finishes it.
    const abort = new AbortController();
    const cancelled = threaded.call('index.build', { collection: 'c', name: 'other', analyzer: 'words' }, { signal: abort.signal, onProgress: () => abort.abort() });
    await expect(cancelled).rejects.toMatchObject({ code: 'cancelled' });
    expect(await threaded.call('index.build', { collection: 'c', name: 'other', analyzer: 'words' })).toMatchObject({ documents: 5000, resumed: true });
  });

  it('a search while an index is rewritten in its thread returns the old results or the new ones, never a mix or an error', async () => {
    const ws = tempWorkspace();
    const engine = new Engine(ws, { jobThreads: true });
    const db = ws.db;
    const cid = addDocs(db, 'c', 'oc', Array.from({ length: 3000 }, (_, i) => [`d${i}`, text(i)] as const));
    await engine.call('index.build', { collection: 'c', name: 'ix', analyzer: 'words' });
    // More changes than a search catches up with itself: the index is rewritten by the build alone.
    addDocs(db, 'c', 'oc', Array.from({ length: 5200 }, (_, i) => [`n${i}`, `${text(i * 5 + 3)} ${words[i % 12]} mar`] as const));
    db.prepare("DELETE FROM documents WHERE collection_id = ? AND ext_id LIKE 'd1%'").run(cid);
    const before = await Promise.all(queries.map((q) => ranked(engine, q)));
    const { seen, report } = await searchWhile(engine, engine.call('index.build', { collection: 'c', name: 'ix', analyzer: 'words' }));
    expect(report).toMatchObject({ documents: 8200 - 1111, segments: 1 });
    const after = await Promise.all(queries.map((q) => ranked(engine, q)));
    expect(after).not.toEqual(before);
    expect(seen.length).toBeGreaterThan(0);
    for (const results of seen) results.forEach((r, i) => expect([before[i], after[i]]).toContainEqual(r));

    // Rebuilt with another analyser, the index answers as it was until the new one replaces it.
    const rebuild = await searchWhile(engine, engine.call('index.build', { collection: 'c', name: 'ix', analyzer: 'chargram:3-5+fold', rebuild: true }));
    const rebuilt = await Promise.all(queries.map((q) => ranked(engine, q)));
    expect(rebuilt).not.toEqual(after);
    expect(rebuild.seen.length).toBeGreaterThan(0);
    for (const results of rebuild.seen) results.forEach((r, i) => expect([after[i], rebuilt[i]]).toContainEqual(r));
    expect((await engine.call('index.list', { collection: 'c' })).map((i) => [i.name, i.analyzer])).toEqual([['ix', 'chargram:3-5+fold']]);
  });

  it('an interrupted rebuild leaves the old index searchable, and the next build finishes it', async () => {
    const ws = tempWorkspace();
    const engine = new Engine(ws);
    addDocs(ws.db, 'c', 'oc', Array.from({ length: 3000 }, (_, i) => [`d${i}`, text(i)] as const));
    await engine.call('index.build', { collection: 'c', name: 'ix', analyzer: 'words' });
    const before = await ranked(engine, 'aiga font');
    const abort = new AbortController();
    const stopped = buildIndex(ws.db, { collection: 'c', name: 'ix', analyzer: 'words', titleWeight: 1, rebuild: true, memoryMb: 64, workers: 0, segmentDocs: 1000 }, {
      signal: abort.signal,
      progress: (p) => p.done >= 1000 && abort.abort(),
    });
    await expect(stopped).rejects.toBeInstanceOf(CancelledError);
    expect(await ranked(engine, 'aiga font')).toEqual(before);
    expect((await engine.call('index.list', { collection: 'c' })).map((i) => [i.name, i.state])).toEqual([
      ['ix', 'ready'],
      ['ix (rebuilding)', 'building'],
    ]);
    expect(await buildIndex(ws.db, { collection: 'c', name: 'ix', analyzer: 'words', titleWeight: 1, rebuild: false, memoryMb: 64, workers: 0 }, noJob)).toMatchObject({
      resumed: true,
      documents: 3000,
    });
    expect((await engine.call('index.list', { collection: 'c' })).map((i) => [i.name, i.state, i.titleWeight])).toEqual([['ix', 'ready', 1]]);
  });
});
