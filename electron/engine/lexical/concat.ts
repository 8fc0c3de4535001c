import { BLOCK_SIZE, ByteWriter, decodeBlock, decodeDocIds, decodeSkips, decodeUint32, encodeDocIds, encodePostings, encodeUint32 } from './codec.ts';
import type { EncodedSegment } from './inverter.ts';

/**
 * Joins encoded segments of consecutive document ranges, in range order, into one, in memory: the dictionaries are
 * merged and each term's postings are concatenated (document numbers shifted by the documents before them) and
 * cut into blocks again. Far cheaper than writing the segments and merging them in the database.
 */
export function concatSegments(segs: readonly EncodedSegment[]): EncodedSegment {
  const docs = segs.reduce((a, s) => a + s.docs, 0);
  const ids = new Float64Array(docs);
  const lens = new Uint32Array(docs);
  const base: number[] = [];
  let at = 0;
  for (const s of segs) {
    base.push(at);
    ids.set(decodeDocIds(s.docIds, s.docs), at);
    lens.set(decodeUint32(s.docLens), at);
    at += s.docs;
  }
  const out = new ByteWriter(segs.reduce((a, s) => a + s.data.length, 1024));
  const skips = new ByteWriter(256);
  const terms: string[] = [];
  const dfs: number[] = [];
  const layout: number[] = [];
  const layoutStart: number[] = [];
  const heads = segs.map(() => 0);
  const bd = new Int32Array(BLOCK_SIZE);
  const bt = new Int32Array(BLOCK_SIZE);
  let pd = new Int32Array(1024);
  let pt = new Int32Array(1024);
  for (;;) {
    let term: string | undefined;
    segs.forEach((s, k) => {
      const t = s.terms[heads[k]!];
      if (t !== undefined && (term === undefined || t < term)) term = t;
    });
    if (term === undefined) break;
    let n = 0;
    segs.forEach((s, k) => {
      const i = heads[k]!;
      if (s.terms[i] !== term) return;
      heads[k]!++;
      const df = s.dfs[i]!;
      if (pd.length < n + df) {
        const grown = Math.max(pd.length * 2, n + df);
        const d = new Int32Array(grown);
        const t = new Int32Array(grown);
        d.set(pd.subarray(0, n));
        t.set(pt.subarray(0, n));
        pd = d;
        pt = t;
      }
      // Layout per term: start of its first block, end of each block, end of its skips.
      const first = s.layoutStart[i]!;
      const end = i + 1 < s.terms.length ? s.layoutStart[i + 1]! : s.layout.length;
      const sk = decodeSkips(s.data.subarray(s.layout[end - 2]!, s.layout[end - 1]!), df);
      for (let b = 0; b < end - first - 2; b++) {
        const cnt = decodeBlock(s.data.subarray(s.layout[first + b]!, s.layout[first + b + 1]!), sk, df, b, bd, bt);
        for (let j = 0; j < cnt; j++) {
          pd[n] = bd[j]! + base[k]!;
          pt[n++] = bt[j]!;
        }
      }
    });
    terms.push(term);
    dfs.push(n);
    layoutStart.push(layout.length);
    layout.push(out.length);
    encodePostings(pd.subarray(0, n), pt.subarray(0, n), lens, out, skips, layout);
    out.bytes(skips.view());
    layout.push(out.length);
  }
  return {
    docs,
    totalLen: segs.reduce((a, s) => a + s.totalLen, 0),
    docIds: encodeDocIds(ids),
    docLens: encodeUint32(lens),
    terms,
    dfs: Uint32Array.from(dfs),
    data: out.take(),
    layout: Uint32Array.from(layout),
    layoutStart: Uint32Array.from(layoutStart),
  };
}

/** Bytes an encoded segment holds while it waits to be written. */
export function encodedBytes(s: EncodedSegment): number {
  return s.data.byteLength + s.docIds.byteLength + s.docLens.byteLength + s.layout.byteLength + s.terms.length * 48;
}
