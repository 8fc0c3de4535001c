/**
 * What every measure reads for one query: the grade of each ranked document (in trec_eval's order, already cut to
 * the evaluation depth) and the grades of all judged documents of the query, retrieved or not.
 */
export interface JudgedRanking {
  /**
   * Grade of the document at each rank; `UNJUDGED` when the qrels do not mention it. Only as deep as the measures
   * being computed read (all of it for measures without a cutoff).
   */
  readonly grades: Int32Array;
  /** How many documents the ranking holds (after the evaluation depth), which may exceed `grades.length`. */
  readonly retrieved: number;
  /** Grades of every judged document of the query, highest first. */
  readonly judged: Int32Array;
}

/** The grade given to retrieved documents that the qrels do not mention. */
export const UNJUDGED = -2147483648;

/** Documents of the query judged at or above `level`: the R of recall, AP and R-precision. */
export function countRelevant(r: JudgedRanking, level: number): number {
  let n = 0;
  for (const g of r.judged) if (g >= level) n++;
  return n;
}

/** Relevant documents among the first `k` ranked. */
export function relevantInTop(r: JudgedRanking, level: number, k: number): number {
  const n = Math.min(k, r.grades.length);
  let c = 0;
  for (let i = 0; i < n; i++) if (r.grades[i]! >= level) c++;
  return c;
}
