import { BLOCK_SIZE, ByteWriter, decodeBlock, decodeDocIds, decodeSkips, decodeUint32, encodeDocIds, encodePostings, encodeUint32, readVarints, release } from './codec.ts';
import { compareTerms } from './dictionary.ts';
import type { EncodedSegment } from './inverter.ts';

/** The documents of segments of consecutive ranges, in range order: their ids, lengths and total length. */
export function joinedDocs(segs: readonly EncodedSegment[]): { ids: Float64Array; lens: Uint32Array; totalLen: number } {
  const docs = segs.reduce((a, s) => a + s.docs, 0);
  const ids = new Float64Array(docs);
  const lens = new Uint32Array(docs);
  let at = 0;
  for (const s of segs) {
    ids.set(decodeDocIds(s.docIds, s.docs), at);
    lens.set(decodeUint32(s.docLens), at);
    at += s.docs;
  }
  return { ids, lens, totalLen: segs.reduce((a, s) => a + s.totalLen, 0) };
}

/**
 * One term of joined segments: term `i` of `src` (the first segment that has it), its df, and its encoded postings
 * in `data`: block b is data[bounds[b], bounds[b + 1]), and its skips follow the last block up to the last bound.
 * The views are valid only during the call.
 */
export type JoinedTermVisitor = (src: EncodedSegment, i: number, df: number, data: Uint8Array, bounds: Uint32Array) => void;

/**
 * Visits, in term order, the terms of segments of consecutive document ranges (in range order) joined into one:
 * each term's postings concatenated, document numbers shifted by the documents before their segment, and cut into
 * blocks again. `lens` are the joined documents' lengths (`joinedDocs`). A term found in one segment only keeps its
 * blocks: shifting its documents changes only the first gap of its first block and of its skips, so those two
 * varints are rewritten and the rest is copied (the bytes are those a re-encoding gives).
 */
export function forEachJoinedTerm(segs: readonly EncodedSegment[], lens: Uint32Array, visit: JoinedTermVisitor): void {
  const base: number[] = [];
  segs.reduce((at, s) => (base.push(at), at + s.docs), 0);
  const heads = new Int32Array(segs.length);
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
  const termEnd = (s: EncodedSegment, i: number) => (i + 1 < s.dfs.length ? s.layoutStart[i + 1]! : s.layout.length);
  for (;;) {
    holders.length = 0;
    segs.forEach((s, k) => {
      if (heads[k]! >= s.dfs.length) return;
      const c = holders.length === 0 ? -1 : compareTerms(s, heads[k]!, segs[holders[0]!]!, heads[holders[0]!]!);
      if (c < 0) holders.length = 0;
      if (c <= 0) holders.push(k);
    });
    if (holders.length === 0) break;
    const src = segs[holders[0]!]!;
    const term = heads[holders[0]!]!;
    if (holders.length === 1) {
      const k = holders[0]!;
      const s = src;
      const first = s.layoutStart[term]!;
      const end = termEnd(s, term);
      heads[k]!++;
      if (base[k] === 0) {
        visit(s, term, s.dfs[term]!, s.data, s.layout.subarray(first, end));
        continue;
      }
      if (bounds.length < end - first) bounds = new Uint32Array(2 * (end - first));
      // The first gap of the first block and of the skips, shifted; everything else is copied as it is.
      const shifted = (from: number, to: number) => {
        const next = readVarints(s.data, from, one, 1);
        w.varint(one[0]! + base[k]!);
        w.bytes(s.data.subarray(next, to));
        return w.length - (to - from);
      };
      w.reset();
      const blocksEnd = s.layout[end - 2]!;
      const grew = shifted(s.layout[first]!, blocksEnd);
      bounds[0] = 0;
      for (let j = first + 1; j < end - 1; j++) bounds[j - first] = s.layout[j]! - s.layout[first]! + grew;
      shifted(blocksEnd, s.layout[end - 1]!);
      bounds[end - 1 - first] = w.length;
      visit(s, term, s.dfs[term]!, w.view(), bounds.subarray(0, end - first));
      continue;
    }
    let n = 0;
    for (const k of holders) {
      const s = segs[k]!;
      const i = heads[k]!++;
      const df = s.dfs[i]!;
      if (pd.length < n + df) {
        const grown = Math.max(pd.length * 2, n + df);
        const d = new Int32Array(grown);
        const t = new Int32Array(grown);
        d.set(pd.subarray(0, n));
        t.set(pt.subarray(0, n));
        release(pd, pt);
        pd = d;
        pt = t;
      }
      // Layout per term: start of its first block, end of each block, end of its skips.
      const first = s.layoutStart[i]!;
      const end = termEnd(s, i);
      const sk = decodeSkips(s.data.subarray(s.layout[end - 2]!, s.layout[end - 1]!), df);
      for (let b = 0; b < end - first - 2; b++) {
        const cnt = decodeBlock(s.data.subarray(s.layout[first + b]!, s.layout[first + b + 1]!), sk, df, b, bd, bt);
        for (let j = 0; j < cnt; j++) {
          pd[n] = bd[j]! + base[k]!;
          pt[n++] = bt[j]!;
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
    visit(src, term, n, w.view(), bounds.subarray(0, ends.length));
  }
}

/**
 * Joins encoded segments of consecutive document ranges, in range order, into one, in memory (see
 * `forEachJoinedTerm`): the segment one inverter gives for all the ranges.
 */
export function concatSegments(segs: readonly EncodedSegment[]): EncodedSegment {
  const { ids, lens, totalLen } = joinedDocs(segs);
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
  forEachJoinedTerm(segs, lens, (src, i, df, data, bounds) => {
    const from = i === 0 ? 0 : src.termEnds[i - 1]!;
    termChars.set(src.termChars.subarray(from, src.termEnds[i]!), chars);
    chars += src.termEnds[i]! - from;
    termEnds[terms] = chars;
    dfs[terms] = df;
    layoutStart[terms++] = entries;
    const shift = out.length - bounds[0]!;
    out.bytes(data.subarray(bounds[0]!, bounds[bounds.length - 1]!));
    for (const b of bounds) layout[entries++] = b + shift;
  });
  return {
    docs: ids.length,
    totalLen,
    docIds: encodeDocIds(ids),
    docLens: encodeUint32(lens),
    termChars: termChars.slice(0, chars),
    termEnds: termEnds.slice(0, terms),
    dfs: dfs.slice(0, terms),
    data: out.take(),
    layout: layout.slice(0, entries),
    layoutStart: layoutStart.slice(0, terms),
  };
}

const buffersOf = (s: EncodedSegment) => [s.data, s.docIds, s.docLens, s.layout, s.layoutStart, s.dfs, s.termChars, s.termEnds];

/** Bytes an encoded segment holds while it waits to be written. */
export function encodedBytes(s: EncodedSegment): number {
  return buffersOf(s).reduce((a, b) => a + b.byteLength, 0);
}

/** The buffers of a segment, to transfer it to another thread. */
export const transferList = (s: EncodedSegment): ArrayBuffer[] => [...new Set(buffersOf(s).map((a) => a.buffer as ArrayBuffer))];

/** Frees a segment's memory once it is written (see `release`); it must not be used afterwards. */
export const releaseSegment = (s: EncodedSegment): void => release(...buffersOf(s));
