import { Bm25Scorer, defaultBm25, idf } from '../lexical/bm25.ts';
import type { PreparedData } from './data.ts';

export interface MiningSettings {
  /** BM25 candidates looked at per query. */
  depth: number;
  /** Negatives kept per pair. */
  keep: number;
  /**
   * A candidate scoring above `(1 − margin)` × the positive's own score is dropped: near-duplicates of the answer
   * are likely unlabelled positives (a catalogue says "Cancel" in many places), and training against them hurts.
   */
  margin: number;
  /**
   * Features in more than this fraction of the documents are not looked up: their idf is small, and their long
   * postings (` de`, `la `) would make mining quadratic in the size of the set.
   */
  maxDocFrequency: number;
}

export const defaultMining: MiningSettings = { depth: 30, keep: 8, margin: 0.05, maxDocFrequency: 0.05 };

/**
 * Hard negatives by BM25 with Pont's scorer (Lucene idf, k1 0.9, b 0.4) over the document side of the training set,
 * the features being the same hashed n-grams and words the encoder reads: for each pair's query text, the best
 * scoring documents that are not its positive and do not come within the margin of the positive's score.
 */
export function mineNegatives(data: PreparedData, s: MiningSettings = defaultMining, sets: readonly number[] = [data.low.length]): Int32Array[] {
  const out: Int32Array[] = [];
  // Each training set is mined on its own documents: a negative should be in the positive's language.
  let from = 0;
  for (const size of sets) {
    out.push(...mineRange(data, s, from, from + size));
    from += size;
  }
  return out;
}

function mineRange(data: PreparedData, s: MiningSettings, from: number, to: number): Int32Array[] {
  const docs = [...new Set(data.high.subarray(from, to))];
  // A CSR inverted index over features: postings of (document slot, term frequency).
  const df = new Map<number, number>();
  const lens = new Float64Array(docs.length);
  const tfs = docs.map((d, slot) => {
    const tf = new Map<number, number>();
    for (const f of data.texts[d]!) tf.set(f, (tf.get(f) ?? 0) + 1);
    lens[slot] = data.texts[d]!.length;
    for (const f of tf.keys()) df.set(f, (df.get(f) ?? 0) + 1);
    return tf;
  });
  const start = new Map<number, number>();
  let total = 0;
  for (const [f, n] of df) {
    start.set(f, total);
    total += n;
  }
  const postDoc = new Int32Array(total);
  const postTf = new Float32Array(total);
  const fill = new Map(start);
  tfs.forEach((tf, slot) => {
    for (const [f, n] of tf) {
      const at = fill.get(f)!;
      postDoc[at] = slot;
      postTf[at] = n;
      fill.set(f, at + 1);
    }
  });
  const avg = lens.reduce((a, b) => a + b, 0) / Math.max(1, docs.length);
  const scorer = new Bm25Scorer(defaultBm25, avg);
  const scores = new Float64Array(docs.length);
  const touched: number[] = [];
  const slotOf = new Map(docs.map((d, i) => [d, i]));
  const maxDf = Math.max(20, s.maxDocFrequency * docs.length);
  return Array.from(data.low.subarray(from, to), (q, k) => {
    const p = from + k;
    const qtf = new Map<number, number>();
    for (const f of data.texts[q]!) qtf.set(f, (qtf.get(f) ?? 0) + 1);
    for (const [f, w] of qtf) {
      const n = df.get(f);
      if (!n || n > maxDf) continue;
      const wIdf = w * idf(docs.length, n);
      const from = start.get(f)!;
      for (let k = from; k < from + n; k++) {
        const d = postDoc[k]!;
        if (scores[d] === 0) touched.push(d);
        scores[d]! += scorer.score(wIdf, postTf[k]!, lens[d]!);
      }
    }
    const positive = data.high[p]!;
    const own = scores[slotOf.get(positive)!]!;
    // A positive sharing no feature with its query gives no margin to keep to: its BM25 neighbours are all fair.
    const ceiling = own > 0 ? (1 - s.margin) * own : Infinity;
    const ranked = topSlots(touched, scores, s.depth);
    const out: number[] = [...data.given[p]!];
    for (const slot of ranked) {
      if (out.length >= s.keep) break;
      const d = docs[slot]!;
      if (d === positive || scores[slot]! > ceiling || out.includes(d)) continue;
      out.push(d);
    }
    for (const d of touched) scores[d] = 0;
    touched.length = 0;
    return Int32Array.from(out);
  });
}

/** The `k` best-scoring slots, best first (ties by slot), without sorting every document a common n-gram touched. */
function topSlots(slots: readonly number[], scores: Float64Array, k: number): number[] {
  const top: number[] = [];
  const better = (a: number, b: number) => scores[a]! > scores[b]! || (scores[a] === scores[b] && a < b);
  for (const d of slots) {
    if (top.length === k && !better(d, top[k - 1]!)) continue;
    let i = top.length === k ? k - 1 : top.length;
    while (i > 0 && better(d, top[i - 1]!)) {
      if (i < k) top[i] = top[i - 1]!;
      i--;
    }
    top[i] = d;
  }
  return top;
}
