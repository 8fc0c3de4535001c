// The index's bytes, whatever way it is built, against an exhaustive reference: every term's postings counted
// straight from the documents with the analyser and encoded with the codec (the format's specification).
import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { parseAnalyzer } from '../../electron/engine/analysis/analyzer.ts';
import { ByteWriter, encodePostings } from '../../electron/engine/lexical/codec.ts';
import { buildIndex } from '../../electron/engine/lexical/builder.ts';
import { inverterFor, invertRange, type InvertedRange } from '../../electron/engine/lexical/invert-range.ts';
import { RangeEncoder, type EncodedSegment, type Inverter } from '../../electron/engine/lexical/inverter.ts';
import { writeSegment } from '../../electron/engine/lexical/store.ts';
import { SpillFile } from '../../electron/engine/lexical/spill.ts';
import { dirname, join } from 'node:path';
import { memoryCursor } from '../../electron/engine/lexical/concat.ts';
import { noJob } from '../../electron/engine/jobs/progress.ts';
import { tempWorkspace } from '../helpers/workspace.ts';
import { rng } from '../helpers/random.ts';
import { addDocs } from './helpers.ts';

const hex = (b: Uint8Array | null) => (b ? Buffer.from(b).toString('hex') : null);
const TITLE_WEIGHT = 2;

/** Per term, in order: df, skips and the blocks, as the one segment of an index holds them. */
function dump(db: Database.Database, index: string): string[][] {
  const seg = db.prepare('SELECT s.id FROM lexical_segments s JOIN lexical_indexes i ON i.id = s.index_id WHERE i.name = ?').pluck().all(index) as number[];
  expect(seg).toHaveLength(1);
  const block = db.prepare('SELECT data FROM lexical_blocks WHERE id = ?').pluck();
  const rows = db.prepare('SELECT term, df, skips, first_block, postings FROM lexical_terms WHERE segment_id = ?').all(seg[0]) as {
    term: string;
    df: number;
    skips: Uint8Array;
    first_block: number | null;
    postings: Uint8Array | null;
  }[];
  // The dictionary in code-unit order, as the builder writes it (SQLite orders UTF-8 bytes).
  rows.sort((a, b) => (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
  return rows.map((r) => {
    const blocks = r.postings ? [hex(r.postings)!] : Array.from({ length: Math.ceil(r.df / 128) }, (_, b) => hex(block.get(r.first_block! + b) as Uint8Array)!);
    return [r.term, String(r.df), hex(r.skips)!, ...blocks];
  });
}

/** The same from the documents (in id order), one term at a time. */
function reference(db: Database.Database, spec: string): string[][] {
  const a = parseAnalyzer(spec);
  const docs = db.prepare("SELECT title, text FROM documents WHERE collection_id = (SELECT id FROM collections WHERE name = 'c') ORDER BY id").all() as {
    title: string | null;
    text: string;
  }[];
  const postings = new Map<string, [number, number][]>();
  const lens: number[] = [];
  docs.forEach((d, n) => {
    const tf = new Map<string, number>();
    for (const t of d.title ? a.terms(d.title) : []) tf.set(t, (tf.get(t) ?? 0) + TITLE_WEIGHT);
    for (const t of a.terms(d.text)) tf.set(t, (tf.get(t) ?? 0) + 1);
    lens.push([...tf.values()].reduce((x, y) => x + y, 0));
    for (const [t, f] of tf) postings.set(t, [...(postings.get(t) ?? []), [n, f]]);
  });
  return [...postings.keys()].sort().map((t) => {
    const p = postings.get(t)!;
    const out = new ByteWriter();
    const skips = new ByteWriter();
    const ends = [0];
    encodePostings(
      p.map(([d]) => d),
      p.map(([, f]) => f),
      lens,
      out,
      skips,
      ends,
    );
    return [t, String(p.length), hex(skips.view())!, ...ends.slice(1).map((e, b) => hex(out.view(ends[b], e))!)];
  });
}

function collection(): Database.Database {
  const ws = tempWorkspace();
  const r = rng(7);
  // Words the word table keeps in their entry (up to 8 code units below 256: 'occitana', "l'escòla") and beside it
  // (longer: 'occitanas', 'col·lecció'; wider: 'ﬁn', 'σοφία', '𝔪𝔞𝔯').
  const vocab = ['aiga', 'font', 'lenga', 'occitana', "l'escòla", 'Mar', 'mar', 'col·lecció', 'país', 'ﬁn', 'èsser', 'vila', 'occitanas', 'σοφία', '𝔪𝔞𝔯'];
  // Common words (lists of several blocks), words of one range only (the joins' fast path), and words in a few.
  const text = (i: number) =>
    Array.from({ length: 3 + Math.floor(r() * 12) }, () => (r() < 0.7 ? vocab[Math.floor(r() * vocab.length)] : `w${Math.floor(r() * 400)}`)).join(' ') +
    ` r${Math.floor(i / 500)}x${i % 37} u${i}`;
  const docs = Array.from({ length: 3100 }, (_, i) => [`d${i}`, text(i), i % 6 === 0 ? `títol ${vocab[i % 12]}` : undefined] as const);
  // Another collection's documents before the first and between some of these (builds read ids in order along the
  // table and must skip them).
  const other = (k: number) => addDocs(ws.db, 'other', 'oc', Array.from({ length: 40 }, (_, i) => [`o${k}-${i}`, `aiga font alien${i} ${k}`] as const));
  for (let at = 0, k = 0; at < docs.length; at += 700, k++) {
    other(k);
    addDocs(ws.db, 'c', 'oc', docs.slice(at, at + 700));
  }
  return ws.db;
}

const base = { collection: 'c', titleWeight: TITLE_WEIGHT, rebuild: false, memoryMb: 64 };

describe('index bytes', () => {
  it('equal the reference whether ranges are held and joined as they are written, spilled to a file and read back, or written and merged in the database', async () => {
    const db = collection();
    for (const spec of ['words', 'chargram:2-3+fold']) {
      const ref = reference(db, spec);
      await buildIndex(db, { ...base, name: `held-${spec}`, analyzer: spec, workers: 1 }, noJob);
      // Two workers, each with its own vocabulary and term ids.
      await buildIndex(db, { ...base, name: `two-${spec}`, analyzer: spec, workers: 2 }, noJob);
      await buildIndex(db, { ...base, name: `merged-${spec}`, analyzer: spec, workers: 0, segmentDocs: 700 }, noJob);
      // Ranges whose postings outgrow what may be held move to the spill file and are read back when written.
      for (const holdBytes of [6_000, 40_000]) await buildIndex(db, { ...base, name: `spilled-${spec}-${holdBytes}`, analyzer: spec, workers: 0, segmentDocs: 500, holdBytes }, noJob);
      expect(dump(db, `held-${spec}`)).toEqual(ref);
      expect(dump(db, `two-${spec}`)).toEqual(ref);
      expect(dump(db, `merged-${spec}`)).toEqual(ref);
      expect(dump(db, `spilled-${spec}-6000`)).toEqual(ref);
      expect(dump(db, `spilled-${spec}-40000`)).toEqual(ref);
    }
  });

  it('are written in segments no larger than joining them may take, which merge into the reference', async () => {
    const db = collection();
    // 40 kB held, 35 kB of it for joining at 32 bytes a document: no write joins more than 1,093 documents, so the
    // ranges of 500 are written two by two.
    const bounded = { ...base, name: 'bounded', analyzer: 'words', workers: 0, segmentDocs: 500, holdBytes: 40_000 };
    await buildIndex(db, { ...bounded, merge: false }, noJob);
    const segments = db.prepare("SELECT s.docs FROM lexical_segments s JOIN lexical_indexes i ON i.id = s.index_id WHERE i.name = 'bounded' ORDER BY s.id").pluck();
    expect(segments.all()).toEqual([1000, 1000, 1000, 100]);
    await buildIndex(db, bounded, noJob);
    expect(dump(db, 'bounded')).toEqual(reference(db, 'words'));
  });

  it('equal the reference when ranges stop at their memory share, are spilled to a file and joined as they are written', () => {
    const db = collection();
    const spec = 'words';
    const cid = db.prepare("SELECT id FROM collections WHERE name = 'c'").pluck().get() as number;
    const last = db.prepare('SELECT max(id) FROM documents WHERE collection_id = ?').pluck().get(cid) as number;
    const parts: EncodedSegment[] = [];
    // One inverter and one encoder for all the ranges, as a worker keeps them: the vocabulary carries over from one
    // range to the next.
    let inv: Inverter | undefined;
    const encoder = new RangeEncoder();
    for (let from = 0; from < last; ) {
      // A share too small for anything: each range stops at the first measurement.
      const task = { analyzer: spec, titleWeight: TITLE_WEIGHT, collectionId: cid, from, to: last, memoryBytes: 1 };
      inv = inverterFor(task, inv);
      const got: InvertedRange = invertRange(db, inv, task);
      parts.push(encoder.encode(got.range));
      from = got.upto;
    }
    expect(parts.map((p) => p.docs)).toEqual([1024, 1024, 1024, 28]);
    const id = db
      .prepare("INSERT INTO lexical_indexes (collection_id, name, analyzer, analyzer_version, title_weight, state) VALUES (?, 'parts', ?, 1, ?, 'ready')")
      .run(cid, spec, TITLE_WEIGHT).lastInsertRowid as number;
    // Every range but the last spilled to a file, then all written as one segment, read back through their cursors
    // (300 bytes of windows for three: records straddle them, and some are longer).
    const file = new SpillFile(join(dirname(db.name), 'parts.spill'), 300);
    const spilled = parts.slice(0, -1).map((p) => file.spill(p));
    const cursors = [...spilled.map((s) => file.cursor(s, spilled.length)), memoryCursor(parts.at(-1)!)];
    writeSegment(db, id, parts, cursors);
    file.close();
    expect(dump(db, 'parts')).toEqual(reference(db, spec));
  });
});

describe('the vocabulary kept between ranges', () => {
  it('is trimmed to its bound, keeping the words seen most often and the terms they use', () => {
    const inv = inverterFor({ analyzer: 'chargram:2-3+fold', titleWeight: 1, collectionId: 0, from: 0, to: 0 });
    // 'aiga' in every document; the rare words once each.
    for (let i = 0; i < 2000; i++) inv.add({ id: i + 1, title: null, text: `aiga rar${i}a` });
    inv.take();
    const before = inv.vocabularyBytes();
    inv.trim(before * 2);
    expect(inv.vocabularyBytes()).toBe(before);
    inv.trim(before / 4);
    const after = inv.vocabularyBytes();
    expect(after).toBeLessThanOrEqual(before / 4);
    // 'aiga' is still known (nothing is added for it); a rare word was forgotten and comes back.
    inv.add({ id: 3000, title: null, text: 'aiga' });
    inv.take();
    expect(inv.vocabularyBytes()).toBe(after);
    inv.add({ id: 3001, title: null, text: 'rar1999a' });
    inv.take();
    expect(inv.vocabularyBytes()).toBeGreaterThan(after);
    // The next range's segment is the one a fresh inverter makes, with words kept, words forgotten and new words.
    const fresh = inverterFor({ analyzer: 'chargram:2-3+fold', titleWeight: 1, collectionId: 0, from: 0, to: 0 });
    for (const v of [inv, fresh]) for (let i = 0; i < 50; i++) v.add({ id: 5000 + i, title: null, text: `aiga rar${i * 7}a nova${i}` });
    expect(inv.finish()).toEqual(fresh.finish());
    expect(() => {
      inv.add({ id: 6000, title: null, text: 'aiga' });
      inv.trim(0);
    }).toThrow(/being counted/);
  });

  it('gives the reference index when trimmed between ranges, whatever its bound', async () => {
    const db = collection();
    for (const spec of ['words', 'chargram:2-3+fold']) {
      // Ranges of 500 documents, spilled and joined: a trim before each, to nothing or to the most frequent words.
      const ranges = { ...base, analyzer: spec, segmentDocs: 500, holdBytes: 40_000 };
      for (const [workers, vocabularyBytes] of [[1, 1], [1, 30_000], [0, 30_000]] as const) {
        await buildIndex(db, { ...ranges, name: `trim-${spec}-${workers}-${vocabularyBytes}`, workers, vocabularyBytes }, noJob);
        expect(dump(db, `trim-${spec}-${workers}-${vocabularyBytes}`)).toEqual(reference(db, spec));
      }
    }
  });
});
