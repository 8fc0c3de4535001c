/**
 * How long a string's translation is, as Gale & Church (1993) model it for sentence alignment: the high-language
 * string of a low-variety string of l letters has about `ratio`·l letters, with a variance of `variance`·l. A bridged
 * search ranks by it too (retrieve.ts): the document a query is looking for is its translation, so a one-word string
 * that matches the query's rarest word is less likely than a string of the query's length that matches all of it.
 */
export interface LengthModel {
  ratio: number;
  variance: number;
  /** How many pairs it was estimated from. */
  pairs: number;
  /** The mean length of the pairs' high-language strings; absent from models learned before it was kept. */
  meanHigh?: number;
}

/**
 * A collection whose documents are on average longer than this many times the training strings is not a collection
 * of such strings (a translation memory, a program's messages) but of passages, pages or reports: there the document
 * a query looks for is not its translation, and ranking by length would only favour short documents. On l10n-dev the
 * collections' mean is 1.5–2.4 times the training sets' (longer messages and help strings); the demo's passages are
 * over ten times its word pairs.
 */
export const LENGTH_SPAN = 4;

/** Whether a bridge's length model speaks of a collection whose documents have `meanLetters` letters on average. */
export function lengthApplies(m: LengthModel, meanLetters: number): boolean {
  return m.meanHigh !== undefined && meanLetters <= LENGTH_SPAN * m.meanHigh;
}

const LETTER = /[\p{L}\p{N}]/u;

/**
 * The length Gale & Church count: letters and digits (spaces and punctuation differ between conventions), in UTF-16
 * code units (a letter outside the Basic Multilingual Plane counts twice, on both sides alike). ASCII is decided
 * by code, the rest by the Unicode classes: a search measures the hundred documents it ranks.
 */
export function letters(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 128) {
      if ((c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122)) n++;
    } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      if (LETTER.test(text.slice(i, i + 2))) n += 2;
      i++;
    } else if (LETTER.test(text[i]!)) n++;
  }
  return n;
}

/** Accumulates pairs' lengths (the caller chooses which pairs count) and gives the model they estimate. */
export class LengthEstimator {
  private low = 0;
  private high = 0;
  private highSqOverLow = 0;
  private n = 0;

  add(low: number, high: number, weight = 1): void {
    if (low === 0 || high === 0) return;
    this.low += weight * low;
    this.high += weight * high;
    this.highSqOverLow += (weight * high * high) / low;
    this.n += weight;
  }

  /** Null without pairs. The variance is Σ(h − c·l)²/l over the pairs, expanded so that one pass suffices. */
  model(): LengthModel | null {
    if (this.n === 0) return null;
    const ratio = this.high / this.low;
    const variance = (this.highSqOverLow - 2 * ratio * this.high + ratio * ratio * this.low) / this.n;
    return { ratio, variance: Math.max(variance, 1e-3), pairs: this.n, meanHigh: this.high / this.n };
  }
}

/** The standard normal distribution function, by the erf approximation of Abramowitz & Stegun (7.1.26). */
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** log P(|δ| ≥ observed), δ = (high − ratio·low)/√(variance·low): 0 for the expected length, more negative further off. */
export function lengthLogProb(m: LengthModel, low: number, high: number): number {
  const delta = (high - m.ratio * low) / Math.sqrt(m.variance * Math.max(1, low));
  return Math.log(Math.max(1e-12, 2 * (1 - normalCdf(Math.abs(delta)))));
}
