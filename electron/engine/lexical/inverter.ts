import type { Analyzer } from '../analysis/analyzer.ts';
import { forEachWordSpan } from '../analysis/tokenize.ts';
import { ByteWriter, encodeDocIds, encodePostings, release, uint32Bytes } from './codec.ts';
import { packTerms, type PackedTerms } from './dictionary.ts';
import { packedHash, packUnits, rebuildTable, TERM_SLOT_BYTES, TermIds, unitsHash } from './term-ids.ts';

/**
 * One segment as the builder hands it to the store: everything, the dictionary included, is packed into a few
 * transferable buffers. Terms are in ascending code-unit order, each with its df, blocks and skip data.
 */
export interface EncodedSegment extends PackedTerms {
  docs: number;
  totalLen: number;
  docIds: Uint8Array;
  docLens: Uint8Array;
  dfs: Uint32Array;
  /** Per term: its blocks, then its skip data, back to back. */
  data: Uint8Array;
  /** Per term: the byte offset where its first block starts, the end offset of each block, the end of its skips. */
  layout: Uint32Array;
  /** Per term: index into layout where its entries start. */
  layoutStart: Uint32Array;
}

export interface DocInput {
  id: number;
  title: string | null;
  text: string;
}

/**
 * A range as counted, before its postings are sorted and encoded (`RangeEncoder`): its documents, the (term id, tf)
 * stream of their postings, and its dictionary: the terms it uses in term order, their df, and their code units
 * packed, all typed arrays (the vocabulary and its order stay with the inverter).
 */
export interface CountedRange extends PackedTerms {
  /** documents.id of each document, ascending. */
  ids: Float64Array;
  lens: Uint32Array;
  /** Per document: the end of its postings in the stream. */
  docEnd: Int32Array;
  postTerm: Int32Array;
  postTf: Int32Array;
  /** Ids of the terms the range uses, in term order, and each one's df. */
  terms: Int32Array;
  dfs: Uint32Array;
}

function growI32(a: Int32Array<ArrayBuffer>, need: number): Int32Array<ArrayBuffer> {
  if (need <= a.length) return a;
  const b = new Int32Array(Math.max(need, Math.ceil(a.length * 1.5)));
  b.set(a);
  release(a);
  return b;
}

function growU16(a: Uint16Array<ArrayBuffer>, need: number): Uint16Array<ArrayBuffer> {
  if (need <= a.length) return a;
  const b = new Uint16Array(Math.max(need, a.length * 2));
  b.set(a);
  release(a);
  return b;
}

// The word table is open addressing with entries of E int32s (`rebuildTable`). A word of up to 8 code units below 256
// (`packUnits`) is kept in its entry: its units a byte each in the first two int32s. Any other word's entry has its
// hash and where its code units start in `chars`. Then: its length in the low 15 bits (0: empty entry), PACKED when
// the word is in the entry, and above them how often the word was seen again (saturating); and its terms: a term id when it has exactly one, else ~offset into `wordTerms`, where the count and
// the ids are. One entry is one cache line or less: a repeated word costs one cache miss when packed, two otherwise
// (entry and code units), and allocates nothing. Inverting 1M generated passages by words, the two misses took 6.7 of
// the worker's 22.6 CPU s; with the words packed, the lookups take 4.7 s instead of 8.0.
const E = 4;
const LEN_BITS = 16;
const PACKED = 1 << 15;
const LEN_MASK = PACKED - 1;
/** The bits of an entry's third int32 that say which word it is: its length, and whether it is packed. */
const KEY_MASK = PACKED | LEN_MASK;
const SEEN_MAX = 0x7fff;
/** A word's slots in the table, which is at most half full. */
const WORD_SLOT_BYTES = 2 * E * 4;

/** The slot hash the entry at tab[o] was placed by. */
const entryHash = (tab: Int32Array, o: number): number => (tab[o + 2]! & PACKED ? packedHash(tab[o]!, tab[o + 1]!) : tab[o]!);

/** Bytes of a term besides its code units: its string's header and place in the term list, its slots in `TermIds`. */
const TERM_HEAP_BYTES = 24 + TERM_SLOT_BYTES;
/** A term's place in the inverter's arrays: its state (3 int32s), its place in term order and its rank. */
const TERM_ARRAY_BYTES = 20;
/**
 * What a trim keeps, as a share of its bound: the words forgotten are analysed again when they come back, so a trim
 * that keeps little comes back soon and costs CPU each time.
 */
const TRIM_TO = 0.75;
/** Bytes per posting at the peak: the (term, tf) stream with growth slack, and the sorted copy `finish` makes. */
export const POSTING_BYTES = 20;

/**
 * Inverts documents into in-memory segments, one range of documents after another. Each distinct word (as written)
 * is analysed once per inverter, not once per range: the word table and the term ids outlive the range. Postings
 * accumulate as a flat stream of (term id, tf) per document in typed arrays. `take` hands over the counted range and
 * `RangeEncoder` encodes it (`finish` does both); the inverter is then ready for the next range (its arrays are kept
 * and reused). The builder sizes ranges by `postingBytes()` per document.
 */
export class Inverter {
  private readonly analyzer: Analyzer;
  private readonly titleWeight: number;
  private table = new Int32Array(E << 12);
  private capacity = 1 << 12;
  private wordCount = 0;
  private chars = new Uint16Array(1 << 14);
  private charsUsed = 0;
  /** The word being looked up, packed (`packUnits`). */
  private readonly units = new Int32Array(2);
  private wordTerms = new Int32Array(1024);
  private wordTermsUsed = 0;
  private termIds = new TermIds();
  private termList: string[] = [];
  /** Code units of the terms in `termList`. */
  private termUnits = 0;
  /** Term ids in term order (code units, as `Array.prototype.sort` orders strings), and each id's place there. */
  private sorted = new Int32Array(0);
  private rank = new Int32Array(0);
  /** Encodes the ranges of `finish`. */
  private readonly encoder = new RangeEncoder();
  /**
   * Per term id, side by side: the last document it occurred in (numbered across ranges, so that a new range needs
   * no reset), where that posting is in the stream, its df in the range.
   */
  private termState = new Int32Array(3 * 1024).fill(-1);
  /** Ids of the terms that occur in the range, in order of first occurrence. */
  private used = new Int32Array(1024);
  private usedCount = 0;
  /** Documents of earlier ranges. */
  private docBase = 0;
  private postTerm: Int32Array<ArrayBuffer>;
  private postTf: Int32Array<ArrayBuffer>;
  private postings = 0;
  /** Per document: the end of its postings in the stream. */
  private docEnd = new Int32Array(1024);
  private readonly ids: number[] = [];
  private readonly lens: number[] = [];
  private docno = 0;
  private len = 0;

  /** `expectedPostings`: room to reserve, so that the posting stream need not grow (and be copied) on the way. */
  constructor(analyzer: Analyzer, titleWeight: number, expectedPostings = 4096) {
    this.analyzer = analyzer;
    this.titleWeight = titleWeight;
    this.postTerm = new Int32Array(Math.max(1024, expectedPostings));
    this.postTf = new Int32Array(Math.max(1024, expectedPostings));
  }

  /** Whether this inverter analyses as `spec` with `titleWeight`, so that it can take a range of that index. */
  suits(spec: string, titleWeight: number): boolean {
    return this.analyzer.spec === spec && this.titleWeight === titleWeight;
  }

  /** Reserves room for `n` postings in the next range, so that the stream need not grow (and be copied) on the way. */
  reserve(n: number): void {
    if (n <= this.postTerm.length) return;
    release(this.postTerm, this.postTf);
    this.postTerm = new Int32Array(n);
    this.postTf = new Int32Array(n);
  }

  get docs(): number {
    return this.ids.length;
  }

  /** Memory at the peak of `finish` that grows with the documents: postings and per-document arrays. */
  postingBytes(): number {
    return this.postings * POSTING_BYTES + this.ids.length * 24;
  }

  /**
   * Bytes of the inverter's typed arrays now, plus what encoding the range adds at its peak (the sorted postings and
   * their encoding, per-term arrays); its strings and number arrays are on the heap, which the caller measures.
   */
  peakBytes(): number {
    const arrays = [this.table, this.chars, this.wordTerms, this.termState, this.used, this.sorted, this.rank, this.postTerm, this.postTf, this.docEnd];
    // The term ids' table, and the encoder's slot per term id.
    return arrays.reduce((a, b) => a + b.byteLength, 0) + this.termIds.bytes + this.termList.length * 4 + this.postings * 12 + this.usedCount * 24;
  }

  get postingCount(): number {
    return this.postings;
  }

  private termId(term: string): number {
    const t = this.termIds.idOf(term, this.termList, this.termList.length);
    if (t === this.termList.length) {
      this.termList.push(term);
      this.termUnits += term.length;
      if (3 * t + 3 > this.termState.length) {
        const grown = new Int32Array(Math.max(3 * t + 3, this.termState.length * 2)).fill(-1);
        grown.set(this.termState);
        release(this.termState);
        this.termState = grown;
      }
      this.termState[3 * t + 2] = 0;
    }
    return t;
  }

  /** The terms of the word text[start, end) as its word-table entry gives them, analysed and added if new. */
  private word(text: string, start: number, end: number): number {
    const len = end - start;
    // A word too long for the table's length field is analysed every time: its terms go after the table's, where the
    // caller reads them before the next word.
    if (len > LEN_MASK) return this.analysed(text, start, end, -1);
    const tab = this.table;
    const mask = this.capacity - 1;
    const u = this.units;
    if (packUnits(text, start, end, u)) {
      const lo = u[0]!;
      const hi = u[1]!;
      const key = len | PACKED;
      let e = (packedHash(lo, hi) & mask) * E;
      for (let l = tab[e + 2]!; l !== 0; l = tab[e + 2]!) {
        if ((l & KEY_MASK) === key && tab[e] === lo && tab[e + 1] === hi) {
          if (l >>> LEN_BITS < SEEN_MAX) tab[e + 2] = l + (1 << LEN_BITS);
          return tab[e + 3]!;
        }
        e = (e + E) & (mask * E + E - 1);
      }
      const info = this.analysed(text, start, end, e);
      tab[e] = lo;
      tab[e + 1] = hi;
      tab[e + 2] = key;
      return this.added(e, info);
    }
    const h = unitsHash(text, start, end);
    let e = (h & mask) * E;
    for (let l = tab[e + 2]!; l !== 0; l = tab[e + 2]!) {
      if (tab[e] === h && (l & KEY_MASK) === len) {
        const at = tab[e + 1]!;
        let i = 0;
        while (i < len && this.chars[at + i] === text.charCodeAt(start + i)) i++;
        if (i === len) {
          if (l >>> LEN_BITS < SEEN_MAX) tab[e + 2] = l + (1 << LEN_BITS);
          return tab[e + 3]!;
        }
      }
      e = (e + E) & (mask * E + E - 1);
    }
    const info = this.analysed(text, start, end, e);
    this.chars = growU16(this.chars, this.charsUsed + len);
    for (let i = 0; i < len; i++) this.chars[this.charsUsed + i] = text.charCodeAt(start + i);
    tab[e] = h;
    tab[e + 1] = this.charsUsed;
    tab[e + 2] = len;
    this.charsUsed += len;
    return this.added(e, info);
  }

  /**
   * Analyses a word not in the table: its term id, or ~offset of its count and term ids in `wordTerms`, which are
   * kept there only when the word goes into the table's entry `e` (-1: it does not).
   */
  private analysed(text: string, start: number, end: number, e: number): number {
    const terms = this.analyzer.wordTerms(text.slice(start, end));
    if (terms.length === 1) return this.termId(terms[0]!);
    this.wordTerms = growI32(this.wordTerms, this.wordTermsUsed + terms.length + 1);
    let at = this.wordTermsUsed;
    const info = ~at;
    this.wordTerms[at++] = terms.length;
    for (const t of terms) this.wordTerms[at++] = this.termId(t);
    if (e >= 0) this.wordTermsUsed = at;
    return info;
  }

  /** Completes entry `e`, just filled, with the word's terms; the table grows past half full. */
  private added(e: number, info: number): number {
    this.table[e + 3] = info;
    if (++this.wordCount * 2 > this.capacity) this.rehash();
    return info;
  }

  private rehash(): void {
    this.capacity *= 2;
    this.table = rebuildTable(this.table, this.capacity, entryHash);
  }

  /**
   * Bytes the vocabulary takes (the word table and the terms), as the trim counts them: what is used of the arrays
   * (the room they grew into is touched only as it fills), the terms' strings and map entries estimated.
   */
  vocabularyBytes(): number {
    return this.wordCount * WORD_SLOT_BYTES + this.charsUsed * 2 + this.wordTermsUsed * 4 + this.termList.length * (TERM_HEAP_BYTES + TERM_ARRAY_BYTES) + this.termUnits * 2;
  }

  /**
   * Keeps the vocabulary within `maxBytes` between ranges. The vocabulary is a memo: a word forgotten is analysed
   * again when it comes back, and a term forgotten gets a new id, so the segments are the same whatever it holds.
   * But without a bound it grows with the collection's distinct words (Heaps' law) until it fills the memory alone
   * (chargram:3-5: 244 MB of word table for the 1.4M distinct words of 1M generated passages). Past the bound, the words seen
   * most often are kept, within TRIM_TO of the bound, and the terms they use; the rest goes. Terms keep
   * their order, so nothing is sorted again.
   */
  trim(maxBytes: number): void {
    if (this.usedCount > 0 || this.postings > 0) throw new Error('Inverter.trim: a range is being counted');
    if (this.vocabularyBytes() <= maxBytes) return;
    this.order();
    const tab = this.table;
    // What keeping the words seen at least n times would cost, n up to SEEN_MAX: each word's table slots, code units
    // and term list, and each term once, with the most seen of its words.
    const bytesBySeen = new Float64Array(SEEN_MAX + 1);
    const termTop = new Int32Array(this.termList.length).fill(-1);
    for (let o = 0; o < tab.length; o += E) {
      const l = tab[o + 2]!;
      if (l === 0) continue;
      const seen = l >>> LEN_BITS;
      const info = tab[o + 3]!;
      bytesBySeen[seen]! += WORD_SLOT_BYTES + (l & PACKED ? 0 : 2 * (l & LEN_MASK));
      if (info >= 0) termTop[info] = Math.max(termTop[info]!, seen);
      else {
        const n = this.wordTerms[~info]!;
        bytesBySeen[seen]! += 4 * (n + 1);
        for (let i = 1; i <= n; i++) {
          const t = this.wordTerms[~info + i]!;
          termTop[t] = Math.max(termTop[t]!, seen);
        }
      }
    }
    // A term: its string and map entry, its state, place and rank.
    for (let t = 0; t < termTop.length; t++) if (termTop[t]! >= 0) bytesBySeen[termTop[t]!]! += TERM_HEAP_BYTES + TERM_ARRAY_BYTES + 2 * this.termList[t]!.length;
    let threshold = SEEN_MAX + 1;
    for (let kept = 0; threshold > 0 && kept + bytesBySeen[threshold - 1]! <= maxBytes * TRIM_TO; ) kept += bytesBySeen[--threshold]!;
    // The terms of the words kept, numbered again in term order.
    const newId = new Int32Array(this.termList.length).fill(-1);
    const terms: string[] = [];
    let units = 0;
    for (const t of this.sorted) {
      if (termTop[t]! >= threshold) {
        newId[t] = terms.length;
        terms.push(this.termList[t]!);
        units += this.termList[t]!.length;
      }
    }
    this.termList = terms;
    this.termUnits = units;
    this.termIds.dispose();
    this.termIds = new TermIds(terms);
    release(this.termState, this.sorted, this.rank);
    // No term has occurred yet (-1): its count is reset at its first occurrence in the next range.
    this.termState = new Int32Array(3 * Math.max(16, terms.length)).fill(-1);
    this.sorted = Int32Array.from(terms, (_, i) => i);
    this.rank = this.sorted.slice();
    // The words kept, their code units and term lists moved to fresh arrays.
    let words = 0;
    let chars = 0;
    let wordTermsUsed = 0;
    for (let o = 0; o < tab.length; o += E) {
      if (tab[o + 2] === 0 || tab[o + 2]! >>> LEN_BITS < threshold) continue;
      words++;
      if (!(tab[o + 2]! & PACKED)) chars += tab[o + 2]! & LEN_MASK;
      if (tab[o + 3]! < 0) wordTermsUsed += this.wordTerms[~tab[o + 3]!]! + 1;
    }
    // Arrays the size of what is kept: they grow again as the next range needs.
    const newChars = new Uint16Array(Math.max(16, chars));
    const newWordTerms = new Int32Array(Math.max(16, wordTermsUsed));
    let c = 0;
    let w = 0;
    this.capacity = 16;
    while (words * 2 > this.capacity) this.capacity *= 2;
    this.table = rebuildTable(tab, this.capacity, entryHash, (old, o) => {
      if (old[o + 2]! >>> LEN_BITS < threshold) return false;
      if (!(old[o + 2]! & PACKED)) {
        const len = old[o + 2]! & LEN_MASK;
        newChars.set(this.chars.subarray(old[o + 1]!, old[o + 1]! + len), c);
        old[o + 1] = c;
        c += len;
      }
      const info = old[o + 3]!;
      if (info >= 0) old[o + 3] = newId[info]!;
      else {
        const n = this.wordTerms[~info]!;
        newWordTerms[w] = n;
        for (let i = 1; i <= n; i++) newWordTerms[w + i] = newId[this.wordTerms[~info + i]!]!;
        old[o + 3] = ~w;
        w += n + 1;
      }
      return true;
    });
    release(this.chars, this.wordTerms);
    this.chars = newChars;
    this.charsUsed = c;
    this.wordTerms = newWordTerms;
    this.wordTermsUsed = w;
    this.wordCount = words;
  }

  // The postings of a term end with the current document's, while it is being counted.
  private count(t: number, weight: number): void {
    const st = this.termState;
    const b = 3 * t;
    const doc = this.docBase + this.docno;
    if (st[b] === doc) {
      this.postTf[st[b + 1]!]! += weight;
      return;
    }
    const p = this.postings++;
    if (p === this.postTerm.length) {
      this.postTerm = growI32(this.postTerm, p + 1);
      this.postTf = growI32(this.postTf, p + 1);
    }
    if (st[b]! < this.docBase) {
      // First occurrence in this range.
      st[b + 2] = 0;
      this.used = growI32(this.used, this.usedCount + 1);
      this.used[this.usedCount++] = t;
    }
    st[b] = doc;
    st[b + 1] = p;
    st[b + 2]!++;
    this.postTerm[p] = t;
    this.postTf[p] = weight;
  }

  private addText(text: string, weight: number): void {
    const drop = this.analyzer.dropsClitics;
    forEachWordSpan(text, (start, end, clitic) => {
      if (clitic && drop) return;
      const info = this.word(text, start, end);
      if (info >= 0) {
        this.count(info, weight);
        this.len += weight;
        return;
      }
      const at = ~info;
      const n = this.wordTerms[at]!;
      for (let i = 1; i <= n; i++) this.count(this.wordTerms[at + i]!, weight);
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

  /**
   * Brings `sorted` and `rank` up to date with the terms added since the last call: the new terms are sorted and
   * merged into the sorted list, so a range sorts only the vocabulary it added.
   */
  private order(): void {
    const n = this.termList.length;
    const had = this.sorted.length;
    if (n === had) return;
    const list = this.termList;
    // Terms are distinct: no two compare equal.
    const fresh = Int32Array.from({ length: n - had }, (_, i) => had + i).sort((a, b) => (list[a]! < list[b]! ? -1 : 1));
    const old = this.sorted;
    const sorted = new Int32Array(n);
    let i = 0;
    let j = 0;
    for (let k = 0; k < n; k++) {
      if (j < fresh.length && (i === had || list[fresh[j]!]! < list[old[i]!]!)) sorted[k] = fresh[j++]!;
      else sorted[k] = old[i++]!;
    }
    release(old, this.rank);
    this.sorted = sorted;
    this.rank = new Int32Array(n);
    for (let k = 0; k < n; k++) this.rank[sorted[k]!] = k;
  }

  /**
   * The range counted so far, with its dictionary in term order, and the start of the next: the stream's arrays are
   * handed over as views (to be used before the next `add`), the rest is copied. The vocabulary and
   * its term ids are kept.
   */
  take(): CountedRange {
    this.order();
    const n = this.usedCount;
    // The range's terms in term order: their ranks, sorted as numbers.
    const ranks = new Int32Array(n);
    for (let i = 0; i < n; i++) ranks[i] = this.rank[this.used[i]!]!;
    ranks.sort();
    const terms = ranks.map((r) => this.sorted[r]!);
    release(ranks);
    const dfs = new Uint32Array(n);
    for (let i = 0; i < n; i++) dfs[i] = this.termState[3 * terms[i]! + 2]!;
    const range: CountedRange = {
      ids: Float64Array.from(this.ids),
      lens: Uint32Array.from(this.lens),
      docEnd: this.docEnd.slice(0, this.ids.length),
      postTerm: this.postTerm.subarray(0, this.postings),
      postTf: this.postTf.subarray(0, this.postings),
      terms,
      dfs,
      ...packTerms(Array.from(terms, (t) => this.termList[t]!)),
    };
    this.docBase += this.ids.length;
    this.ids.length = 0;
    this.lens.length = 0;
    this.postings = 0;
    this.usedCount = 0;
    return range;
  }

  /** Encodes the range's segment and starts the next range (the vocabulary and the arrays are kept). */
  finish(): EncodedSegment {
    return this.encoder.encode(this.take());
  }
}

/**
 * Turns counted ranges into encoded segments: sorts a range's postings by term with a counting sort (documents stay
 * in order) and encodes them. It keeps nothing from one range to the next but a scratch array.
 */
export class RangeEncoder {
  /** Per term id: where its next posting goes in the sorted stream. */
  private slot = new Int32Array(1024);

  /** The segment keeps the range's dictionary and dfs; the stream is left to the inverter, which reuses it. */
  encode(r: CountedRange): EncodedSegment {
    const { terms, dfs } = r;
    const nTerms = terms.length;
    let top = 0;
    for (let i = 0; i < nTerms; i++) top = Math.max(top, terms[i]!);
    if (top >= this.slot.length) {
      release(this.slot);
      this.slot = new Int32Array(Math.max(top + 1, this.slot.length * 2));
    }
    // Counting sort of the stream by term: each term's postings get a contiguous stretch, in document order.
    const slot = this.slot;
    let at = 0;
    for (let i = 0; i < nTerms; i++) {
      slot[terms[i]!] = at;
      at += dfs[i]!;
    }
    const postings = r.postTerm.length;
    const docs = new Int32Array(postings);
    const tfs = new Int32Array(postings);
    for (let d = 0, p = 0; d < r.ids.length; d++) {
      for (const end = r.docEnd[d]!; p < end; p++) {
        const q = slot[r.postTerm[p]!]!++;
        docs[q] = d;
        tfs[q] = r.postTf[p]!;
      }
    }
    const lens = r.lens;
    const out = new ByteWriter(Math.max(1024, postings * 2));
    const skips = new ByteWriter(256);
    const layout: number[] = [];
    const layoutStart = new Uint32Array(nTerms);
    let from = 0;
    for (let i = 0; i < nTerms; i++) {
      const df = dfs[i]!;
      layoutStart[i] = layout.length;
      layout.push(out.length);
      encodePostings(docs.subarray(from, from + df), tfs.subarray(from, from + df), lens, out, skips, layout);
      out.bytes(skips.view());
      layout.push(out.length);
      from += df;
    }
    release(docs, tfs);
    const seg: EncodedSegment = {
      docs: r.ids.length,
      totalLen: lens.reduce((a, b) => a + b, 0),
      docIds: encodeDocIds(r.ids),
      docLens: uint32Bytes(lens),
      termChars: r.termChars,
      termEnds: r.termEnds,
      dfs,
      data: out.take(),
      layout: Uint32Array.from(layout),
      layoutStart,
    };
    return seg;
  }
}
