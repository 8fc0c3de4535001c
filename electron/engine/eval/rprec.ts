import { countRelevant, relevantInTop, type JudgedRanking } from './judged-ranking.ts';

/** R-precision: precision at rank R, R being the query's number of relevant documents; 0 when R is 0. */
export function rPrecision(r: JudgedRanking, level: number): number {
  const numRel = countRelevant(r, level);
  return numRel === 0 ? 0 : relevantInTop(r, level, numRel) / numRel;
}
