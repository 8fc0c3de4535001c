import type { TranslationTable } from './ibm1.ts';

/**
 * The noisy channel of translation, as IBM Model 1 scores a sentence pair for alignment (Brown et al. 1993; Berger
 * & Lafferty's translation language model): how likely the query (low variety) is as a translation of a document
 * (high language), P(q | d) = Π_j Σ_{i ∈ d ∪ NULL} t(q_j | d_i) / (|d| + 1), with the backward table t(low | high)
 * that EM learns beside the forward one. A bridged search reranks its first hundred by it on collections of strings
 * (retrieve.ts): the structured query rewards a document for the query words it matches, the channel also for the
 * query words it leaves unexplained, which is what separates a string's translation from its near-duplicates.
 */

/** t(low | high) per high word ('' is NULL), best first; entries below CHANNEL_MIN dropped when the bridge is stored. */
export type ChannelTable = ReadonlyMap<string, ReadonlyMap<string, number>>;

/** Probabilities kept in the stored table: about a tenth of EM's slots, and each word's mass nearly whole. */
export const CHANNEL_MIN = 0.001;

/**
 * A query word no document word explains gets this probability: it makes one unexplained word cost about −13.8 in
 * log, so the channel mostly says whether every query word has a counterpart (chosen on the validation split:
 * 1e-6 beat 1e-4 on every pair measured).
 */
export const CHANNEL_FLOOR = 1e-6;

/** The backward table of EM (source: high words, NULL last; target: low words), pruned at `min`, keyed by high word. */
export function channelTable(t: TranslationTable, high: readonly string[], low: readonly string[], min = CHANNEL_MIN): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (let s = 0; s < t.prob.length; s++) {
    const p = t.prob[s]!;
    if (p < min) continue;
    const h = high[t.slotSrc[s]!] ?? '';
    let row = out.get(h);
    if (!row) out.set(h, (row = new Map()));
    row.set(low[t.slotTgt[s]!]!, p);
  }
  return out;
}

/**
 * The mean over query words of log P(q_j | d) under Model 1 with a NULL word, never above 0. A word spelt the same
 * on both sides that the table does not know (a name, a number, a product) counts as its own translation, as
 * n-grams would match it. `knownLow` says whether the table knows a low word at all.
 */
export function channelLogProb(t: ChannelTable, knownLow: (w: string) => boolean, query: readonly string[], doc: readonly string[]): number {
  if (query.length === 0) return 0;
  const nul = t.get('');
  let sum = 0;
  for (const w of query) {
    let p = nul?.get(w) ?? 0;
    for (const h of doc) {
      const row = t.get(h);
      p += row?.get(w) ?? 0;
      if (h === w && (!row || !knownLow(w))) p += 1;
    }
    sum += Math.log(Math.min(1, p / (doc.length + 1) + CHANNEL_FLOOR));
  }
  return sum / query.length;
}
