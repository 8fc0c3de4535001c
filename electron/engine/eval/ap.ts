import { countRelevant, UNJUDGED, type JudgedRanking } from './judged-ranking.ts';

/**
 * Average precision as trec_eval's `map` (and `map_cut_k` with a cutoff): precision at the rank of each relevant
 * retrieved document, summed, divided by the number of relevant documents of the query (still R, not min(R, k),
 * with a cutoff). Relevant documents never retrieved add 0.
 */
export function averagePrecision(r: JudgedRanking, level: number, cutoff = Infinity): number {
  const numRel = countRelevant(r, level);
  if (numRel === 0) return 0;
  const n = Math.min(cutoff, r.grades.length);
  let found = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    if (r.grades[i]! >= level) {
      found++;
      sum += found / (i + 1);
    }
  }
  return sum / numRel;
}

// trec_eval's smoothing constant, which also nudges infAP away from AP where there is nothing to infer.
const INFAP_EPSILON = 0.00001;

/**
 * Inferred AP (Yilmaz & Aslam, CIKM 2006) as trec_eval computes it. A document the qrels do not mention is outside
 * the pool and skipped; a negative grade means in the pool but not judged (sampled out), which counts in the pool
 * term only.
 */
export function inferredAP(r: JudgedRanking, level: number): number {
  const numRel = countRelevant(r, level);
  if (numRel === 0) return 0;
  let rel = 0;
  let nonrel = 0;
  let poolUnjudged = 0;
  let sum = 0;
  const n = r.grades.length;
  for (let j = 0; j < n; j++) {
    const g = r.grades[j]!;
    if (g < 0) {
      if (g !== UNJUDGED) poolUnjudged++;
      continue;
    }
    if (g < level) {
      nonrel++;
      continue;
    }
    rel++;
    if (j === 0) {
      sum += 1;
    } else {
      sum +=
        1 / (j + 1) +
        (j / (j + 1)) * ((rel - 1 + nonrel + poolUnjudged) / j) * ((rel - 1 + INFAP_EPSILON) / (rel - 1 + nonrel + 2 * INFAP_EPSILON));
    }
  }
  return sum / numRel;
}
