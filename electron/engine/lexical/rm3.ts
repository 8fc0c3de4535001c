import type Database from 'better-sqlite3';
import type { IndexReader } from './reader.ts';
import type { ScoredDoc, WeightedTerm } from './topk.ts';

/** RM3 pseudo-relevance feedback settings; defaults as in Anserini and the Shi et al. baseline. */
export interface Rm3Params {
  fbDocs: number;
  fbTerms: number;
  originalWeight: number;
}

export const defaultRm3: Rm3Params = { fbDocs: 10, fbTerms: 10, originalWeight: 0.5 };

/**
 * Expands a query with RM3: a relevance model estimated from the first-pass top documents
 * (P(w|R) ∝ Σ_d score(d)·tf(w,d)/|d|, scores normalised over the feedback set), cut to its fbTerms most likely
 * terms and renormalised, then interpolated with the original query's term distribution.
 */
export function rm3Expand(db: Database.Database, reader: IndexReader, original: readonly WeightedTerm[], top: readonly ScoredDoc[], p: Rm3Params): WeightedTerm[] {
  const fb = top.slice(0, p.fbDocs);
  const scoreSum = fb.reduce((a, d) => a + d.score, 0);
  const rel = new Map<string, number>();
  const get = db.prepare('SELECT title, text FROM documents WHERE id = ?');
  const tw = reader.row.title_weight;
  for (const d of fb) {
    const doc = get.get(d.docId) as { title: string | null; text: string } | undefined;
    if (!doc) continue;
    const tf = new Map<string, number>();
    let len = 0;
    if (doc.title && tw > 0) {
      for (const t of reader.analyzer.terms(doc.title)) {
        tf.set(t, (tf.get(t) ?? 0) + tw);
        len += tw;
      }
    }
    for (const t of reader.analyzer.terms(doc.text)) {
      tf.set(t, (tf.get(t) ?? 0) + 1);
      len++;
    }
    const w = scoreSum > 0 ? d.score / scoreSum : 1 / fb.length;
    for (const [t, f] of tf) rel.set(t, (rel.get(t) ?? 0) + (w * f) / Math.max(1, len));
  }
  const kept = [...rel].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, p.fbTerms);
  const relSum = kept.reduce((a, [, v]) => a + v, 0);
  const origSum = original.reduce((a, q) => a + q.weight, 0);
  const out = new Map<string, number>();
  for (const q of original) out.set(q.term, (out.get(q.term) ?? 0) + (p.originalWeight * q.weight) / Math.max(origSum, 1e-12));
  if (relSum > 0) for (const [t, v] of kept) out.set(t, (out.get(t) ?? 0) + ((1 - p.originalWeight) * v) / relSum);
  return [...out].map(([term, weight]) => ({ term, weight }));
}
