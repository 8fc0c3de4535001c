import { countRelevant, type JudgedRanking } from './judged-ranking.ts';

/**
 * bpref (Buckley & Voorhees, SIGIR 2004) as trec_eval computes it: for each relevant retrieved document,
 * 1 − min(n, R) / min(N, R), where n counts the judged non-relevant documents ranked above it and N all judged
 * non-relevant documents of the query. Unjudged documents, and documents with a negative grade, are skipped.
 */
export function bpref(r: JudgedRanking, level: number): number {
  const numRel = countRelevant(r, level);
  if (numRel === 0) return 0;
  let numNonrel = 0;
  for (const g of r.judged) if (g >= 0 && g < level) numNonrel++;
  const bound = Math.min(numNonrel, numRel);
  let above = 0;
  let sum = 0;
  for (const g of r.grades) {
    if (g < 0) continue;
    if (g < level) {
      above++;
    } else {
      sum += above === 0 ? 1 : 1 - Math.min(above, numRel) / bound;
    }
  }
  return sum / numRel;
}
