import type Database from 'better-sqlite3';
import { ByteWriter, blockPostings, decodeBlockAfter, decodeDocIds, decodeUint32, encodeDocIds, encodePostings, BLOCK_SIZE, postingRoom, release, uint32Bytes } from './codec.ts';
import { BlockWriter, bumpGeneration } from './store.ts';
import type { JobContext } from '../jobs/progress.ts';
import { ProgressMeter, throwIfCancelled } from '../jobs/progress.ts';

interface SegmentRow {
  id: number;
  docs: number;
  doc_ids: Uint8Array;
  doc_lens: Uint8Array;
  deleted: Uint8Array | null;
}

interface TermRow {
  term: string;
  df: number;
  first_block: number | null;
  postings: Uint8Array | null;
}

const PAGE = 2000;

/** A segment's dictionary in term order, read a page at a time (one connection cannot read and write at once). */
class TermStream {
  private readonly stmt: Database.Statement;
  private readonly segmentId: number;
  private page: TermRow[] = [];
  private at = 0;
  private done = false;

  constructor(db: Database.Database, segmentId: number) {
    this.stmt = db.prepare('SELECT term, df, first_block, postings FROM lexical_terms WHERE segment_id = ? AND term > ? ORDER BY term LIMIT ?');
    this.segmentId = segmentId;
  }

  peek(): TermRow | undefined {
    if (this.at >= this.page.length && !this.done) {
      const after = this.page.at(-1)?.term ?? '';
      this.page = this.stmt.all(this.segmentId, after, PAGE) as TermRow[];
      this.at = 0;
      this.done = this.page.length < PAGE;
    }
    return this.page[this.at];
  }

  next(): void {
    this.at++;
  }
}

/**
 * The merged segment's numbering: live documents in ascending documents.id, as `remap` (per segment, per document:
 * its new number, -1 when deleted) and the new ids and lengths. Typed arrays, not an object per document, and 16
 * bytes a document when the segments are in id order (those of consecutive ranges are; those of changed documents
 * are not, and are sorted): at 8.8M passages, 40 bytes a document would take 354 MB of a 512 MB budget.
 */
function renumber(segs: readonly SegmentRow[]): { remap: Int32Array[]; ids: Float64Array; lens: Uint32Array } {
  const total = segs.reduce((a, s) => a + s.docs, 0);
  let ids = new Float64Array(total);
  let lens = new Uint32Array(total);
  // Numbered in segment order first.
  const remap = segs.map((s) => new Int32Array(s.docs).fill(-1));
  let n = 0;
  let inOrder = true;
  segs.forEach((s, si) => {
    const segIds = decodeDocIds(s.doc_ids, s.docs);
    const segLens = decodeUint32(s.doc_lens);
    for (let d = 0; d < s.docs; d++) {
      if (s.deleted && s.deleted[d >> 3]! & (1 << (d & 7))) continue;
      if (n > 0 && segIds[d]! < ids[n - 1]!) inOrder = false;
      ids[n] = segIds[d]!;
      lens[n] = segLens[d]!;
      remap[si]![d] = n++;
    }
    release(segIds, segLens);
  });
  ids = ids.subarray(0, n);
  lens = lens.subarray(0, n);
  if (inOrder) return { remap, ids, lens };
  const order = Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) => ids[a]! - ids[b]!);
  const rank = new Int32Array(n);
  order.forEach((l, k) => (rank[l] = k));
  for (const r of remap) for (let d = 0; d < r.length; d++) if (r[d]! >= 0) r[d] = rank[r[d]!]!;
  return { remap, ids: Float64Array.from(order, (l) => ids[l]!), lens: Uint32Array.from(order, (l) => lens[l]!) };
}

/**
 * Rewrites all segments of an index as one, dropping tombstoned documents: what makes deletions final and keeps
 * queries to one pass over one dictionary. Documents are renumbered in documents.id order; the dictionaries are
 * merged term by term, so memory holds one term's postings at a time. One transaction: a crash keeps the old
 * segments. Returns false when there was nothing to merge.
 */
export function mergeSegments(db: Database.Database, indexId: number, ctx: JobContext): boolean {
  // Immediate, and the segments read inside: a search on another connection may add a segment or tombstones.
  return db.transaction(() => {
    const segs = db.prepare('SELECT id, docs, doc_ids, doc_lens, deleted FROM lexical_segments WHERE index_id = ? ORDER BY id').all(indexId) as SegmentRow[];
    if (segs.length < 2 && !segs.some((s) => s.deleted)) return false;
    const { remap, ids: newIds, lens: newLens } = renumber(segs);
    const nLive = newIds.length;
    const totalLen = newLens.reduce((a, b) => a + b, 0);
    const docIds = encodeDocIds(newIds);
    const segId = Number(
      db
        .prepare('INSERT INTO lexical_segments (index_id, docs, total_len, live_docs, live_len, doc_ids, doc_lens) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(indexId, nLive, totalLen, nLive, totalLen, docIds, uint32Bytes(newLens)).lastInsertRowid,
    );
    // The ids are not needed past the segment's row: freed now with the encoded ones (96 MB at 8.8M passages, where
    // the merge is what peaks).
    release(newIds, docIds);
    const insTerm = db.prepare('INSERT INTO lexical_terms (segment_id, term, df, skips, first_block, postings) VALUES (?, ?, ?, ?, ?, ?)');
    const blocks = new BlockWriter(db);
    const getBlock = db.prepare('SELECT data FROM lexical_blocks WHERE id = ?').pluck();
    const streams = segs.map((s) => new TermStream(db, s.id));
    const w = new ByteWriter(2048);
    const skipW = new ByteWriter(256);
    const ends: number[] = [];
    const bd = new Int32Array(BLOCK_SIZE);
    const bt = new Int32Array(BLOCK_SIZE);
    let pd = new Int32Array(1024);
    let pt = new Int32Array(1024);
    let terms = 0;
    const meter = new ProgressMeter(ctx.progress);
    for (;;) {
      let term: string | undefined;
      for (const st of streams) {
        const t = st.peek()?.term;
        if (t !== undefined && (term === undefined || t < term)) term = t;
      }
      if (term === undefined) break;
      if (++terms % 10_000 === 0) {
        throwIfCancelled(ctx.signal, 'merging');
        meter.update({ phase: 'merging', done: terms, unit: 'terms' });
      }
      [pd, pt] = postingRoom(
        pd,
        pt,
        streams.reduce((a, st) => {
          const row = st.peek();
          return row?.term === term ? a + row.df : a;
        }, 0),
      );
      let n = 0;
      let sorted = true;
      streams.forEach((st, si) => {
        const row = st.peek();
        if (row?.term !== term) return;
        st.next();
        for (let b = 0, last = -1; b * BLOCK_SIZE < row.df; b++) {
          const data = row.postings ?? (getBlock.get(row.first_block! + b) as Uint8Array);
          const cnt = blockPostings(row.df, b);
          last = decodeBlockAfter(data, cnt, last, bd, bt);
          for (let i = 0; i < cnt; i++) {
            const nd = remap[si]![bd[i]!]!;
            if (nd < 0) continue;
            if (n > 0 && nd < pd[n - 1]!) sorted = false;
            pd[n] = nd;
            pt[n++] = bt[i]!;
          }
        }
      });
      if (n === 0) continue;
      let docs = pd.subarray(0, n);
      let tfs = pt.subarray(0, n);
      if (!sorted) {
        const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => pd[a]! - pd[b]!);
        docs = Int32Array.from(order, (i) => pd[i]!);
        tfs = Int32Array.from(order, (i) => pt[i]!);
      }
      w.reset();
      ends.length = 0;
      const nBlocks = encodePostings(docs, tfs, newLens, w, skipW, ends);
      if (nBlocks === 1) {
        insTerm.run(segId, term, n, skipW.view(), null, w.view());
        continue;
      }
      insTerm.run(segId, term, n, skipW.view(), blocks.write(w.buf, (j) => (j === 0 ? 0 : ends[j - 1]!), nBlocks), null);
    }
    // The merge's arrays take 20 bytes a document and more (hundreds of MB at the largest): freed now.
    release(pd, pt, newLens, w.buf, ...remap);
    db.prepare('UPDATE lexical_segments SET block_lo = ?, block_hi = ? WHERE id = ?').run(blocks.lo, blocks.hi, segId);
    const drop = db.prepare('DELETE FROM lexical_segments WHERE id = ?');
    for (const s of segs) drop.run(s.id);
    bumpGeneration(db, indexId);
    return true;
  }).immediate();
}
