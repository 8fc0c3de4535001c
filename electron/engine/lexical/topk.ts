import { Bm25Scorer, idf, type Bm25Params } from './bm25.ts';
import { END, PostingCursor, type IndexReader } from './reader.ts';

/** A query term with its weight (query term frequency, or an RM3 expansion weight). */
export interface WeightedTerm {
  term: string;
  weight: number;
}

/** A scored document: its documents.id and BM25 score. */
export interface ScoredDoc {
  docId: number;
  score: number;
}

/** Query terms in canonical order (by term), duplicates merged, with weight·idf: every scorer sums in this order. */
export interface PreparedQuery {
  terms: string[];
  wIdf: Float64Array;
}

export function prepareQuery(reader: IndexReader, query: readonly WeightedTerm[]): PreparedQuery {
  const merged = new Map<string, number>();
  for (const q of query) if (q.weight > 0) merged.set(q.term, (merged.get(q.term) ?? 0) + q.weight);
  const terms = [...merged.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const wIdf = new Float64Array(terms.length);
  terms.forEach((t, i) => {
    wIdf[i] = merged.get(t)! * idf(reader.liveDocs, reader.df(t));
  });
  return { terms, wIdf };
}

/**
 * The k best documents, best first; ties broken by the smaller document id, so that every scorer returns the same
 * ranking. A bounded heap whose root is the worst document kept.
 */
export class TopK {
  private readonly k: number;
  private readonly scores: Float64Array;
  private readonly ids: Float64Array;
  size = 0;

  constructor(k: number) {
    this.k = k;
    this.scores = new Float64Array(k);
    this.ids = new Float64Array(k);
  }

  get full(): boolean {
    return this.size === this.k;
  }

  /** The score a document must reach to enter (ties may still enter on a smaller id); −∞ until full. */
  get threshold(): number {
    return this.size === this.k ? this.scores[0]! : -Infinity;
  }

  private worse(i: number, j: number): boolean {
    const a = this.scores[i]!;
    const b = this.scores[j]!;
    return a < b || (a === b && this.ids[i]! > this.ids[j]!);
  }

  private swap(i: number, j: number): void {
    const s = this.scores[i]!;
    this.scores[i] = this.scores[j]!;
    this.scores[j] = s;
    const d = this.ids[i]!;
    this.ids[i] = this.ids[j]!;
    this.ids[j] = d;
  }

  /** Offers a document; returns true when it was kept. */
  offer(docId: number, score: number): boolean {
    if (this.k === 0) return false;
    if (this.size < this.k) {
      let i = this.size++;
      this.scores[i] = score;
      this.ids[i] = docId;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!this.worse(i, p)) break;
        this.swap(i, p);
        i = p;
      }
      return true;
    }
    const ws = this.scores[0]!;
    if (score < ws || (score === ws && docId > this.ids[0]!)) return false;
    this.scores[0] = score;
    this.ids[0] = docId;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.size && this.worse(l, m)) m = l;
      if (r < this.size && this.worse(r, m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
    return true;
  }

  sorted(): ScoredDoc[] {
    const out: ScoredDoc[] = [];
    for (let i = 0; i < this.size; i++) out.push({ docId: this.ids[i]!, score: this.scores[i]! });
    return out.sort((a, b) => b.score - a.score || a.docId - b.docId);
  }
}

/** Term-at-a-time over every posting: the reference the pruned scorer must match exactly. */
export function topKExhaustive(reader: IndexReader, q: PreparedQuery, k: number, params: Bm25Params): ScoredDoc[] {
  const heap = new TopK(k);
  const sc = new Bm25Scorer(params, reader.avgLen);
  for (const seg of reader.segments) {
    const acc = new Float64Array(seg.docs);
    const hit = new Uint8Array(seg.docs);
    q.terms.forEach((t, j) => {
      const info = seg.term(t);
      if (!info) return;
      const c = new PostingCursor(seg, info);
      for (; c.doc !== END; c.next()) {
        acc[c.doc] = acc[c.doc]! + sc.score(q.wIdf[j]!, c.tf, seg.docLens[c.doc]!);
        hit[c.doc] = 1;
      }
    });
    for (let d = 0; d < seg.docs; d++) if (hit[d] && !seg.isDeleted(d)) heap.offer(seg.docIds[d]!, acc[d]!);
  }
  return heap.sorted();
}

// Bounds are sums of doubles taken in another order than the exact score: prune only with this much room to spare.
const SLACK = 1e-9;

/**
 * The sum of a document's matched term scores in canonical order (by query position), as the exhaustive scorer adds
 * them, so that a pruned scorer's score is bit-identical: the few matches are insertion-sorted in place.
 */
export function canonicalSum(matchJ: Int32Array, matchS: Float64Array, nm: number): number {
  for (let a = 1; a < nm; a++) {
    const j = matchJ[a]!;
    const s = matchS[a]!;
    let b = a - 1;
    while (b >= 0 && matchJ[b]! > j) {
      matchJ[b + 1] = matchJ[b]!;
      matchS[b + 1] = matchS[b]!;
      b--;
    }
    matchJ[b + 1] = j;
    matchS[b + 1] = s;
  }
  let exact = 0;
  for (let a = 0; a < nm; a++) exact += matchS[a]!;
  return exact;
}

/**
 * Exact top-k by MaxScore (Turtle & Flood) over each segment in turn, sharing one heap. Terms are ordered by their
 * upper bound (from per-block max tf and min length, valid for any k1 and b); the terms whose bounds together
 * cannot reach the heap's threshold are non-essential: a document is only considered when an essential term
 * matches it, and non-essential terms are probed only while they can still lift it over the threshold. A document
 * that survives is scored again in canonical term order, so its score equals the exhaustive scorer's to the bit.
 */
export function topKMaxScore(reader: IndexReader, q: PreparedQuery, k: number, params: Bm25Params): ScoredDoc[] {
  const heap = new TopK(k);
  if (k === 0) return [];
  const sc = new Bm25Scorer(params, reader.avgLen);
  const m0 = q.terms.length;
  const matchJ = new Int32Array(m0);
  const matchS = new Float64Array(m0);
  const blockUbAt = new Float64Array(m0);
  for (const seg of reader.segments) {
    const cur: { c: PostingCursor; j: number; wIdf: number; ub: number; blockUb: Float64Array }[] = [];
    q.terms.forEach((t, j) => {
      const info = seg.term(t);
      if (!info) return;
      const wIdf = q.wIdf[j]!;
      let ub = 0;
      const { maxTfs, minLens } = info.skips;
      const blockUb = new Float64Array(maxTfs.length);
      for (let b = 0; b < maxTfs.length; b++) ub = Math.max(ub, (blockUb[b] = sc.score(wIdf, maxTfs[b]!, minLens[b]!)));
      cur.push({ c: new PostingCursor(seg, info), j, wIdf, ub, blockUb });
    });
    cur.sort((a, b) => a.ub - b.ub);
    const m = cur.length;
    const prefix = new Float64Array(m);
    let run = 0;
    for (let i = 0; i < m; i++) prefix[i] = run += cur[i]!.ub;
    let theta = heap.threshold;
    let e = 0;
    while (e < m && prefix[e]! + SLACK < theta) e++;
    const lens = seg.docLens;
    for (;;) {
      if (e >= m) break;
      let d = END;
      for (let i = e; i < m; i++) if (cur[i]!.c.doc < d) d = cur[i]!.c.doc;
      if (d === END) break;
      if (seg.isDeleted(d)) {
        for (let i = e; i < m; i++) if (cur[i]!.c.doc === d) cur[i]!.c.next();
        continue;
      }
      const len = lens[d]!;
      let sum = 0;
      let nm = 0;
      for (let i = e; i < m; i++) {
        const t = cur[i]!;
        if (t.c.doc !== d) continue;
        const s = sc.score(t.wIdf, t.c.tf, len);
        matchJ[nm] = t.j;
        matchS[nm++] = s;
        sum += s;
        t.c.next();
      }
      // Block-max refinement: the bounds of the blocks that would hold d, from skip data alone, are usually far
      // below the terms' global bounds, and rule most candidates out before any non-essential block is decoded.
      let blockRest = 0;
      if (e > 0 && sum + prefix[e - 1]! + SLACK >= theta) {
        for (let i = 0; i < e; i++) {
          const t = cur[i]!;
          const b = t.c.blockOf(d);
          blockUbAt[i] = b < 0 ? 0 : t.blockUb[b]!;
          blockRest += blockUbAt[i]!;
        }
        if (sum + blockRest + SLACK < theta) continue;
      }
      let pruned = false;
      for (let i = e - 1; i >= 0; i--) {
        if (sum + Math.min(prefix[i]!, blockRest) + SLACK < theta) {
          pruned = true;
          break;
        }
        blockRest -= blockUbAt[i]!;
        const t = cur[i]!;
        t.c.seek(d);
        if (t.c.doc !== d) continue;
        const s = sc.score(t.wIdf, t.c.tf, len);
        matchJ[nm] = t.j;
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

/**
 * Long queries (character n-gram queries have dozens of terms) spend more time choosing MaxScore's next candidate
 * among many lists than scoring every posting; both scorers return the same results, so pick by query length
 * (measured on l10n-dev: 73-term n-gram queries run 2.5× faster term-at-a-time).
 */
export const EXHAUSTIVE_FROM_TERMS = 24;

export function topK(reader: IndexReader, q: PreparedQuery, k: number, params: Bm25Params): ScoredDoc[] {
  return (q.terms.length >= EXHAUSTIVE_FROM_TERMS ? topKExhaustive : topKMaxScore)(reader, q, k, params);
}
