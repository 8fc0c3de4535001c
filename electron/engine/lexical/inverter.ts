import type { Analyzer } from '../analysis/analyzer.ts';
import { forEachWordSpan } from '../analysis/tokenize.ts';
import { ByteWriter, encodeDocIds, encodePostings, encodeUint32 } from './codec.ts';

/** One segment as the builder hands it to the store: everything is packed into a few transferable buffers. */
export interface EncodedSegment {
  docs: number;
  totalLen: number;
  docIds: Uint8Array;
  docLens: Uint8Array;
  /** Terms in ascending code-unit order, with their df, blocks and skip data (sliced out of `data`). */
  terms: string[];
  dfs: Uint32Array;
  /** Per term: its blocks, then its skip data, back to back. */
  data: Uint8Array;
  /** Per term: the byte offset where its first block starts, the end offset of each block, the end of its skips. */
  layout: Float64Array;
  /** Per term: index into layout where its entries start. */
  layoutStart: Uint32Array;
}

export interface DocInput {
  id: number;
  title: string | null;
  text: string;
}

function growI32(a: Int32Array<ArrayBuffer>, need: number, fill = 0): Int32Array<ArrayBuffer> {
  if (need <= a.length) return a;
  const b = new Int32Array(Math.max(need, Math.ceil(a.length * 1.5)));
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}

function growU16(a: Uint16Array<ArrayBuffer>, need: number): Uint16Array<ArrayBuffer> {
  if (need <= a.length) return a;
  const b = new Uint16Array(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

// Per distinct word, in `words`: its hash, where its code units start in `chars`, its length, where its term ids
// start in `wordTerms`, and how many it has.
const W = 5;
/** Bytes per posting at the peak: the (term, tf) stream with growth slack, and the sorted copy `finish` makes. */
const POSTING_BYTES = 20;

/**
 * Inverts documents into an in-memory segment. Each distinct word (as written) is analysed once: an open-addressing
 * table keyed by its code units gives the integer ids of its terms, so a repeated word costs a hash and a
 * comparison, and no string. Postings accumulate as a flat stream of (term id, tf) per document in typed arrays;
 * `finish` sorts them by term with a counting sort (documents stay in order) and encodes them. The builder sizes
 * ranges by `bytesUsed()` per document.
 */
export class Inverter {
  private readonly analyzer: Analyzer;
  private readonly titleWeight: number;
  private slots = new Int32Array(1 << 12);
  private words = new Int32Array(W * 1024);
  private wordCount = 0;
  private chars = new Uint16Array(1 << 14);
  private charsUsed = 0;
  private wordTerms = new Int32Array(1024);
  private wordTermsUsed = 0;
  private readonly termIds = new Map<string, number>();
  private readonly termList: string[] = [];
  private termBytes = 0;
  /** Per term id: the last document it occurred in, where that posting is in the stream, and its df. */
  private lastDoc = new Int32Array(1024).fill(-1);
  private slotOf = new Int32Array(1024);
  private df = new Int32Array(1024);
  private postTerm = new Int32Array(1 << 12);
  private postTf = new Int32Array(1 << 12);
  private postings = 0;
  /** Per document: the end of its postings in the stream. */
  private docEnd = new Int32Array(1024);
  private readonly ids: number[] = [];
  private readonly lens: number[] = [];
  private docno = 0;
  private len = 0;

  constructor(analyzer: Analyzer, titleWeight: number) {
    this.analyzer = analyzer;
    this.titleWeight = titleWeight;
  }

  get docs(): number {
    return this.ids.length;
  }

  /** Heap use at the peak of `finish`: postings, distinct words and terms, per-document arrays. */
  bytesUsed(): number {
    return this.postings * POSTING_BYTES + this.wordCount * (W * 4 + 8) + this.charsUsed * 2 + this.wordTermsUsed * 4 + this.termBytes + this.ids.length * 24;
  }

  private termId(term: string): number {
    let t = this.termIds.get(term);
    if (t === undefined) {
      t = this.termList.length;
      this.termIds.set(term, t);
      this.termList.push(term);
      // Map entry, string, and the per-term arrays.
      this.termBytes += 64 + 2 * term.length + 12;
      if (t >= this.df.length) {
        this.lastDoc = growI32(this.lastDoc, t + 1, -1);
        this.slotOf = growI32(this.slotOf, t + 1);
        this.df = growI32(this.df, t + 1);
      }
    }
    return t;
  }

  /** Index into `words` of the word text[start, end), analysed and added if new. */
  private word(text: string, start: number, end: number): number {
    const len = end - start;
    let h = 0x811c9dc5 | 0;
    for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    const mask = this.slots.length - 1;
    let s = h & mask;
    for (let w = this.slots[s]!; w !== 0; w = this.slots[s]!) {
      const base = (w - 1) * W;
      if (this.words[base] === h && this.words[base + 2] === len) {
        const at = this.words[base + 1]!;
        let i = 0;
        while (i < len && this.chars[at + i] === text.charCodeAt(start + i)) i++;
        if (i === len) return base;
      }
      s = (s + 1) & mask;
    }
    const terms = this.analyzer.wordTerms(text.slice(start, end));
    const base = this.wordCount * W;
    this.words = growI32(this.words, base + W);
    this.chars = growU16(this.chars, this.charsUsed + len);
    for (let i = 0; i < len; i++) this.chars[this.charsUsed + i] = text.charCodeAt(start + i);
    this.wordTerms = growI32(this.wordTerms, this.wordTermsUsed + terms.length);
    for (let i = 0; i < terms.length; i++) this.wordTerms[this.wordTermsUsed + i] = this.termId(terms[i]!);
    this.words[base] = h;
    this.words[base + 1] = this.charsUsed;
    this.words[base + 2] = len;
    this.words[base + 3] = this.wordTermsUsed;
    this.words[base + 4] = terms.length;
    this.charsUsed += len;
    this.wordTermsUsed += terms.length;
    this.slots[s] = ++this.wordCount;
    if (this.wordCount * 2 > this.slots.length) this.rehash();
    return base;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let w = 0; w < this.wordCount; w++) {
      let s = this.words[w * W]! & mask;
      while (slots[s] !== 0) s = (s + 1) & mask;
      slots[s] = w + 1;
    }
    this.slots = slots;
  }

  // The postings of a term end with the current document's, while it is being counted.
  private count(t: number, weight: number): void {
    if (this.lastDoc[t] === this.docno) {
      this.postTf[this.slotOf[t]!]! += weight;
      return;
    }
    const p = this.postings++;
    if (p === this.postTerm.length) {
      this.postTerm = growI32(this.postTerm, p + 1);
      this.postTf = growI32(this.postTf, p + 1);
    }
    this.lastDoc[t] = this.docno;
    this.slotOf[t] = p;
    this.postTerm[p] = t;
    this.postTf[p] = weight;
    this.df[t]!++;
  }

  private addText(text: string, weight: number): void {
    const drop = this.analyzer.dropsClitics;
    forEachWordSpan(text, (start, end, clitic) => {
      if (clitic && drop) return;
      const base = this.word(text, start, end);
      const at = this.words[base + 3]!;
      const n = this.words[base + 4]!;
      for (let i = 0; i < n; i++) this.count(this.wordTerms[at + i]!, weight);
      this.len += n * weight;
    });
  }

  add(doc: DocInput): void {
    this.docno = this.ids.length;
    this.len = 0;
    // Title words count titleWeight times, in the term frequency and in the length: a BM25F-style single field.
    if (doc.title && this.titleWeight > 0) this.addText(doc.title, this.titleWeight);
    this.addText(doc.text, 1);
    this.docEnd = growI32(this.docEnd, this.docno + 1);
    this.docEnd[this.docno] = this.postings;
    this.ids.push(doc.id);
    this.lens.push(this.len);
  }

  /** Encodes the segment; the inverter must not be used afterwards. */
  finish(): EncodedSegment {
    const nTerms = this.termList.length;
    const terms = this.termList.slice().sort();
    // Counting sort of the stream by term: each term's postings get a contiguous stretch, in document order.
    const startOf = new Int32Array(nTerms);
    let at = 0;
    for (const t of terms) {
      const id = this.termIds.get(t)!;
      startOf[id] = at;
      at += this.df[id]!;
    }
    const docs = new Int32Array(this.postings);
    const tfs = new Int32Array(this.postings);
    const cursor = startOf.slice();
    for (let d = 0, p = 0; d < this.ids.length; d++) {
      for (const end = this.docEnd[d]!; p < end; p++) {
        const q = cursor[this.postTerm[p]!]!++;
        docs[q] = d;
        tfs[q] = this.postTf[p]!;
      }
    }
    this.postTerm = this.postTf = new Int32Array(0);
    const lens = Uint32Array.from(this.lens);
    const out = new ByteWriter(Math.max(1024, this.postings * 2));
    const skips = new ByteWriter(256);
    const dfs = new Uint32Array(nTerms);
    const layout: number[] = [];
    const layoutStart = new Uint32Array(nTerms);
    terms.forEach((t, i) => {
      const id = this.termIds.get(t)!;
      const from = startOf[id]!;
      const df = this.df[id]!;
      dfs[i] = df;
      layoutStart[i] = layout.length;
      layout.push(out.length);
      encodePostings(docs.subarray(from, from + df), tfs.subarray(from, from + df), lens, out, skips, layout);
      out.bytes(skips.view());
      layout.push(out.length);
    });
    return {
      docs: this.ids.length,
      totalLen: this.lens.reduce((a, b) => a + b, 0),
      docIds: encodeDocIds(this.ids),
      docLens: encodeUint32(lens),
      terms,
      dfs,
      data: out.take(),
      layout: Float64Array.from(layout),
      layoutStart,
    };
  }
}
