import { Bm25Scorer, idf, type Bm25Params } from '../lexical/bm25.ts';
import { END, PostingCursor, type IndexReader } from '../lexical/reader.ts';
import { TopK, type ScoredDoc } from '../lexical/topk.ts';

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

/** One translation of one concept in one segment: the unit MaxScore walks or probes. */
interface Unit {
  c: PostingCursor;
  /** Its concept, and its position among all concepts' translations (the order the exhaustive scorer adds them in). */
  j: number;
  pos: number;
  p: number;
  /** p × the largest tf of the translation's blocks, and their shortest length. */
  tf: number;
  len: number;
}

/**
 * The same ranking and scores as psqTopKExhaustive, by MaxScore (see lexical/topk.ts) whose units are the concepts'
 * translations rather than the concepts: once the top k fills, a concept's unlikely translations (often common words
 * with long posting lists) become non-essential and are probed rather than walked, while its likely one stays
 * essential. The bound of a set of units is tight within a concept, BM25 of the concept's Σ p·maxTf over its units
 * in the set at their shortest length (bounding each unit alone and adding would be loose, as BM25 saturates: walking
 * in that order read three times the postings). A candidate's bound is BM25 of each concept's tf known so far plus
 * the bound of the units not yet probed; BM25's saturation is concave and 0 at 0, hence subadditive, so that sum
 * bounds the whole. A surviving document is scored again in concept and translation order, so its score is the
 * exhaustive one to the bit. test/bridge/psq.property.test.ts checks both against the definition.
 */
export function psqTopK(reader: IndexReader, concepts: readonly PsqConcept[], k: number, params: Bm25Params): ScoredDoc[] {
  const heap = new TopK(k);
  if (k === 0) return [];
  const sc = new Bm25Scorer(params, reader.avgLen);
  const idfs = conceptIdfs(reader, concepts);
  const conceptOf: number[] = [];
  concepts.forEach((c, j) => c.terms.forEach(() => conceptOf.push(j)));
  const first = concepts.map((_, j) => conceptOf.indexOf(j));
  const nc = concepts.length;
  // Per concept: Σ p·tf known at the candidate, and the bound's running tf and length. Per translation: its p·tf at
  // the candidate; the translations that matched it.
  const known = new Float64Array(nc);
  const restTf = new Float64Array(nc);
  const restLen = new Float64Array(nc);
  const ptf = new Float64Array(conceptOf.length);
  const matched = new Int32Array(conceptOf.length);
  const touched = new Int32Array(nc);
  let len = 0;
  let nm = 0;
  let nt = 0;
  const add = (u: Unit): void => {
    if (known[u.j] === 0) touched[nt++] = u.j;
    const x = u.p * u.c.tf;
    known[u.j] = known[u.j]! + x;
    ptf[u.pos] = x;
    matched[nm++] = u.pos;
  };
  const partial = (): number => {
    let s = 0;
    for (let a = 0; a < nt; a++) s += sc.score(idfs[touched[a]!]!, known[touched[a]!]!, len);
    return s;
  };
  for (const seg of reader.segments) {
    const units: Unit[] = [];
    concepts.forEach((c, j) => {
      if (idfs[j] === 0) return;
      c.terms.forEach((t, i) => {
        const info = seg.term(t.term);
        if (!info) return;
        let maxTf = 0;
        let len = Infinity;
        for (const x of info.skips.maxTfs) maxTf = Math.max(maxTf, x);
        for (const x of info.skips.minLens) len = Math.min(len, x);
        units.push({ c: new PostingCursor(seg, info), j, pos: first[j]! + i, p: t.p, tf: t.p * maxTf, len });
      });
    });
    // The order units become non-essential in, as the threshold rises: greedily, the unit whose turn adds least to
    // the bound per posting it spares (on the bench's passages this walks and probes a fifth fewer postings than
    // taking whole concepts by bound, as MaxScore over concepts does, or each concept's units by their own bound).
    restTf.fill(0);
    restLen.fill(Infinity);
    const gain = (u: Unit) => {
      const w = idfs[u.j]!;
      const before = restTf[u.j]! === 0 ? 0 : sc.score(w, restTf[u.j]!, restLen[u.j]!);
      return (sc.score(w, restTf[u.j]! + u.tf, Math.min(restLen[u.j]!, u.len)) - before) / u.c.info.df;
    };
    // A unit's gain changes only when a unit of its own concept is taken.
    const gains = units.map(gain);
    for (let i = 0; i < units.length; i++) {
      let best = i;
      for (let x = i + 1; x < units.length; x++) {
        if (gains[x]! < gains[best]! || (gains[x] === gains[best] && units[x]!.pos < units[best]!.pos)) best = x;
      }
      const u = units[best]!;
      units[best] = units[i]!;
      units[i] = u;
      gains[best] = gains[i]!;
      restTf[u.j] = restTf[u.j]! + u.tf;
      restLen[u.j] = Math.min(restLen[u.j]!, u.len);
      for (let x = i + 1; x < units.length; x++) if (units[x]!.j === u.j) gains[x] = gain(units[x]!);
    }
    const m = units.length;
    // prefix[i]: the bound of units 0..i together.
    const prefix = new Float64Array(m);
    restTf.fill(0);
    restLen.fill(Infinity);
    let run = 0;
    for (let i = 0; i < m; i++) {
      const u = units[i]!;
      const w = idfs[u.j]!;
      const before = restTf[u.j]! === 0 ? 0 : sc.score(w, restTf[u.j]!, restLen[u.j]!);
      restTf[u.j] = restTf[u.j]! + u.tf;
      restLen[u.j] = Math.min(restLen[u.j]!, u.len);
      prefix[i] = run += sc.score(w, restTf[u.j]!, restLen[u.j]!) - before;
    }
    let theta = heap.threshold;
    let e = 0;
    while (e < m && prefix[e]! + SLACK < theta) e++;
    const lens = seg.docLens;
    while (e < m) {
      let d = END;
      for (let i = e; i < m; i++) if (units[i]!.c.doc < d) d = units[i]!.c.doc;
      if (d === END) break;
      if (seg.isDeleted(d)) {
        for (let i = e; i < m; i++) if (units[i]!.c.doc === d) units[i]!.c.next();
        continue;
      }
      len = lens[d]!;
      nm = 0;
      nt = 0;
      for (let i = e; i < m; i++) {
        const u = units[i]!;
        if (u.c.doc !== d) continue;
        add(u);
        u.c.next();
      }
      let sum = partial();
      let pruned = false;
      for (let i = e - 1; i >= 0; i--) {
        if (sum + prefix[i]! + SLACK < theta) {
          pruned = true;
          break;
        }
        const u = units[i]!;
        u.c.seek(d);
        if (u.c.doc !== d) continue;
        add(u);
        sum = partial();
      }
      for (let a = 0; a < nt; a++) known[touched[a]!] = 0;
      if (pruned) continue;
      // The exhaustive scorer's sums: translations' p·tf in their order within each concept, concepts in order.
      for (let a = 1; a < nm; a++) {
        const x = matched[a]!;
        let b = a - 1;
        for (; b >= 0 && matched[b]! > x; b--) matched[b + 1] = matched[b]!;
        matched[b + 1] = x;
      }
      let exact = 0;
      for (let a = 0; a < nm; ) {
        const j = conceptOf[matched[a]!]!;
        let tf = 0;
        for (; a < nm && conceptOf[matched[a]!] === j; a++) tf += ptf[matched[a]!]!;
        exact += sc.score(idfs[j]!, tf, len);
      }
      if (heap.offer(seg.docIds[d]!, exact) && heap.full) {
        theta = heap.threshold;
        while (e < m && prefix[e]! + SLACK < theta) e++;
      }
    }
  }
  return heap.sorted();
}
