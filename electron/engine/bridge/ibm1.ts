/**
 * IBM Model 1 (Brown et al. 1993) by expectation–maximisation over tokenised sentence pairs: t(target | source),
 * with a NULL source word that absorbs target words with no counterpart. Co-occurring word pairs are numbered once
 * and every sentence pair is stored as the flat list of its pairs' slots, so an iteration is two passes over typed
 * arrays and no map lookups.
 */

/** Sentence pairs as token ids: `src[i]` and `tgt[i]` are the two sides of pair i; `weight[i]` its count. */
export interface Corpus {
  src: Int32Array[];
  tgt: Int32Array[];
  weight: Float64Array;
  srcVocab: number;
  tgtVocab: number;
}

/** The sparse table t(tgt | src): slot s is the pair (slotSrc[s], slotTgt[s]), of probability prob[s]. */
export interface TranslationTable {
  slotSrc: Int32Array;
  slotTgt: Int32Array;
  prob: Float64Array;
}

/** The NULL source word's id is the source vocabulary size. */
export const nullId = (c: Corpus): number => c.srcVocab;

interface Slots {
  slotSrc: Int32Array;
  slotTgt: Int32Array;
  /** Per sentence pair: offset into `flat`; its (|src|+1)×|tgt| slots, row j = target token j. */
  start: Int32Array;
  flat: Int32Array;
}

function numberPairs(c: Corpus): Slots {
  const key = new Map<number, number>();
  const srcOf: number[] = [];
  const tgtOf: number[] = [];
  const width = c.tgtVocab;
  let total = 0;
  for (let p = 0; p < c.src.length; p++) total += (c.src[p]!.length + 1) * c.tgt[p]!.length;
  const flat = new Int32Array(total);
  const start = new Int32Array(c.src.length + 1);
  let at = 0;
  const nul = nullId(c);
  for (let p = 0; p < c.src.length; p++) {
    start[p] = at;
    const s = c.src[p]!;
    for (const t of c.tgt[p]!) {
      for (let i = 0; i <= s.length; i++) {
        const w = i < s.length ? s[i]! : nul;
        const k = w * width + t;
        let slot = key.get(k);
        if (slot === undefined) {
          slot = srcOf.length;
          key.set(k, slot);
          srcOf.push(w);
          tgtOf.push(t);
        }
        flat[at++] = slot;
      }
    }
  }
  start[c.src.length] = at;
  return { slotSrc: Int32Array.from(srcOf), slotTgt: Int32Array.from(tgtOf), start, flat };
}

export interface EmState {
  slots: Slots;
  prob: Float64Array;
  iteration: number;
}

/** Uniform start: every co-occurring target is equally likely for a source word (Model 1's EM is then deterministic). */
export function startEm(c: Corpus): EmState {
  const slots = numberPairs(c);
  const fanout = new Float64Array(c.srcVocab + 1);
  for (const s of slots.slotSrc) fanout[s]!++;
  const prob = new Float64Array(slots.slotSrc.length);
  for (let s = 0; s < prob.length; s++) prob[s] = 1 / fanout[slots.slotSrc[s]!]!;
  return { slots, prob, iteration: 0 };
}

/**
 * The alignment prior of target position j over the m source positions and NULL (last), as fast_align's
 * (Dyer et al. 2013): NULL gets `NULL_PRIOR`, a source word exp(−λ·|i/m − j/n|) normalised, so words at the same
 * relative place in both strings are favoured. λ = 0 is Model 1's uniform prior.
 */
const NULL_PRIOR = 0.08;
function prior(out: Float64Array, m: number, j: number, n: number, lambda: number): void {
  if (lambda === 0) {
    out.fill(1 / (m + 1), 0, m + 1);
    return;
  }
  let z = 0;
  for (let i = 0; i < m; i++) z += out[i] = Math.exp(-lambda * Math.abs((i + 0.5) / m - (j + 0.5) / n));
  for (let i = 0; i < m; i++) out[i] = (out[i]! * (1 - NULL_PRIOR)) / z;
  out[m] = NULL_PRIOR;
}

/**
 * One EM iteration; returns the corpus log-likelihood before the update (it never decreases between iterations).
 * `diagonal` is the strength λ of the alignment prior (0: IBM Model 1).
 */
export function emIteration(c: Corpus, st: EmState, diagonal = 0): number {
  const { slots, prob } = st;
  const count = new Float64Array(prob.length);
  const total = new Float64Array(c.srcVocab + 1);
  const pr = new Float64Array(256);
  let ll = 0;
  for (let p = 0; p < c.src.length; p++) {
    const m = c.src[p]!.length;
    const n = c.tgt[p]!.length;
    const row = m + 1;
    const w = c.weight[p]!;
    for (let j = 0, at = slots.start[p]!; j < n; j++, at += row) {
      prior(pr, m, j, n, diagonal);
      let z = 0;
      for (let i = 0; i < row; i++) z += pr[i]! * prob[slots.flat[at + i]!]!;
      if (z <= 0) continue;
      ll += w * Math.log(z);
      for (let i = 0; i < row; i++) {
        const s = slots.flat[at + i]!;
        count[s] = count[s]! + (w * pr[i]! * prob[s]!) / z;
      }
    }
  }
  for (let s = 0; s < count.length; s++) total[slots.slotSrc[s]!] = total[slots.slotSrc[s]!]! + count[s]!;
  for (let s = 0; s < count.length; s++) {
    const t = total[slots.slotSrc[s]!]!;
    prob[s] = t > 0 ? count[s]! / t : 0;
  }
  st.iteration++;
  return ll;
}

export function tableOf(st: EmState): TranslationTable {
  return { slotSrc: st.slots.slotSrc, slotTgt: st.slots.slotTgt, prob: st.prob };
}
