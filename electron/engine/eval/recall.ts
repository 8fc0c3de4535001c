import { countRelevant, relevantInTop, type JudgedRanking } from './judged-ranking.ts';

/** Recall at k: relevant documents in the top k over all relevant documents of the query; 0 when there are none. */
export function recallAt(r: JudgedRanking, level: number, k: number): number {
  const numRel = countRelevant(r, level);
  return numRel === 0 ? 0 : relevantInTop(r, level, k) / numRel;
}
