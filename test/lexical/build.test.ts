import { describe, expect, it } from 'vitest';
import { buildIndex } from '../../electron/engine/lexical/builder.ts';
import { readIndex, retrieve } from '../../electron/engine/lexical/search.ts';
import { getIndex } from '../../electron/engine/lexical/store.ts';
import { PontError } from '../../electron/engine/errors.ts';
import { CancelledError, noJob } from '../../electron/engine/jobs/progress.ts';
import { tempEngine, tempWorkspace } from '../helpers/workspace.ts';
import { addDocs } from './helpers.ts';
import type Database from 'better-sqlite3';

const words = ['aiga', 'font', 'lenga', 'occitan', 'catalan', 'escòla', 'vila', 'mar', 'sorelh', 'luna', 'país', 'libre'];
const text = (i: number) => Array.from({ length: 3 + (i % 7) }, (_, j) => words[(i * 7 + j * j) % words.length]).join(' ') + ` uniq${i}`;

function rank(db: Database.Database, index: string, q: string, k = 20) {
  const reader = readIndex(db, getIndex(db, 'c', index));
  const ext = db.prepare('SELECT ext_id FROM documents WHERE id = ?').pluck();
  return retrieve(db, reader, q, { k1: 0.9, b: 0.4, k }).docs.map((d) => [ext.get(d.docId), d.score.toFixed(9)]);
}

const base = { collection: 'c', analyzer: 'words', titleWeight: 2, rebuild: false, memoryMb: 64 };

describe('index building', () => {
  it('writes one segment per range, resumes after a cancellation and matches a one-pass build', async () => {
    const ws = tempWorkspace();
    addDocs(ws.db, 'c', 'oc', Array.from({ length: 2500 }, (_, i) => [`d${i}`, text(i), i % 5 === 0 ? `títol ${words[i % 12]}` : undefined] as const));
    const abort = new AbortController();
    const seen: number[] = [];
    const first = buildIndex(ws.db, { ...base, name: 'ix', workers: 0, segmentDocs: 1000 }, {
      signal: abort.signal,
      progress: (p) => {
        seen.push(p.done);
        if (p.done >= 1000) abort.abort();
      },
    });
    await expect(first).rejects.toBeInstanceOf(CancelledError);
    const row = getIndex(ws.db, 'c', 'ix');
    expect(row.state).toBe('building');
    expect(() => readIndex(ws.db, row)).toThrow(PontError);
    const resumed = await buildIndex(ws.db, { ...base, name: 'ix', workers: 0, segmentDocs: 1000, merge: false }, { signal: new AbortController().signal, progress: () => {} });
    expect(resumed).toMatchObject({ resumed: true, documents: 2500, segments: 3, indexed: 1500 });
    // The same documents in one segment, inverted by a worker thread.
    const once = await buildIndex(ws.db, { ...base, name: 'one', workers: 1 }, { signal: new AbortController().signal, progress: () => {} });
    expect(once).toMatchObject({ documents: 2500, segments: 1 });
    const queries = ['aiga font', 'lenga occitan uniq17', 'títol mar', 'luna luna vila'];
    for (const q of queries) expect(rank(ws.db, 'ix', q)).toEqual(rank(ws.db, 'one', q));
    // Merging the three segments changes nothing in the results.
    expect(await buildIndex(ws.db, { ...base, name: 'ix', workers: 0 }, noJob)).toMatchObject({ documents: 2500, segments: 1 });
    for (const q of queries) expect(rank(ws.db, 'ix', q)).toEqual(rank(ws.db, 'one', q));
  });

  it('merges segments and tombstones into the index a fresh build gives', async () => {
    const ws = tempWorkspace();
    const db = ws.db;
    const cid = addDocs(db, 'c', 'oc', Array.from({ length: 1500 }, (_, i) => [`d${i}`, text(i)] as const));
    await buildIndex(db, { ...base, name: 'ix', workers: 0, segmentDocs: 700 }, noJob);
    addDocs(db, 'c', 'oc', Array.from({ length: 300 }, (_, i) => [`n${i}`, text(i * 3 + 1)] as const));
    db.prepare("DELETE FROM documents WHERE collection_id = ? AND ext_id LIKE 'd1%'").run(cid);
    db.prepare("UPDATE documents SET text = 'lenga lenga mar' WHERE collection_id = ? AND ext_id IN ('d2', 'n5')").run(cid);
    const merged = await buildIndex(db, { ...base, name: 'ix', workers: 0 }, noJob);
    const fresh = await buildIndex(db, { ...base, name: 'fresh', workers: 0 }, noJob);
    expect(merged).toMatchObject({ segments: 1, documents: fresh.documents });
    expect(db.prepare('SELECT count(*) FROM lexical_segments s JOIN lexical_indexes i ON i.id = s.index_id WHERE i.name = ? AND s.deleted IS NOT NULL').pluck().get('ix')).toBe(0);
    for (const q of ['lenga mar', 'aiga font uniq5', 'luna vila escòla', 'uniq1000']) expect(rank(db, 'ix', q, 50)).toEqual(rank(db, 'fresh', q, 50));
  });

  it('picks up documents added, changed and deleted after the build', async () => {
    const engine = tempEngine();
    const db = engine.workspace.db;
    const cid = addDocs(db, 'c', 'fr', [
      ['a', 'la fontaine de la ville'],
      ['b', 'la mer et le soleil'],
      ['c', 'une école de langue'],
    ]);
    await engine.call('index.build', { collection: 'c', analyzer: 'words', workers: 0 });
    addDocs(db, 'c', 'fr', [['d', 'une nouvelle fontaine']]);
    db.prepare("DELETE FROM documents WHERE collection_id = ? AND ext_id = 'a'").run(cid);
    db.prepare("UPDATE documents SET text = 'le soleil de la lune' WHERE collection_id = ? AND ext_id = 'b'").run(cid);
    expect((await engine.call('index.list', { collection: 'c' }))[0]!.pendingChanges).toBeGreaterThan(0);
    const r = await engine.call('search', { collection: 'c', query: 'fontaine', k: 10 });
    expect(r.hits.map((h) => h.id)).toEqual(['d']);
    expect((await engine.call('search', { collection: 'c', query: 'lune', k: 10 })).hits.map((h) => h.id)).toEqual(['b']);
    expect((await engine.call('search', { collection: 'c', query: 'mer', k: 10 })).hits).toEqual([]);
    expect(r.pendingChanges).toBe(0);
    const list = await engine.call('index.list', { collection: 'c' });
    expect(list[0]).toMatchObject({ documents: 3, pendingChanges: 0, segments: 2 });
    // Building again merges the segments.
    expect(await engine.call('index.build', { collection: 'c', analyzer: 'words', workers: 0 })).toMatchObject({ documents: 3, segments: 1 });
    expect((await engine.call('search', { collection: 'c', query: 'lune', k: 10 })).hits.map((h) => h.id)).toEqual(['b']);
    // A rebuild folds everything into one segment again.
    const rebuilt = await engine.call('index.build', { collection: 'c', analyzer: 'words', rebuild: true, workers: 0 });
    expect(rebuilt).toMatchObject({ documents: 3, segments: 1 });
    expect(db.prepare('SELECT count(*) FROM lexical_changes').pluck().get()).toBe(0);
  });

  it('refuses to rebuild an index under another analyser without --rebuild, and cleans up after a dropped collection', async () => {
    const engine = tempEngine();
    addDocs(engine.workspace.db, 'c', 'fr', [['a', 'texte']]);
    await engine.call('index.build', { collection: 'c', name: 'x', analyzer: 'words', workers: 0 });
    await expect(engine.call('index.build', { collection: 'c', name: 'x', analyzer: 'chargram:3-5', workers: 0 })).rejects.toMatchObject({ code: 'conflict' });
    await engine.call('collection.delete', { name: 'c' });
    const db = engine.workspace.db;
    for (const t of ['lexical_indexes', 'lexical_segments', 'lexical_terms', 'lexical_blocks', 'lexical_changes']) expect(db.prepare(`SELECT count(*) FROM ${t}`).pluck().get()).toBe(0);
  });
});
