/** BM25 parameters; the defaults are Anserini's, and every run records the values it used. */
export interface Bm25Params {
  k1: number;
  b: number;
}

export const defaultBm25: Bm25Params = { k1: 0.9, b: 0.4 };

/** Lucene's BM25 idf, never negative: log(1 + (N − df + 0.5) / (df + 0.5)). */
export function idf(n: number, df: number): number {
  const d = Math.min(df, n);
  return Math.log(1 + (n - d + 0.5) / (d + 0.5));
}

/**
 * The per-segment constants of the term-frequency saturation, so that every scorer (exhaustive or pruned) computes
 * a term's contribution with exactly the same floating-point operations:
 *   weight · idf · tf·(k1+1) / (tf + k1·(1 − b + b·len/avgLen)).
 */
export class Bm25Scorer {
  readonly k1p1: number;
  readonly base: number;
  readonly perLen: number;

  constructor(p: Bm25Params, avgLen: number) {
    this.k1p1 = p.k1 + 1;
    this.base = p.k1 * (1 - p.b);
    this.perLen = (p.k1 * p.b) / avgLen;
  }

  score(wIdf: number, tf: number, len: number): number {
    return (wIdf * tf * this.k1p1) / (tf + this.base + this.perLen * len);
  }
}
