import { Bm25Scorer, idf, type Bm25Params } from '../lexical/bm25.ts';
import { END, PostingCursor, type IndexReader } from '../lexical/reader.ts';
import { TopK, type ScoredDoc } from '../lexical/topk.ts';

/** One query word as a probabilistic structured query: the index terms of its translations, each with p. */
export interface PsqConcept {
  terms: { term: string; p: number }[];
  /** How many times the word occurs in the query. */
  weight: number;
}

/**
 * Probabilistic structured queries (Darwish & Oard 2003): each concept is scored as one BM25 term whose term
 * frequency in a document is Σ p·tf(translation) and whose document frequency is Σ p·df(translation) (at most N),
 * so a document matching two translations of one word is not rewarded twice, and a word with many rare
 * translations does not outweigh one with a single common one.
 */
export function psqTopK(reader: IndexReader, concepts: readonly PsqConcept[], k: number, params: Bm25Params): ScoredDoc[] {
  const heap = new TopK(k);
  const sc = new Bm25Scorer(params, reader.avgLen);
  const n = reader.liveDocs;
  const idfs = concepts.map((c) => {
    let df = 0;
    for (const t of c.terms) df += t.p * reader.df(t.term);
    return df > 0 ? c.weight * idf(n, df) : 0;
  });
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
