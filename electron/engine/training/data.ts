import type { HashedTokenizer } from '../models/hashed-tokenizer.ts';
import type { TrainingPair } from '../pairs/store.ts';
import type { TrainingData } from './step.ts';

export type { TrainingPair };

/** The trainer's data and the strings behind its text indexes (mining and evaluation read them). */
export interface PreparedData extends TrainingData {
  strings: string[];
  /** Text indexes of the pair sets' own negatives, per pair, before mining adds to them. */
  given: number[][];
}

/**
 * Tokenises every distinct text once (catalogues repeat strings) into feature ids, cut at `maxFeatures` exactly as
 * the exported model's runner cuts them, and lays pairs out as indexes into the texts.
 */
export function prepareData(pairs: Iterable<TrainingPair>, tokenizer: HashedTokenizer, maxFeatures: number): PreparedData {
  const index = new Map<string, number>();
  const strings: string[] = [];
  const texts: Int32Array[] = [];
  const intern = (s: string) => {
    let i = index.get(s);
    if (i === undefined) {
      i = strings.length;
      index.set(s, i);
      strings.push(s);
      texts.push(tokenizer.ids(s, maxFeatures));
    }
    return i;
  };
  const low: number[] = [];
  const high: number[] = [];
  const given: number[][] = [];
  for (const p of pairs) {
    low.push(intern(p.low));
    high.push(intern(p.high));
    given.push(p.negatives.map(intern).filter((n) => n !== high[high.length - 1]));
  }
  return { texts, strings, low: Int32Array.from(low), high: Int32Array.from(high), given, negatives: given.map((g) => Int32Array.from(g)) };
}
