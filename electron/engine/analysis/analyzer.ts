import { PontError } from '../errors.ts';
import { primaryLanguage, stemmerFor, stopwordsFor } from './languages.ts';
import { normalizeTerm, type NormalizeOptions } from './normalize.ts';
import { forEachWord, tokenize } from './tokenize.ts';

/** One indexed term and the span of the original text it came from (for highlighting). */
export interface TermSpan {
  term: string;
  start: number;
  end: number;
}

/**
 * Turns text into index terms. The same analyser, identified by its canonical spec and version, is recorded with
 * an index and applied to its queries; an index whose analyser version differs from the running code must be
 * rebuilt.
 */
export interface Analyzer {
  /** Canonical spec, e.g. `words:fr`, `words`, `chargram:3-5+fold`; parses back to the same analyser. */
  readonly spec: string;
  /** Bumped whenever the terms produced for some text change. */
  readonly version: number;
  /** Terms in text order (duplicates kept): what indexing and queries use. */
  terms(text: string): string[];
  /** Terms with their spans in the original text, for highlighting. */
  spans(text: string): TermSpan[];
  /**
   * The terms of one word as the tokeniser cuts it out, in order: `terms(text)` is the concatenation of this over
   * the words of `text`, less the clitics when `dropsClitics`. Indexing caches it per distinct word.
   */
  wordTerms(word: string): string[];
  /** Whether words cut off by an apostrophe (`l'`, `'s`) give no terms. */
  readonly dropsClitics: boolean;
}

export interface WordOptions extends NormalizeOptions {
  lang?: string;
  stem: boolean;
  stopwords: boolean;
}

export const WORDS_VERSION = 1;
export const CHARGRAM_VERSION = 1;

class WordAnalyzer implements Analyzer {
  readonly spec: string;
  readonly version = WORDS_VERSION;
  private readonly norm: NormalizeOptions;
  private readonly stem: ((w: string) => string) | undefined;
  private readonly stop: Set<string>;
  readonly dropsClitics: boolean;
  private readonly memo = new Map<string, string | null>();

  constructor(spec: string, o: WordOptions) {
    this.spec = spec;
    this.norm = { foldDiacritics: o.foldDiacritics };
    this.stem = o.lang && o.stem ? stemmerFor(o.lang) : undefined;
    this.stop = o.lang && o.stopwords ? stopwordsFor(o.lang, (s) => normalizeTerm(s, this.norm)) : new Set();
    this.dropsClitics = this.stop.size > 0;
  }

  /** The index term for a token, or null for a stopword; memoised because vocabularies are Zipfian. */
  term(raw: string): string | null {
    let t = this.memo.get(raw);
    if (t !== undefined) return t;
    t = this.analyse(raw);
    if (this.memo.size > 200_000) this.memo.clear();
    this.memo.set(raw, t);
    return t;
  }

  private analyse(raw: string): string | null {
    const n = normalizeTerm(raw, this.norm);
    return this.stop.has(n) ? null : this.stem ? this.stem(n) : n;
  }

  terms(text: string): string[] {
    const out: string[] = [];
    forEachWord(text, (w, _s, _e, clitic) => {
      if (clitic && this.dropsClitics) return;
      const t = this.term(w);
      if (t) out.push(t);
    });
    return out;
  }

  // Not memoised: indexing calls it once per distinct word (see `Analyzer.wordTerms`), so a memo would only hold
  // the vocabulary a second time.
  wordTerms(word: string): string[] {
    const t = this.analyse(word);
    return t ? [t] : [];
  }

  spans(text: string): TermSpan[] {
    const out: TermSpan[] = [];
    for (const tok of tokenize(text)) {
      if (tok.clitic && this.dropsClitics) continue;
      const t = this.term(tok.text);
      if (t) out.push({ term: t, start: tok.start, end: tok.end });
    }
    return out;
  }
}

/**
 * Character n-grams of each word, padded with a space on both sides so that word beginnings and endings are
 * grams of their own (` len`, `ga `). Grams never cross words: Occitan `lenga` and French `langue` share `ng`-grams
 * inside words, and a query's word order does not matter. The middle dot is dropped, so Catalan `col·lecció`
 * shares grams with French `collection`.
 */
class CharGramAnalyzer implements Analyzer {
  readonly spec: string;
  readonly version = CHARGRAM_VERSION;
  readonly dropsClitics = false;
  private readonly min: number;
  private readonly max: number;
  private readonly norm: NormalizeOptions;

  constructor(spec: string, min: number, max: number, norm: NormalizeOptions) {
    this.spec = spec;
    this.min = min;
    this.max = max;
    this.norm = norm;
  }

  private grams(raw: string, emit: (gram: string, from: number, to: number) => void): void {
    const cps = [...` ${normalizeTerm(raw, this.norm).replaceAll('·', '')} `];
    // Map code-point positions of the padded, normalised word back to the raw token: exact when normalisation
    // kept the length, proportional otherwise (good enough to place a highlight).
    const inner = cps.length - 2;
    const rawLen = raw.length;
    const pos = (i: number) => Math.round((Math.min(Math.max(i - 1, 0), inner) * rawLen) / Math.max(inner, 1));
    for (let n = this.min; n <= this.max; n++) {
      if (n > cps.length) break;
      for (let i = 0; i + n <= cps.length; i++) emit(cps.slice(i, i + n).join(''), pos(i), pos(i + n));
    }
  }

  /**
   * The n-grams `grams` emits, without their places: when the word has no character outside the BMP (code points
   * are code units), sliced straight from the padded word, with no array of code points nor a join per n-gram (the
   * n-grams of every distinct word of a collection are made here).
   */
  private addGrams(raw: string, out: string[]): void {
    const s = ` ${normalizeTerm(raw, this.norm).replaceAll('·', '')} `;
    if (surrogates.test(s)) {
      this.grams(raw, (g) => out.push(g));
      return;
    }
    for (let n = this.min; n <= this.max && n <= s.length; n++) for (let i = 0; i + n <= s.length; i++) out.push(s.slice(i, i + n));
  }

  terms(text: string): string[] {
    const out: string[] = [];
    forEachWord(text, (w) => this.addGrams(w, out));
    return out;
  }

  wordTerms(word: string): string[] {
    const out: string[] = [];
    this.addGrams(word, out);
    return out;
  }

  spans(text: string): TermSpan[] {
    const out: TermSpan[] = [];
    for (const tok of tokenize(text)) {
      this.grams(tok.text, (g, from, to) => out.push({ term: g, start: tok.start + from, end: tok.start + Math.max(to, from + 1) }));
    }
    return out;
  }
}

const surrogates = /[\uD800-\uDFFF]/;

const cache = new Map<string, Analyzer>();

function bad(spec: string, reason: string): PontError {
  return new PontError('invalid_input', 'analyzer.invalid', { spec, reason }, [{ field: 'analyzer', reason }]);
}

/**
 * Parses an analyser spec:
 * - `words` — words, lower-cased, no stopwords, no stemming;
 * - `words:LANG` — plus the language's stopwords and Snowball stemmer (LANG a BCP-47 tag: fr, ca-valencia…);
 * - `chargram:MIN-MAX` — character n-grams within words, e.g. `chargram:3-5`;
 * each optionally followed by flags: `+fold` (strip diacritics), `+nostem`, `+nostop` (words:LANG only).
 */
export function parseAnalyzer(spec: string): Analyzer {
  const hit = cache.get(spec);
  if (hit) return hit;
  const [head = '', ...flagList] = spec.trim().toLowerCase().split('+');
  const flags = new Set(flagList);
  for (const f of flags) if (!['fold', 'nostem', 'nostop'].includes(f)) throw bad(spec, `unknown flag +${f} (known: +fold, +nostem, +nostop)`);
  const [kind, arg] = head.split(':', 2) as [string, string | undefined];
  const fold = flags.has('fold');
  let analyzer: Analyzer;
  if (kind === 'words') {
    if (arg !== undefined && !/^[a-z]{2,3}(-[a-z0-9]{2,8})*$/.test(arg)) throw bad(spec, `"${arg}" is not a language tag`);
    if (arg === undefined && (flags.has('nostem') || flags.has('nostop'))) throw bad(spec, '+nostem and +nostop need a language: words:LANG');
    const lang = arg ? primaryLanguage(arg) : undefined;
    const canonical = ['words' + (lang ? `:${lang}` : ''), ...['fold', 'nostem', 'nostop'].filter((f) => flags.has(f))].join('+');
    analyzer = new WordAnalyzer(canonical, {
      ...(lang ? { lang } : {}),
      stem: !flags.has('nostem'),
      stopwords: !flags.has('nostop'),
      foldDiacritics: fold,
    });
  } else if (kind === 'chargram') {
    if (flags.has('nostem') || flags.has('nostop')) throw bad(spec, 'chargram takes only +fold');
    const m = /^(\d+)-(\d+)$/.exec(arg ?? '') ?? /^(\d+)$/.exec(arg ?? '');
    if (!m) throw bad(spec, 'expected chargram:MIN-MAX, e.g. chargram:3-5');
    const min = Number(m[1]);
    const max = Number(m[2] ?? m[1]);
    if (min < 1 || max > 10 || min > max) throw bad(spec, 'n-gram sizes must satisfy 1 ≤ MIN ≤ MAX ≤ 10');
    analyzer = new CharGramAnalyzer(`chargram:${min}-${max}${fold ? '+fold' : ''}`, min, max, { foldDiacritics: fold });
  } else {
    throw bad(spec, `unknown analyser kind "${kind}" (known: words, words:LANG, chargram:MIN-MAX)`);
  }
  cache.set(spec, analyzer);
  return analyzer;
}

/** A default index name for an analyser spec: `words:fr` → `words-fr`, `chargram:3-5` → `chargram-3-5`. */
export function defaultIndexName(spec: string): string {
  return parseAnalyzer(spec).spec.replace(/[:+]/g, '-');
}
