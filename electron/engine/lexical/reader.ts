import type Database from 'better-sqlite3';
import { parseAnalyzer, type Analyzer } from '../analysis/analyzer.ts';
import { PontError } from '../errors.ts';
import { BLOCK_SIZE, decodeBlock, decodeDocIds, decodeSkips, decodeUint32, type Skips } from './codec.ts';
import type { IndexRow } from './store.ts';

/** A term's entry in one segment's dictionary, with its skip data decoded. */
export interface TermInfo {
  df: number;
  skips: Skips;
  firstBlock: number | null;
  inline: Uint8Array | null;
}

interface DecodedBlock {
  docs: Int32Array;
  tfs: Int32Array;
  n: number;
}

/** Decoded posting blocks shared by all queries, least recently used first out. */
class BlockCache {
  private readonly map = new Map<number, DecodedBlock>();
  private readonly capacity: number;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  get(id: number): DecodedBlock | undefined {
    const b = this.map.get(id);
    if (b) {
      this.map.delete(id);
      this.map.set(id, b);
    }
    return b;
  }

  set(id: number, b: DecodedBlock): void {
    this.map.set(id, b);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value!);
  }
}

/** One immutable segment: document ids and lengths in typed arrays, its dictionary cached as terms are used. */
export class SegmentReader {
  readonly id: number;
  readonly docs: number;
  readonly docIds: Float64Array;
  readonly docLens: Uint32Array;
  deleted: Uint8Array | null = null;
  liveDocs = 0;
  liveLen = 0;
  private readonly dict = new Map<string, TermInfo | null>();
  private readonly termStmt: Database.Statement;
  private readonly blockStmt: Database.Statement;
  private readonly cache: BlockCache;

  constructor(db: Database.Database, row: { id: number; docs: number; doc_ids: Uint8Array; doc_lens: Uint8Array }, cache: BlockCache) {
    this.id = row.id;
    this.docs = row.docs;
    this.docIds = decodeDocIds(row.doc_ids, row.docs);
    this.docLens = decodeUint32(row.doc_lens);
    this.termStmt = db.prepare('SELECT df, skips, first_block, postings FROM lexical_terms WHERE segment_id = ? AND term = ?');
    this.blockStmt = db.prepare('SELECT data FROM lexical_blocks WHERE id = ?').pluck();
    this.cache = cache;
  }

  isDeleted(docno: number): boolean {
    const d = this.deleted;
    return d !== null && (d[docno >> 3]! & (1 << (docno & 7))) !== 0;
  }

  term(t: string): TermInfo | null {
    let info = this.dict.get(t);
    if (info !== undefined) return info;
    const row = this.termStmt.get(this.id, t) as { df: number; skips: Uint8Array; first_block: number | null; postings: Uint8Array | null } | undefined;
    info = row ? { df: row.df, skips: decodeSkips(row.skips, row.df), firstBlock: row.first_block, inline: row.postings } : null;
    this.dict.set(t, info);
    return info;
  }

  /** Block b of a term, decoded (cached). */
  block(info: TermInfo, b: number): DecodedBlock {
    const key = info.firstBlock === null ? -1 : info.firstBlock + b;
    if (key >= 0) {
      const hit = this.cache.get(key);
      if (hit) return hit;
    }
    const data = info.inline ?? (this.blockStmt.get(key) as Uint8Array);
    const docs = new Int32Array(BLOCK_SIZE);
    const tfs = new Int32Array(BLOCK_SIZE);
    const n = decodeBlock(data, info.skips, info.df, b, docs, tfs);
    const block = { docs, tfs, n };
    if (key >= 0) this.cache.set(key, block);
    return block;
  }
}

export const END = 0x7fffffff;

/** Iterates one term's postings in one segment, skipping whole blocks by their last document. */
export class PostingCursor {
  readonly info: TermInfo;
  private readonly seg: SegmentReader;
  private blockNo = -1;
  private docs: Int32Array = new Int32Array(0);
  private tfs: Int32Array = new Int32Array(0);
  private n = 0;
  private pos = 0;
  doc = -1;

  constructor(seg: SegmentReader, info: TermInfo) {
    this.seg = seg;
    this.info = info;
    this.load(0);
  }

  private load(b: number): void {
    if (b >= this.info.skips.lastDocs.length) {
      this.doc = END;
      return;
    }
    const blk = this.seg.block(this.info, b);
    this.blockNo = b;
    this.docs = blk.docs;
    this.tfs = blk.tfs;
    this.n = blk.n;
    this.pos = 0;
    this.doc = this.docs[0]!;
  }

  get tf(): number {
    return this.tfs[this.pos]!;
  }

  get block(): number {
    return this.blockNo;
  }

  next(): void {
    if (++this.pos < this.n) this.doc = this.docs[this.pos]!;
    else this.load(this.blockNo + 1);
  }

  private shallowBlock = 0;

  /**
   * The block that would hold `target` (the first whose last document is ≥ target), found from the skip data alone
   * without decoding anything; −1 past the end. Targets must not decrease.
   */
  blockOf(target: number): number {
    const last = this.info.skips.lastDocs;
    let b = Math.max(this.shallowBlock, this.blockNo);
    while (b < last.length && last[b]! < target) b++;
    this.shallowBlock = b;
    return b < last.length ? b : -1;
  }

  /** Moves to the first posting with doc ≥ target. */
  seek(target: number): void {
    if (target <= this.doc) return;
    const last = this.info.skips.lastDocs;
    let b = this.blockNo;
    if (last[b]! < target) {
      b++;
      while (b < last.length && last[b]! < target) b++;
      if (b >= last.length) {
        this.doc = END;
        return;
      }
      this.load(b);
    }
    const docs = this.docs;
    let p = this.pos;
    while (docs[p]! < target) p++;
    this.pos = p;
    this.doc = docs[p]!;
  }
}

/**
 * An open index: its analyser and segments. Cached per database connection and reloaded when the index's
 * generation changes, so the dictionary and hot posting blocks stay in memory between queries.
 */
export class IndexReader {
  readonly row: IndexRow;
  readonly analyzer: Analyzer;
  readonly segments: SegmentReader[];
  readonly liveDocs: number;
  readonly avgLen: number;

  constructor(row: IndexRow, analyzer: Analyzer, segments: SegmentReader[]) {
    this.row = row;
    this.analyzer = analyzer;
    this.segments = segments;
    this.liveDocs = segments.reduce((a, s) => a + s.liveDocs, 0);
    const liveLen = segments.reduce((a, s) => a + s.liveLen, 0);
    this.avgLen = this.liveDocs > 0 ? liveLen / this.liveDocs : 1;
  }

  /** Document frequency over all segments (tombstoned postings count until their segment is merged away). */
  df(term: string): number {
    let df = 0;
    for (const s of this.segments) df += s.term(term)?.df ?? 0;
    return df;
  }
}

/**
 * Open readers kept per connection, most recently used last. Each holds its segments' documents and the dictionary
 * entries its queries touched (an l10n-dev n-gram index: 15–20 MB after 3,000 queries), so a long session or an
 * experiment over many collections would otherwise keep every index it ever read; a few cover the indexes one search
 * or one collection's systems use together.
 */
const OPEN_READERS = 4;
const readers = new WeakMap<Database.Database, Map<number, { generation: number; reader: IndexReader; segs: Map<number, SegmentReader> }>>();
const caches = new WeakMap<Database.Database, BlockCache>();

export function openReader(db: Database.Database, row: IndexRow): IndexReader {
  const analyzer = parseAnalyzer(row.analyzer);
  if (analyzer.version !== row.analyzer_version) {
    throw new PontError('conflict', 'index.old_version', { name: row.name, built: row.analyzer_version, analyzer: row.analyzer, current: analyzer.version }, [
      { field: 'index', reason: 'analyser version changed' },
    ]);
  }
  let perDb = readers.get(db);
  if (!perDb) readers.set(db, (perDb = new Map()));
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new BlockCache(8192)));
  const hit = perDb.get(row.id);
  if (hit) perDb.delete(row.id);
  if (hit && hit.generation === row.generation) {
    perDb.set(row.id, hit);
    return hit.reader;
  }
  const rows = db.prepare('SELECT id, docs, live_docs, live_len, deleted, doc_ids, doc_lens FROM lexical_segments WHERE index_id = ? ORDER BY id').all(row.id) as {
    id: number;
    docs: number;
    live_docs: number;
    live_len: number;
    deleted: Uint8Array | null;
    doc_ids: Uint8Array;
    doc_lens: Uint8Array;
  }[];
  const segs = new Map<number, SegmentReader>();
  const list = rows.map((r) => {
    const s = hit?.segs.get(r.id) ?? new SegmentReader(db, r, cache);
    s.deleted = r.deleted;
    s.liveDocs = r.live_docs;
    s.liveLen = r.live_len;
    segs.set(r.id, s);
    return s;
  });
  const reader = new IndexReader(row, analyzer, list);
  perDb.set(row.id, { generation: row.generation, reader, segs });
  if (perDb.size > OPEN_READERS) perDb.delete(perDb.keys().next().value!);
  return reader;
}
