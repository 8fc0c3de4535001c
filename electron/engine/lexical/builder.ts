import type Database from 'better-sqlite3';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as turn } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { parseAnalyzer } from '../analysis/analyzer.ts';
import { PontError } from '../errors.ts';
import { ProgressMeter, throwIfCancelled, type JobContext } from '../jobs/progress.ts';
import { getCollection } from '../store/collections.ts';
import { applyChanges } from './changes.ts';
import { mergeSegments } from './merge.ts';
import { encodedBytes, memoryCursor, releaseSegment } from './concat.ts';
import { Inverter, POSTING_BYTES, RangeEncoder, type DocInput, type EncodedSegment } from './inverter.ts';
import { IN_ID_ORDER, inverterFor, invertRange, type RangeTask } from './invert-range.ts';
import { SpillFile, type Spilled } from './spill.ts';
import { findIndex, writeSegment, type IndexRow } from './store.ts';

export interface BuildOptions {
  collection: string;
  name: string;
  analyzer: string;
  /** How many times a title word counts (0: titles not indexed). */
  titleWeight: number;
  /** Drop the index and build it again from scratch. */
  rebuild: boolean;
  /** Memory for in-memory postings across all workers, in MB; each worker flushes a segment at its share. */
  memoryMb: number;
  /** Worker threads inverting documents; 0 inverts on the calling thread. */
  workers?: number;
  /** Documents per segment, overriding the estimate from the memory budget (tests use it to get many segments). */
  segmentDocs?: number;
  /** Bytes of inverted ranges held before they are written, overriding the budget's share (tests use it to spill). */
  holdBytes?: number;
  /** Merge the segments into one at the end, dropping deleted documents (default true). */
  merge?: boolean;
  /** Vocabulary kept from one range to the next, overriding the budget's share (tests use it to trim it). */
  vocabularyBytes?: number;
}

export interface BuildReport {
  collection: string;
  index: string;
  analyzer: string;
  documents: number;
  segments: number;
  /** Documents inverted by this call (0 when the index was up to date). */
  indexed: number;
  resumed: boolean;
  seconds: number;
}

function createIndex(db: Database.Database, collectionId: number, o: BuildOptions): IndexRow {
  const a = parseAnalyzer(o.analyzer);
  db.prepare(
    `INSERT INTO lexical_indexes (collection_id, name, analyzer, analyzer_version, title_weight, state, change_cursor)
     VALUES (?, ?, ?, ?, ?, 'building', (SELECT coalesce(max(id), 0) FROM lexical_changes))`,
  ).run(collectionId, o.name, a.spec, a.version, o.titleWeight);
  return findIndex(db, collectionId, o.name)!;
}

/** The name an index has while it is rebuilt beside the old one (index names hold no spaces). */
export const rebuildName = (name: string): string => `${name} (rebuilding)`;

/**
 * Share of the memory budget for inverted ranges waiting to be written and for joining them as they are written: one
 * or two ranges in memory, the rest spilled to a file (`spill.ts`), the windows its cursors read (WINDOWS_SHARE of
 * it), and the joined documents' arrays (JOIN_BYTES_PER_DOC).
 */
const HOLD_SHARE = 0.2;
const WINDOWS_SHARE = 1 / 8;
/**
 * Memory a write takes per document joined: their lengths (4 bytes) and ids encoded (2–3), a term found in every
 * document decoded (8 bytes, and the room it grew into) and encoded again, and what SQLite copies of the segment's row.
 * Without this bound a write joined as many documents as six budgets of spilled postings hold: for words, millions.
 */
const JOIN_BYTES_PER_DOC = 32;
/** What a spilled range keeps in memory per document until it is written: its ids and lengths, encoded (2–3 bytes). */
const HELD_BYTES_PER_DOC = 4;
/** The least hold: a range or two in memory before they spill, for a small collection. */
const MIN_HOLD_BYTES = 4 << 20;
/**
 * Bytes spilled (as a multiple of the budget) after which what is held is written anyway: the first pass is written
 * in one segment per so many bytes, which bounds the work a crash loses (the database merges them at the end).
 */
const SPILL_BUDGETS = 6;
/** Share of an inverter's memory for its word table and dictionary: what it keeps from one range to the next. */
const VOCABULARY_SHARE = 0.3;
/**
 * What the process takes besides the inverters and held segments: its code, the engine thread's heap and external
 * memory, SQLite caches, and the garbage and freed memory that the heaps and the allocator keep for a while. Measured
 * during a 3M-passage build: 62 MB of code, a heap of 50–73 MB and 21–23 MB of external memory.
 */
const BASE_BYTES = 160 << 20;
/** A worker thread's connection, stack and what else its measured heap leaves out. */
const WORKER_BYTES = 24 << 20;
const MIN_RANGE_BYTES = 16 << 20;

/**
 * Documents per segment for a memory budget, from the postings per document of a sample of the collection. The
 * vocabulary (word table, dictionary) grows more slowly than the documents (Heaps' law), so a sample says little
 * about it; it gets a fixed share of the budget instead.
 */
function planSegments(db: Database.Database, row: IndexRow, from: number, budgetBytes: number): { docs: number; postingsPerDoc: number } {
  const sample = db.prepare(`SELECT id, title, text FROM documents WHERE ${IN_ID_ORDER} ORDER BY id LIMIT 1000`).all(row.collection_id, from) as DocInput[];
  const inv = new Inverter(parseAnalyzer(row.analyzer), row.title_weight);
  for (const d of sample) inv.add(d);
  const n = Math.max(1, sample.length);
  const perDoc = Math.max(64, inv.postingBytes() / n);
  return { docs: Math.max(1000, Math.floor((budgetBytes * (1 - VOCABULARY_SHARE)) / perDoc)), postingsPerDoc: inv.postingCount / n };
}

/** Splits the documents after `from` into ranges of at most `size` documents: [from, to] pairs of ids. */
function planRanges(db: Database.Database, collectionId: number, from: number, size: number): { from: number; to: number; docs: number }[] {
  const next = db.prepare(`SELECT id FROM documents WHERE ${IN_ID_ORDER} ORDER BY id LIMIT 1 OFFSET ?`).pluck();
  const last = db.prepare('SELECT max(id) FROM documents WHERE collection_id = ?').pluck().get(collectionId) as number | null;
  const total = db.prepare('SELECT count(*) FROM documents WHERE collection_id = ? AND id > ?').pluck().get(collectionId, from) as number;
  const out: { from: number; to: number; docs: number }[] = [];
  let at = from;
  let left = total;
  while (left > 0) {
    const to = left > size ? (next.get(collectionId, at, size - 1) as number) : last!;
    out.push({ from: at, to, docs: Math.min(size, left) });
    left -= size;
    at = to;
  }
  return out;
}

/** A range inverted and encoded; `upto` is its last document. */
interface EncodedRange {
  seg: EncodedSegment;
  upto: number;
}

/** A pool of inverting workers; results come back in any order. */
class WorkerPool {
  private readonly workers: Worker[];

  constructor(file: string, n: number) {
    this.workers = Array.from({ length: n }, () => new Worker(new URL('./build-worker.ts', import.meta.url), { workerData: { file } }));
  }

  get size(): number {
    return this.workers.length;
  }

  run(i: number, task: RangeTask): Promise<EncodedRange> {
    const w = this.workers[i]!;
    return new Promise((resolve, reject) => {
      const onMessage = (m: { ok: true; range: EncodedRange } | { ok: false; error: string }) => {
        w.off('error', onError);
        if (m.ok) resolve(m.range);
        else reject(new Error(`index worker failed: ${m.error}`));
      };
      const onError = (e: Error) => {
        w.off('message', onMessage);
        reject(e);
      };
      w.once('message', onMessage);
      w.once('error', onError);
      w.postMessage(task);
    });
  }

  /** Stops the workers; once closed, closing again does nothing. */
  async close(): Promise<void> {
    await Promise.all(this.workers.splice(0).map((w) => w.terminate()));
  }
}

/** Documents per range when ranges are inverted on the engine's thread (see `buildIndex`). */
const ENGINE_THREAD_RANGE = 4000;

/**
 * Builds (or resumes, or updates) a lexical index. Documents are inverted in ranges sized to the memory budget,
 * by worker threads when there are cores to spare; each range becomes a segment committed in its own transaction
 * together with the index's `built_upto`, so a crash or a cancellation loses at most the ranges in flight and the
 * next build resumes after the last committed one. Then the change log is consumed, and the segments are merged
 * into one (which also makes deletions final).
 */
export async function buildIndex(db: Database.Database, o: BuildOptions, ctx: JobContext): Promise<BuildReport> {
  const started = performance.now();
  const collection = getCollection(db, o.collection);
  const spec = parseAnalyzer(o.analyzer).spec;
  let current = findIndex(db, collection.id, o.name);
  if (current && current.state !== 'ready' && o.rebuild) {
    // Nothing searches an index that was never finished: it is simply started again.
    db.prepare('DELETE FROM lexical_indexes WHERE id = ?').run(current.id);
    current = undefined;
  }
  // A rebuild builds the new index beside the old one, which searches use until the new one replaces it in one
  // transaction. An interrupted rebuild is resumed by the next build of that index.
  let shadow = findIndex(db, collection.id, rebuildName(o.name));
  if (shadow && o.rebuild && (shadow.analyzer !== spec || shadow.title_weight !== o.titleWeight)) {
    db.prepare('DELETE FROM lexical_indexes WHERE id = ?').run(shadow.id);
    shadow = undefined;
  }
  const rebuilding = current !== undefined && (o.rebuild || shadow !== undefined);
  const name = rebuilding ? rebuildName(o.name) : o.name;
  let row = rebuilding ? shadow : current;
  if (row && (row.analyzer !== spec || row.title_weight !== o.titleWeight)) {
    throw new PontError('conflict', 'index.other_analyzer', { name: o.name, analyzer: row.analyzer, titleWeight: row.title_weight }, [
      { field: 'analyzer', reason: `the index uses ${row.analyzer}` },
    ]);
  }
  const resumed = row?.state === 'building';
  row ??= createIndex(db, collection.id, { ...o, name, analyzer: spec });
  let indexed = 0;
  if (row.state === 'building') {
    const span = db.prepare('SELECT count(*) AS left, min(id) AS first FROM documents WHERE collection_id = ? AND id > ?').get(collection.id, row.built_upto) as {
      left: number;
      first: number | null;
    };
    const left = span.left;
    // Ranges are read in id order along the table (IN_ID_ORDER): they start just before the first document left.
    const start = Math.max(row.built_upto, (span.first ?? 0) - 1);
    // Starting a worker costs more than inverting a small collection. One core is left to the calling thread, which
    // joins and writes segments (on two shared cores, a second worker cost more CPU and memory than it saved).
    const workers = o.workers ?? (left < 20_000 ? 0 : Math.min(4, Math.max(1, availableParallelism() - 1)));
    // Started first: the workers load their modules while this thread plans.
    const pool = workers > 0 ? new WorkerPool(db.name, workers) : undefined;
    try {
      const budget = o.memoryMb * 1024 * 1024;
      // Inverted ranges wait (in memory, then spilled) so that the first pass is written in as few segments as the hold
      // allows; they are joined as they are written. `segmentDocs` writes every range.
      // The hold need not be larger than joining every document left takes: the rest goes to the inverters (59 MB more
      // at 1M passages and 512 MB).
      const holdShare = Math.min(budget * HOLD_SHARE, (left * (HELD_BYTES_PER_DOC + JOIN_BYTES_PER_DOC)) / (1 - WINDOWS_SHARE) + MIN_HOLD_BYTES);
      const holdBytes = o.holdBytes ?? (o.segmentDocs ? 0 : holdShare);
      const perWorker = Math.max(MIN_RANGE_BYTES, (budget - holdShare - BASE_BYTES - WORKER_BYTES * workers) / Math.max(1, workers));
      const plan = planSegments(db, row, start, perWorker);
      await turn();
      // Without workers a range is inverted on the engine's thread, so it is kept short enough for a search to wait at
      // most a fraction of a second; held ranges are joined when written, so this adds no segments to merge. One worker
      // takes the whole collection as one range, which it ends at its memory share as often as needed (planning ranges
      // reads every document id). With several workers, at least one range each, so that they all have work.
      const size =
        o.segmentDocs ?? (workers === 1 ? Math.max(1, left) : Math.min(plan.docs, workers === 0 ? ENGINE_THREAD_RANGE : Math.max(1000, Math.ceil(left / workers))));
      const ranges = planRanges(db, collection.id, start, size);
      const total = ranges.reduce((a, r) => a + r.docs, 0);
      const meter = new ProgressMeter(ctx.progress);
      meter.update({ phase: 'indexing', done: 0, total, unit: 'docs' }, true);
      // A worker ends a range early when its measured memory reaches its share; the rest is inverted next.
      const task = (from: number, to: number, docs: number): RangeTask => ({
        analyzer: spec,
        titleWeight: row!.title_weight,
        collectionId: collection.id,
        from,
        to,
        // No more than the share holds: a range that will stop early at its memory reserves no room it cannot use.
        postings: Math.ceil(Math.min(docs * plan.postingsPerDoc * 1.1, (perWorker * (1 - VOCABULARY_SHARE)) / POSTING_BYTES)),
        memoryBytes: workers === 0 ? undefined : perWorker,
        vocabularyBytes: o.vocabularyBytes ?? perWorker * VOCABULARY_SHARE,
      });
      let held: EncodedSegment[] = [];
      // Per held range, where it is in the spill file once spilled.
      let spilledAs: (Spilled | undefined)[] = [];
      let heldBytes = 0;
      let heldDocs = 0;
      let heldUpto = row.built_upto;
      let done = 0;
      // Held ranges move to a file as soon as there are two (a collection of one range is written straight from
      // memory), so that what is held is their document ids and lengths: the first pass of a large collection is then
      // written in a few segments (see SPILL_BUDGETS and JOIN_BYTES_PER_DOC), and holding costs next to no memory.
      const spill =
        holdBytes === 0 ? undefined : new SpillFile(db.memory ? join(tmpdir(), `pont-${process.pid}-index-${row.id}.spill`) : `${db.name}-index-${row.id}.spill`, holdBytes * WINDOWS_SHARE);
      let spilled = 0;
      // Writes what is held as one segment, with built_upto, in one transaction: a crash loses only unwritten ranges.
      // Writing a large index takes a second or more: the engine thread is handed back first.
      const flush = async () => {
        if (held.length === 0) return;
        await turn();
        const keep = held.flatMap((h, i) => (h.docs > 0 ? [i] : []));
        const together = keep.filter((i) => spilledAs[i]).length;
        const cursor = (i: number) => {
          const at = spilledAs[i];
          return at ? spill!.cursor(at, together) : memoryCursor(held[i]!);
        };
        db.transaction(() => {
          if (keep.length > 0) writeSegment(db, row!.id, keep.map((i) => held[i]!), keep.map(cursor));
          db.prepare('UPDATE lexical_indexes SET built_upto = ? WHERE id = ?').run(heldUpto, row!.id);
        }).immediate();
        for (const h of held) releaseSegment(h);
        spill?.reset();
        held = [];
        spilledAs = [];
        spilled = 0;
        heldBytes = 0;
        indexed += heldDocs;
        heldDocs = 0;
      };
      // What is held and what joining it will take, against the hold less the windows.
      const over = () => heldBytes + heldDocs * JOIN_BYTES_PER_DOC > holdBytes * (1 - WINDOWS_SHARE);
      const accept = async ({ seg, upto }: EncodedRange) => {
        held.push(seg);
        spilledAs.push(undefined);
        heldBytes += encodedBytes(seg);
        heldDocs += seg.docs;
        heldUpto = upto;
        done += seg.docs;
        if (spill && (held.length > 1 || over())) {
          for (; spilled < held.length; spilled++) {
            heldBytes -= encodedBytes(held[spilled]!);
            spilledAs[spilled] = spill.spill(held[spilled]!);
            heldBytes += encodedBytes(held[spilled]!);
          }
        }
        if (over() || (spill && spill.size > SPILL_BUDGETS * budget)) await flush();
        meter.update({ phase: 'indexing', done, total, unit: 'docs' }, true);
      };
      const cancelled = async () => {
        if (!ctx.signal.aborted) return;
        await flush();
        throwIfCancelled(ctx.signal, 'indexing');
      };
      try {
        if (workers === 0) {
          let inv: Inverter | undefined;
          const encoder = new RangeEncoder();
          for (const r of ranges) {
            await cancelled();
            const t = task(r.from, r.to, r.docs);
            inv = inverterFor(t, inv);
            const { range, upto } = invertRange(db, inv, t);
            await accept({ seg: encoder.encode(range), upto });
            // Inverting runs on the engine's thread here: searches queued meanwhile run between ranges.
            await turn();
          }
        } else if (pool) {
          // Ranges are handed out in order and accepted in order, so built_upto only ever covers finished work. A range
          // that stopped early is finished by the same worker before the next range is accepted.
          const inFlight: { worker: number; range: Promise<EncodedRange> }[] = [];
          let nextRange = 0;
          const launch = () => {
            if (nextRange < ranges.length) {
              const r = ranges[nextRange]!;
              const worker = nextRange % pool.size;
              inFlight.push({ worker, range: pool.run(worker, task(r.from, r.to, r.docs)) });
              nextRange++;
            }
          };
          for (let i = 0; i < pool.size; i++) launch();
          for (const r of ranges) {
            const { worker, range } = inFlight.shift()!;
            let got = await range;
            let left = r.docs;
            while (got.upto < r.to) {
              await cancelled();
              left -= got.seg.docs;
              const rest = pool.run(worker, task(got.upto, r.to, left));
              await accept(got);
              got = await rest;
            }
            await cancelled();
            launch();
            await accept(got);
          }
          // The workers' memory (their vocabularies) is freed before the last write.
          await pool.close();
        }
        await flush();
      } finally {
        spill?.close();
      }
      // A rebuild's index stays out of searches' sight until it replaces the old one.
      if (!rebuilding) db.prepare("UPDATE lexical_indexes SET state = 'ready' WHERE id = ?").run(row.id);
      await turn();
      meter.update({ phase: 'indexing', done, total, unit: 'docs' }, true);
    } finally {
      await pool?.close();
    }
  }
  row = findIndex(db, collection.id, name)!;
  // Changes, merge and a rebuild's swap in one transaction: a search on another connection sees the index before or
  // after all of them, never the changes unmerged (whose scores differ: tombstoned postings count in df until merged
  // away), nor no index at all.
  const ready = row;
  const changed = db.transaction(() => {
    const c = applyChanges(db, ready);
    if (o.merge !== false) mergeSegments(db, ready.id, ctx);
    if (rebuilding) {
      db.prepare('DELETE FROM lexical_indexes WHERE collection_id = ? AND name = ?').run(collection.id, o.name);
      db.prepare("UPDATE lexical_indexes SET name = ?, state = 'ready' WHERE id = ?").run(o.name, ready.id);
    }
    return c;
  }).immediate();
  indexed += changed.added;
  const stats = db.prepare('SELECT count(*) AS segments, coalesce(sum(live_docs), 0) AS documents FROM lexical_segments WHERE index_id = ?').get(row.id) as {
    segments: number;
    documents: number;
  };
  return { collection: o.collection, index: o.name, analyzer: spec, ...stats, indexed, resumed, seconds: (performance.now() - started) / 1000 };
}
