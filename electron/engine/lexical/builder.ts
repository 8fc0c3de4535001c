import type Database from 'better-sqlite3';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { parseAnalyzer } from '../analysis/analyzer.ts';
import { PontError } from '../errors.ts';
import { ProgressMeter, throwIfCancelled, type JobContext } from '../jobs/progress.ts';
import { getCollection } from '../store/collections.ts';
import { applyChanges } from './changes.ts';
import { mergeSegments } from './merge.ts';
import { Inverter, type DocInput, type EncodedSegment } from './inverter.ts';
import { invertRange, type RangeTask } from './invert-range.ts';
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
  /** Merge the segments into one at the end, dropping deleted documents (default true). */
  merge?: boolean;
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

/** Documents per segment for a memory budget, from the measured footprint of a sample of the collection. */
function docsPerSegment(db: Database.Database, row: IndexRow, budgetBytes: number): number {
  const sample = db.prepare('SELECT id, title, text FROM documents WHERE collection_id = ? ORDER BY id LIMIT 500').all(row.collection_id) as DocInput[];
  const inv = new Inverter(parseAnalyzer(row.analyzer), row.title_weight);
  for (const d of sample) inv.add(d);
  const perDoc = Math.max(64, inv.bytesUsed() / Math.max(1, sample.length));
  return Math.max(1000, Math.floor(budgetBytes / perDoc));
}

/** Splits the documents after `from` into ranges of at most `size` documents: [from, to] pairs of ids. */
function planRanges(db: Database.Database, collectionId: number, from: number, size: number): { from: number; to: number; docs: number }[] {
  const next = db.prepare('SELECT id FROM documents WHERE collection_id = ? AND id > ? ORDER BY id LIMIT 1 OFFSET ?').pluck();
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

/** A pool of inverting workers; results come back in any order. */
class WorkerPool {
  private readonly workers: Worker[];

  constructor(file: string, n: number) {
    this.workers = Array.from({ length: n }, () => new Worker(new URL('./build-worker.ts', import.meta.url), { workerData: { file } }));
  }

  get size(): number {
    return this.workers.length;
  }

  run(i: number, task: RangeTask): Promise<EncodedSegment> {
    const w = this.workers[i]!;
    return new Promise((resolve, reject) => {
      const onMessage = (m: { ok: true; seg: EncodedSegment } | { ok: false; error: string }) => {
        w.off('error', onError);
        if (m.ok) resolve(m.seg);
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

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

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
  let row = findIndex(db, collection.id, o.name);
  if (row && o.rebuild) {
    db.prepare('DELETE FROM lexical_indexes WHERE id = ?').run(row.id);
    row = undefined;
  }
  if (row && (row.analyzer !== spec || row.title_weight !== o.titleWeight)) {
    throw new PontError('conflict', `index "${o.name}" exists with analyser ${row.analyzer} (title weight ${row.title_weight}); drop it or use --rebuild`, [
      { field: 'analyzer', reason: `the index uses ${row.analyzer}` },
    ]);
  }
  const resumed = row?.state === 'building';
  row ??= createIndex(db, collection.id, { ...o, analyzer: spec });
  let indexed = 0;
  if (row.state === 'building') {
    const left = db.prepare('SELECT count(*) FROM documents WHERE collection_id = ? AND id > ?').pluck().get(collection.id, row.built_upto) as number;
    // Starting a worker costs more than inverting a small collection.
    const workers = o.workers ?? (left < 20_000 ? 0 : Math.min(4, Math.max(1, availableParallelism() - 1)));
    const budget = (o.memoryMb * 1024 * 1024) / Math.max(1, workers);
    // At least four ranges for a large collection, so that inverting the next range overlaps writing this one.
    const size = o.segmentDocs ?? Math.min(docsPerSegment(db, row, budget), Math.max(50_000, Math.ceil(left / 4)));
    const ranges = planRanges(db, collection.id, row.built_upto, size);
    const total = ranges.reduce((a, r) => a + r.docs, 0);
    const meter = new ProgressMeter(ctx.progress);
    meter.update({ phase: 'indexing', done: 0, total, unit: 'docs' }, true);
    const task = (r: { from: number; to: number }): RangeTask => ({
      analyzer: spec,
      titleWeight: row!.title_weight,
      collectionId: collection.id,
      from: r.from,
      to: r.to,
    });
    const commit = (seg: EncodedSegment, to: number) =>
      db.transaction(() => {
        if (seg.docs > 0) writeSegment(db, row!.id, seg);
        db.prepare('UPDATE lexical_indexes SET built_upto = ? WHERE id = ?').run(to, row!.id);
      })();
    if (workers === 0) {
      const analyzer = parseAnalyzer(spec);
      for (const r of ranges) {
        throwIfCancelled(ctx.signal, 'indexing');
        commit(invertRange(db, analyzer, task(r)), r.to);
        indexed += r.docs;
        meter.update({ phase: 'indexing', done: indexed, total, unit: 'docs' }, true);
      }
    } else {
      const pool = new WorkerPool(db.name, Math.min(workers, Math.max(1, ranges.length)));
      try {
        // Ranges are handed out in order and committed in order, so built_upto only ever covers finished work.
        const inFlight: Promise<EncodedSegment>[] = [];
        let nextRange = 0;
        const launch = () => {
          if (nextRange < ranges.length) {
            inFlight.push(pool.run(nextRange % pool.size, task(ranges[nextRange]!)));
            nextRange++;
          }
        };
        for (let i = 0; i < pool.size; i++) launch();
        for (const r of ranges) {
          const seg = await inFlight.shift()!;
          throwIfCancelled(ctx.signal, 'indexing');
          launch();
          commit(seg, r.to);
          indexed += r.docs;
          meter.update({ phase: 'indexing', done: indexed, total, unit: 'docs' }, true);
        }
      } finally {
        await pool.close();
      }
    }
    db.prepare("UPDATE lexical_indexes SET state = 'ready' WHERE id = ?").run(row.id);
    meter.update({ phase: 'indexing', done: indexed, total, unit: 'docs' }, true);
  }
  row = findIndex(db, collection.id, o.name)!;
  const changed = applyChanges(db, row);
  indexed += changed.added;
  if (o.merge !== false) mergeSegments(db, row.id, ctx);
  const stats = db.prepare('SELECT count(*) AS segments, coalesce(sum(live_docs), 0) AS documents FROM lexical_segments WHERE index_id = ?').get(row.id) as {
    segments: number;
    documents: number;
  };
  return { collection: o.collection, index: o.name, analyzer: spec, ...stats, indexed, resumed, seconds: (performance.now() - started) / 1000 };
}
