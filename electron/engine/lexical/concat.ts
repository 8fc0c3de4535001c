import { appendDocIds, BLOCK_SIZE, ByteWriter, blockPostings, decodeBlockAfter, decodeDocIdsInto, encodePostings, postingRoom, readVarints, release, uint32Bytes } from './codec.ts';
import type { EncodedSegment } from './inverter.ts';

/**
 * The documents of segments of consecutive ranges, in range order: their ids encoded as the joined segment stores
 * them, their lengths and total length. The ids are encoded segment by segment: a write of 2.5M passages held them
 * decoded (20 MB) and each segment's decoded ids and lengths besides, as garbage, at the start of its peak.
 */
export function joinedDocs(segs: readonly EncodedSegment[]): { docs: number; docIds: Uint8Array; lens: Uint32Array; totalLen: number } {
  const docs = segs.reduce((a, s) => a + s.docs, 0);
  const w = new ByteWriter(segs.reduce((a, s) => a + s.docIds.length, 16));
  const lens = new Uint32Array(docs);
  let ids = new Float64Array(0);
  let at = 0;
  let last = 0;
  for (const s of segs) {
    if (ids.length < s.docs) ids = new Float64Array(s.docs);
    last = appendDocIds(w, decodeDocIdsInto(s.docIds, ids.subarray(0, s.docs)), last);
    new Uint8Array(lens.buffer, at * 4, s.docs * 4).set(s.docLens);
    at += s.docs;
  }
  release(ids);
  return { docs, docIds: w.take(), lens, totalLen: segs.reduce((a, s) => a + s.totalLen, 0) };
}

/**
 * A segment read term by term, in term order: in memory (`memoryCursor`), or from the file it was spilled to
 * (`spill.ts`). The current term's fields are valid until `next`.
 */
export interface TermCursor {
  /** Whether there is a current term (false once every term was read). */
  readonly valid: boolean;
  /** The term's code units. */
  readonly chars: Uint16Array;
  readonly df: number;
  /** Its blocks, then its skips: block b is data[bounds[b], bounds[b + 1]); the skips end at the last bound. */
  readonly data: Uint8Array;
  readonly bounds: Uint32Array;
  next(): void;
}

/** Bounds of a term in a segment's `layout`: its entries are layout[first, end). */
export const termEntries = (s: EncodedSegment, i: number): [number, number] => [s.layoutStart[i]!, i + 1 < s.dfs.length ? s.layoutStart[i + 1]! : s.layout.length];

class MemoryCursor implements TermCursor {
  private readonly s: EncodedSegment;
  private i = -1;
  chars: Uint16Array = new Uint16Array(0);
  df = 0;
  data: Uint8Array = new Uint8Array(0);
  bounds: Uint32Array = new Uint32Array(0);
  private room = new Uint32Array(64);

  constructor(s: EncodedSegment) {
    this.s = s;
    this.next();
  }

  get valid(): boolean {
    return this.i < this.s.dfs.length;
  }

  next(): void {
    const s = this.s;
    if (++this.i >= s.dfs.length) return;
    const i = this.i;
    this.chars = s.termChars.subarray(i === 0 ? 0 : s.termEnds[i - 1]!, s.termEnds[i]!);
    this.df = s.dfs[i]!;
    const [first, end] = termEntries(s, i);
    const at = s.layout[first]!;
    this.data = s.data.subarray(at, s.layout[end - 1]!);
    if (this.room.length < end - first) this.room = new Uint32Array(2 * (end - first));
    for (let j = first; j < end; j++) this.room[j - first] = s.layout[j]! - at;
    this.bounds = this.room.subarray(0, end - first);
  }
}

export const memoryCursor = (s: EncodedSegment): TermCursor => new MemoryCursor(s);

function compareChars(a: Uint16Array, b: Uint16Array): number {
  const n = Math.min(a.length, b.length);
  for (let k = 0; k < n; k++) {
    const d = a[k]! - b[k]!;
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/**
 * The valid cursors in term order, then in range order: a binary heap of their indexes, so that finding a term's
 * segments costs a few comparisons, not one per segment (a write joins hundreds of ranges, and most terms are in few).
 */
class CursorHeap {
  private readonly cursors: readonly TermCursor[];
  private readonly heap: number[] = [];

  constructor(cursors: readonly TermCursor[]) {
    this.cursors = cursors;
    cursors.forEach((c, k) => c.valid && this.push(k));
  }

  get size(): number {
    return this.heap.length;
  }

  private before(a: number, b: number): boolean {
    const c = compareChars(this.cursors[a]!.chars, this.cursors[b]!.chars);
    return c < 0 || (c === 0 && a < b);
  }

  push(k: number): void {
    const h = this.heap;
    let i = h.push(k) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(k, h[parent]!)) break;
      h[i] = h[parent]!;
      i = parent;
    }
    h[i] = k;
  }

  /** The first cursor's index (the heap must not be empty). */
  peek(): number {
    return this.heap[0]!;
  }

  pop(): number {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    const n = h.length;
    if (n === 0) return top;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && this.before(h[child + 1]!, h[child]!)) child++;
      if (!this.before(h[child]!, last)) break;
      h[i] = h[child]!;
      i = child;
    }
    h[i] = last;
    return top;
  }
}

/**
 * One term of joined segments: its code units, its df, and its encoded postings in `data`: block b is
 * data[bounds[b], bounds[b + 1]), and its skips follow the last block up to the last bound. The views are valid only
 * during the call.
 */
export type JoinedTermVisitor = (chars: Uint16Array, df: number, data: Uint8Array, bounds: Uint32Array) => void;

/**
 * Visits, in term order, the terms of segments of consecutive document ranges (in range order) joined into one:
 * each term's postings concatenated, document numbers shifted by the documents before their segment, and cut into
 * blocks again. `docs` are the segments' document counts, `lens` the joined documents' lengths (`joinedDocs`), and
 * `cursors` read the segments (one each). A term found in one segment only keeps its blocks: shifting its documents
 * changes only the first gap of its first block and of its skips, so those two varints are rewritten and the rest
 * is copied (the bytes are those a re-encoding gives). One term's postings are in memory at a time.
 */
export function forEachJoinedTerm(cursors: readonly TermCursor[], docs: readonly number[], lens: Uint32Array, visit: JoinedTermVisitor): void {
  const base: number[] = [];
  docs.reduce((at, n) => (base.push(at), at + n), 0);
  const holders: number[] = [];
  const w = new ByteWriter(1 << 16);
  const skips = new ByteWriter(256);
  const ends: number[] = [];
  let bounds = new Uint32Array(1024);
  const one = new Float64Array(1);
  const bd = new Int32Array(BLOCK_SIZE);
  const bt = new Int32Array(BLOCK_SIZE);
  let pd = new Int32Array(1024);
  let pt = new Int32Array(1024);
  const heap = new CursorHeap(cursors);
  // The term's segments, in range order; each one's cursor moves on once the term is visited.
  const advance = () => {
    for (const k of holders) {
      const c = cursors[k]!;
      c.next();
      if (c.valid) heap.push(k);
    }
  };
  while (heap.size > 0) {
    holders.length = 0;
    holders.push(heap.pop());
    const src = cursors[holders[0]!]!;
    while (heap.size > 0 && compareChars(cursors[heap.peek()]!.chars, src.chars) === 0) holders.push(heap.pop());
    if (holders.length === 1) {
      const k = holders[0]!;
      const { data, bounds: b } = src;
      if (base[k] === 0) {
        visit(src.chars, src.df, data, b);
        advance();
        continue;
      }
      // The first gap of the first block and of the skips, shifted; everything else is copied as it is.
      const shifted = (from: number, to: number) => {
        const next = readVarints(data, from, one, 1);
        w.varint(one[0]! + base[k]!);
        w.bytes(data.subarray(next, to));
        return w.length - (to - from);
      };
      w.reset();
      const n = b.length;
      if (bounds.length < n) bounds = new Uint32Array(2 * n);
      const blocksEnd = b[n - 2]!;
      const grew = shifted(0, blocksEnd);
      bounds[0] = 0;
      for (let j = 1; j < n - 1; j++) bounds[j] = b[j]! + grew;
      shifted(blocksEnd, data.length);
      bounds[n - 1] = w.length;
      visit(src.chars, src.df, w.view(), bounds.subarray(0, n));
      advance();
      continue;
    }
    [pd, pt] = postingRoom(pd, pt, holders.reduce((a, k) => a + cursors[k]!.df, 0));
    let n = 0;
    for (const k of holders) {
      const c = cursors[k]!;
      const df = c.df;
      const { data, bounds: b } = c;
      const nBlocks = b.length - 2;
      for (let j = 0, last = -1; j < nBlocks; j++) {
        const cnt = blockPostings(df, j);
        last = decodeBlockAfter(data.subarray(b[j]!, b[j + 1]!), cnt, last, bd, bt);
        for (let i = 0; i < cnt; i++) {
          pd[n] = bd[i]! + base[k]!;
          pt[n++] = bt[i]!;
        }
      }
    }
    w.reset();
    ends.length = 0;
    ends.push(0);
    encodePostings(pd.subarray(0, n), pt.subarray(0, n), lens, w, skips, ends);
    w.bytes(skips.view());
    ends.push(w.length);
    if (bounds.length < ends.length) bounds = new Uint32Array(2 * ends.length);
    bounds.set(ends);
    visit(src.chars, n, w.view(), bounds.subarray(0, ends.length));
    advance();
  }
  release(pd, pt, w.buf, skips.buf, bounds);
}

/**
 * Joins encoded segments of consecutive document ranges, in range order, into one, in memory (see
 * `forEachJoinedTerm`): the segment one inverter gives for all the ranges.
 */
export function concatSegments(segs: readonly EncodedSegment[]): EncodedSegment {
  const { docs: nDocs, docIds, lens, totalLen } = joinedDocs(segs);
  const sum = (f: (s: EncodedSegment) => number) => segs.reduce((a, s) => a + f(s), 0);
  // The joined dictionary and layout are no larger than the segments' together.
  const termChars = new Uint16Array(sum((s) => s.termChars.length));
  const termEnds = new Uint32Array(sum((s) => s.dfs.length));
  const dfs = new Uint32Array(termEnds.length);
  const layoutStart = new Uint32Array(termEnds.length);
  const layout = new Uint32Array(sum((s) => s.layout.length));
  const out = new ByteWriter(Math.ceil(sum((s) => s.data.length) * 1.01) + 1024);
  let terms = 0;
  let chars = 0;
  let entries = 0;
  const docs = segs.map((s) => s.docs);
  forEachJoinedTerm(segs.map(memoryCursor), docs, lens, (term, df, data, bounds) => {
    termChars.set(term, chars);
    chars += term.length;
    termEnds[terms] = chars;
    dfs[terms] = df;
    layoutStart[terms++] = entries;
    const shift = out.length - bounds[0]!;
    out.bytes(data.subarray(bounds[0]!, bounds[bounds.length - 1]!));
    for (const b of bounds) layout[entries++] = b + shift;
  });
  return {
    docs: nDocs,
    totalLen,
    docIds,
    docLens: uint32Bytes(lens),
    termChars: termChars.slice(0, chars),
    termEnds: termEnds.slice(0, terms),
    dfs: dfs.slice(0, terms),
    data: out.take(),
    layout: layout.slice(0, entries),
    layoutStart: layoutStart.slice(0, terms),
  };
}

const buffersOf = (s: EncodedSegment) => [s.data, s.docIds, s.docLens, s.layout, s.layoutStart, s.dfs, s.termChars, s.termEnds];

/** The buffers of a segment, to transfer it to another thread. */
export const transferList = (s: EncodedSegment): ArrayBuffer[] => [...new Set(buffersOf(s).map((a) => a.buffer as ArrayBuffer))];

/** Bytes an encoded segment holds while it waits to be written. */
export function encodedBytes(s: EncodedSegment): number {
  return buffersOf(s).reduce((a, b) => a + b.byteLength, 0);
}

/** Frees a segment's memory once it is written (see `release`); it must not be used afterwards. */
export const releaseSegment = (s: EncodedSegment): void => release(...buffersOf(s));
