import { Bm25Scorer, idf, type Bm25Params } from '../lexical/bm25.ts';
import { END, PostingCursor, type IndexReader } from '../lexical/reader.ts';
import { canonicalSum, TopK, type ScoredDoc } from '../lexical/topk.ts';

/** One query word as a probabilistic structured query: the index terms of its translations, each with p. */
export interface PsqConcept {
  terms: { term: string; p: number }[];
  /** How many times the word occurs in the query. */
  weight: number;
}

function conceptIdfs(reader: IndexReader, concepts: readonly PsqConcept[]): number[] {
  return concepts.map((c) => {
    let df = 0;
    for (const t of c.terms) df += t.p * reader.df(t.term);
    return df > 0 ? c.weight * idf(reader.liveDocs, df) : 0;
  });
}

/**
 * Probabilistic structured queries (Darwish & Oard 2003): each concept is scored as one BM25 term whose term
 * frequency in a document is Σ p·tf(translation) and whose document frequency is Σ p·df(translation) (at most N),
 * so a document matching two translations of one word is not rewarded twice, and a word with many rare
 * translations does not outweigh one with a single common one.
 */
export function psqTopKExhaustive(reader: IndexReader, concepts: readonly PsqConcept[], k: number, params: Bm25Params): ScoredDoc[] {
  const heap = new TopK(k);
  const sc = new Bm25Scorer(params, reader.avgLen);
  const idfs = conceptIdfs(reader, concepts);
  for (const seg of reader.segments) {
    const acc = new Float64Array(seg.docs);
    const hit = new Uint8Array(seg.docs);
    const tf = new Float64Array(seg.docs);
    const touched: number[] = [];
    concepts.forEach((c, j) => {
      if (idfs[j] === 0) return;
      for (const t of c.terms) {
        const info = seg.term(t.term);
        if (!info) continue;
        for (const cur = new PostingCursor(seg, info); cur.doc !== END; cur.next()) {
          if (tf[cur.doc] === 0) touched.push(cur.doc);
          tf[cur.doc] = tf[cur.doc]! + t.p * cur.tf;
        }
      }
      for (const d of touched) {
        acc[d] = acc[d]! + sc.score(idfs[j]!, tf[d]!, seg.docLens[d]!);
        hit[d] = 1;
        tf[d] = 0;
      }
      touched.length = 0;
    });
    for (let d = 0; d < seg.docs; d++) if (hit[d] && !seg.isDeleted(d)) heap.offer(seg.docIds[d]!, acc[d]!);
  }
  return heap.sorted();
}

// Bounds are sums of doubles taken in another order than the exact score: prune only with this much room to spare.
const SLACK = 1e-9;

/** One concept in one segment: its translations' cursors in term order, merged. */
class ConceptCursor {
  readonly j: number;
  readonly idf: number;
  readonly ub: number;
  private readonly subs: { c: PostingCursor; p: number }[];
  doc = END;

  constructor(j: number, idf: number, subs: { c: PostingCursor; p: number }[], sc: Bm25Scorer) {
    this.j = j;
    this.idf = idf;
    this.subs = subs;
    // BM25 grows with tf and shrinks with length: the largest tf each translation reaches, at the shortest length
    // any of them reaches, bounds the concept's score in this segment.
    let tf = 0;
    let len = Infinity;
    for (const { c, p } of subs) {
      let maxTf = 0;
      for (const x of c.info.skips.maxTfs) maxTf = Math.max(maxTf, x);
      for (const x of c.info.skips.minLens) len = Math.min(len, x);
      tf += p * maxTf;
    }
    this.ub = sc.score(idf, tf, len);
    this.settle();
  }

  private settle(): void {
    let d = END;
    for (const s of this.subs) if (s.c.doc < d) d = s.c.doc;
    this.doc = d;
  }

  /** Σ p·tf over the translations at the current document, in term order (as the exhaustive scorer adds them). */
  tf(): number {
    let tf = 0;
    for (const s of this.subs) if (s.c.doc === this.doc) tf += s.p * s.c.tf;
    return tf;
  }

  next(): void {
    const d = this.doc;
    for (const s of this.subs) if (s.c.doc === d) s.c.next();
    this.settle();
  }

  seek(target: number): void {
    for (const s of this.subs) s.c.seek(target);
    this.settle();
  }
}

/**
 * The same ranking and scores as psqTopKExhaustive, by MaxScore over the concepts (see lexical/topk.ts): a concept's
 * bound comes from its translations' block maxima, documents only an unessential concept matches are never
 * considered, and a surviving document is scored again in concept order, so its score is the exhaustive one to the
 * bit. test/bridge/psq.property.test.ts checks both against the definition.
 */
export function psqTopK(reader: IndexReader, concepts: readonly PsqConcept[], k: number, params: Bm25Params): ScoredDoc[] {
  const heap = new TopK(k);
  if (k === 0) return [];
  const sc = new Bm25Scorer(params, reader.avgLen);
  const idfs = conceptIdfs(reader, concepts);
  const matchJ = new Int32Array(concepts.length);
  const matchS = new Float64Array(concepts.length);
  for (const seg of reader.segments) {
    const cur: ConceptCursor[] = [];
    concepts.forEach((c, j) => {
      if (idfs[j] === 0) return;
      const subs = c.terms.flatMap((t) => {
        const info = seg.term(t.term);
        return info ? [{ c: new PostingCursor(seg, info), p: t.p }] : [];
      });
      if (subs.length > 0) cur.push(new ConceptCursor(j, idfs[j]!, subs, sc));
    });
    cur.sort((a, b) => a.ub - b.ub || a.j - b.j);
    const m = cur.length;
    const prefix = new Float64Array(m);
    let run = 0;
    for (let i = 0; i < m; i++) prefix[i] = run += cur[i]!.ub;
    let theta = heap.threshold;
    let e = 0;
    while (e < m && prefix[e]! + SLACK < theta) e++;
    const lens = seg.docLens;
    for (;;) {
      let d = END;
      for (let i = e; i < m; i++) if (cur[i]!.doc < d) d = cur[i]!.doc;
      if (d === END) break;
      if (seg.isDeleted(d)) {
        for (let i = e; i < m; i++) if (cur[i]!.doc === d) cur[i]!.next();
        continue;
      }
      const len = lens[d]!;
      let sum = 0;
      let nm = 0;
      for (let i = e; i < m; i++) {
        const c = cur[i]!;
        if (c.doc !== d) continue;
        const s = sc.score(c.idf, c.tf(), len);
        matchJ[nm] = c.j;
        matchS[nm++] = s;
        sum += s;
        c.next();
      }
      let pruned = false;
      for (let i = e - 1; i >= 0; i--) {
        if (sum + prefix[i]! + SLACK < theta) {
          pruned = true;
          break;
        }
        const c = cur[i]!;
        c.seek(d);
        if (c.doc !== d) continue;
        const s = sc.score(c.idf, c.tf(), len);
        matchJ[nm] = c.j;
        matchS[nm++] = s;
        sum += s;
      }
      if (pruned) continue;
      const exact = canonicalSum(matchJ, matchS, nm);
      if (heap.offer(seg.docIds[d]!, exact) && heap.full) {
        theta = heap.threshold;
        while (e < m && prefix[e]! + SLACK < theta) e++;
      }
    }
  }
  return heap.sorted();
}
