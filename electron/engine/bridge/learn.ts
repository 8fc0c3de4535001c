import type { Analyzer } from '../analysis/analyzer.ts';
import type { TrainingPair } from '../pairs/store.ts';
import { Prng } from '../stats/prng.ts';
import type { Corpus, TranslationTable } from './ibm1.ts';
import { LengthEstimator, letters, type LengthModel } from './length.ts';
import { MarkEstimator, type MarkModel } from './marks.ts';
import type { Translation } from './model.ts';

export interface LearnParams {
  /** EM iterations of IBM Model 1 in each direction. */
  iterations: number;
  /** Translations kept per word, and the smallest symmetrised probability kept (before renormalising). */
  top: number;
  minProbability: number;
  /** Words of a string beyond this are ignored (EM's cost grows with the product of both lengths). */
  maxWords: number;
  /** Orders the pairs before EM; the same seed gives the same bridge to the bit. */
  seed: number;
  /** Strength of the diagonal alignment prior (fast_align's λ); 0 is IBM Model 1's uniform one. */
  diagonal: number;
}

export const defaultLearnParams: LearnParams = { iterations: 10, top: 5, minProbability: 0.01, maxWords: 40, seed: 42, diagonal: 0 };

export interface Vocabularies {
  low: string[];
  high: string[];
}

/** Both directions of the training pairs as token ids: low → high, and high → low sharing the same arrays. */
export interface Corpora extends Vocabularies {
  forward: Corpus;
  backward: Corpus;
  /** How long a string's translation is, from the pairs whose two sides differ (see length.ts). */
  lengths: LengthModel | null;
  /** How final marks carry over, from the same pairs (see marks.ts). */
  marks: MarkModel | null;
}

function vocabulary(): { id: (w: string) => number; words: string[] } {
  const ids = new Map<string, number>();
  const words: string[] = [];
  return {
    id: (w) => {
      let i = ids.get(w);
      if (i === undefined) {
        ids.set(w, (i = words.length));
        words.push(w);
      }
      return i;
    },
    words,
  };
}

/**
 * Translations kept per word: `top` for each high language the training sets translate into, so that a bridge pooled
 * from pairs into French, Spanish and Catalan keeps about `top` for each (searches keep the collection's language's).
 */
export function keptPerWord(top: number, highLanguages: number): number {
  return top * Math.max(1, highLanguages);
}

/**
 * Analyses the pairs (both sides with the bridge's analyser), drops pairs with an empty side, and orders them by a
 * seeded shuffle: EM from the uniform start does not depend on the order in exact arithmetic, but floating-point
 * sums do, so the seed fixes the result. Also estimates the length model from the pairs.
 */
export function buildCorpora(pairs: Iterable<TrainingPair>, analyzer: Analyzer, p: Pick<LearnParams, 'maxWords' | 'seed'>): Corpora {
  const rows: { l: string[]; h: string[]; w: number }[] = [];
  const lengths = new LengthEstimator();
  const marks = new MarkEstimator();
  for (const pair of pairs) {
    const l = analyzer.terms(pair.low);
    const h = analyzer.terms(pair.high);
    if (l.length === 0 || h.length === 0 || pair.weight <= 0) continue;
    rows.push({ l: l.slice(0, p.maxWords), h: h.slice(0, p.maxWords), w: pair.weight });
    // A string spelt the same in both varieties says nothing of how long translations are (most of ca-valencia's
    // pairs are such, and would make the model expect every translation to be exactly as long as its query).
    if (l.join(' ') !== h.join(' ')) {
      lengths.add(letters(pair.low), letters(pair.high), pair.weight);
      marks.add(pair.low, pair.high, pair.weight);
    }
  }
  const rng = new Prng(p.seed);
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [rows[i], rows[j]] = [rows[j]!, rows[i]!];
  }
  const lv = vocabulary();
  const hv = vocabulary();
  const src = rows.map((r) => Int32Array.from(r.l, lv.id));
  const tgt = rows.map((r) => Int32Array.from(r.h, hv.id));
  const weight = Float64Array.from(rows, (r) => r.w);
  return {
    low: lv.words,
    high: hv.words,
    forward: { src, tgt, weight, srcVocab: lv.words.length, tgtVocab: hv.words.length },
    backward: { src: tgt, tgt: src, weight, srcVocab: hv.words.length, tgtVocab: lv.words.length },
    lengths: lengths.model(),
    marks: marks.model(),
  };
}

/**
 * Symmetrises the two directions, s(h | l) = (t(h | l) + t(l | h)) / 2: the forward table alone lets frequent
 * high words (articles) soak up probability, the backward one alone favours rare words; their average keeps what
 * both agree on. Then keeps each word's `top` best translations above `minProbability`, renormalised to sum to 1.
 * NULL's entries are dropped: a query word always has some counterpart.
 */
export function symmetrise(forward: TranslationTable, backward: TranslationTable, v: Vocabularies, p: Pick<LearnParams, 'top' | 'minProbability'>): Map<string, Translation[]> {
  const byLow = new Map<number, Map<number, number>>();
  const add = (l: number, h: number, prob: number) => {
    if (l >= v.low.length || h >= v.high.length) return;
    let m = byLow.get(l);
    if (!m) byLow.set(l, (m = new Map()));
    m.set(h, (m.get(h) ?? 0) + prob / 2);
  };
  for (let s = 0; s < forward.prob.length; s++) add(forward.slotSrc[s]!, forward.slotTgt[s]!, forward.prob[s]!);
  for (let s = 0; s < backward.prob.length; s++) add(backward.slotTgt[s]!, backward.slotSrc[s]!, backward.prob[s]!);
  const table = new Map<string, Translation[]>();
  for (const l of [...byLow.keys()].sort((a, b) => (v.low[a]! < v.low[b]! ? -1 : 1))) {
    const kept = [...byLow.get(l)!]
      .filter(([, prob]) => prob >= p.minProbability)
      .sort((a, b) => b[1] - a[1] || (v.high[a[0]]! < v.high[b[0]]! ? -1 : 1))
      .slice(0, p.top);
    const z = kept.reduce((a, [, prob]) => a + prob, 0);
    if (z > 0) table.set(v.low[l]!, kept.map(([h, prob]) => ({ target: v.high[h]!, p: prob / z })));
  }
  return table;
}
