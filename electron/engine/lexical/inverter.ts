import type { Analyzer } from '../analysis/analyzer.ts';
import { ByteWriter, encodeDocIds, encodePostings, encodeUint32 } from './codec.ts';

/** One segment as the builder hands it to the store: everything is packed into a few transferable buffers. */
export interface EncodedSegment {
  docs: number;
  totalLen: number;
  docIds: Uint8Array;
  docLens: Uint8Array;
  /** Terms in ascending code-unit order, with their df, skip data and blocks (sliced out of `data`). */
  terms: string[];
  dfs: Uint32Array;
  /** For term i: skips at data[offsets[2i] .. offsets[2i+1]), blocks after, each delimited in blockEnds. */
  data: Uint8Array;
  /** Per term: byte offset of its skips, then (one per block) the end offset of each block. */
  layout: Float64Array;
  /** Per term: index into layout where its entries start. */
  layoutStart: Uint32Array;
}

export interface DocInput {
  id: number;
  title: string | null;
  text: string;
}

/**
 * Inverts documents into an in-memory segment: postings per term as growable integer arrays. The builder asks
 * `bytesUsed()` after each document and flushes a segment when its memory budget is reached.
 */
/** A term's postings while a segment is being inverted: (docno, tf) pairs, the last pair still counting. */
interface Postings {
  pairs: Int32Array;
  /** Number of int32 slots used (twice the number of documents). */
  used: number;
  lastDoc: number;
}

export class Inverter {
  private readonly analyzer: Analyzer;
  private readonly titleWeight: number;
  private readonly postings = new Map<string, Postings>();
  private readonly ids: number[] = [];
  private readonly lens: number[] = [];
  private postingCount = 0;
  private termBytes = 0;

  constructor(analyzer: Analyzer, titleWeight: number) {
    this.analyzer = analyzer;
    this.titleWeight = titleWeight;
  }

  get docs(): number {
    return this.ids.length;
  }

  /**
   * Rough heap use: two int32 per posting with up to half of each array's capacity unused after growth, plus each
   * term's map entry and array, and the per-document arrays.
   */
  bytesUsed(): number {
    return this.postingCount * 16 + this.termBytes + this.ids.length * 24;
  }

  // One map lookup per token: the postings of a term end with the current document's pair while it is counted.
  private count(terms: readonly string[], docno: number, weight: number): void {
    for (const t of terms) {
      let p = this.postings.get(t);
      if (!p) {
        p = { pairs: new Int32Array(4), used: 0, lastDoc: -1 };
        this.postings.set(t, p);
        this.termBytes += 120 + 2 * t.length;
      }
      if (p.lastDoc === docno) {
        p.pairs[p.used - 1]! += weight;
        continue;
      }
      if (p.used === p.pairs.length) {
        const grown = new Int32Array(p.pairs.length * 2);
        grown.set(p.pairs);
        p.pairs = grown;
      }
      p.pairs[p.used++] = docno;
      p.pairs[p.used++] = weight;
      p.lastDoc = docno;
      this.postingCount++;
    }
  }

  add(doc: DocInput): void {
    const docno = this.ids.length;
    let len = 0;
    if (doc.title && this.titleWeight > 0) {
      // Title words count titleWeight times, in the term frequency and in the length: a BM25F-style single field.
      const title = this.analyzer.terms(doc.title);
      len += title.length * this.titleWeight;
      this.count(title, docno, this.titleWeight);
    }
    const body = this.analyzer.terms(doc.text);
    len += body.length;
    this.count(body, docno, 1);
    this.ids.push(doc.id);
    this.lens.push(len);
  }

  /** Encodes the segment; the inverter is empty afterwards. */
  finish(): EncodedSegment {
    const terms = [...this.postings.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const lens = Uint32Array.from(this.lens);
    const out = new ByteWriter(1 << 20);
    const w = new ByteWriter(2048);
    const skipW = new ByteWriter(256);
    const dfs = new Uint32Array(terms.length);
    const layout: number[] = [];
    const layoutStart = new Uint32Array(terms.length);
    let docs = new Int32Array(1024);
    let tfs = new Int32Array(1024);
    terms.forEach((t, i) => {
      const { pairs: p, used } = this.postings.get(t)!;
      const df = used / 2;
      if (docs.length < df) {
        docs = new Int32Array(df * 2);
        tfs = new Int32Array(df * 2);
      }
      for (let j = 0; j < df; j++) {
        docs[j] = p[2 * j]!;
        tfs[j] = p[2 * j + 1]!;
      }
      const enc = encodePostings(docs.subarray(0, df), tfs.subarray(0, df), lens, w, skipW);
      dfs[i] = df;
      layoutStart[i] = layout.length;
      layout.push(out.length);
      out.bytes(enc.skips);
      layout.push(out.length);
      for (const b of enc.blocks) {
        out.bytes(b);
        layout.push(out.length);
      }
    });
    const totalLen = this.lens.reduce((a, b) => a + b, 0);
    const seg: EncodedSegment = {
      docs: this.ids.length,
      totalLen,
      docIds: encodeDocIds(this.ids),
      docLens: encodeUint32(lens),
      terms,
      dfs,
      data: out.take(),
      layout: Float64Array.from(layout),
      layoutStart,
    };
    this.postings.clear();
    this.ids.length = 0;
    this.lens.length = 0;
    this.postingCount = 0;
    this.termBytes = 0;
    return seg;
  }
}
