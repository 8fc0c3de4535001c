import { stopwordsFor } from '../analysis/languages.ts';
import { normalizeTerm } from '../analysis/normalize.ts';
import { forEachWordSpan } from '../analysis/tokenize.ts';
import { neighboursOf } from '../analysis/varieties.ts';
import type { Highlight } from './snippet.ts';

/**
 * Which words of a document answer which words of the query, for highlights and "why this result". Character
 * n-gram indexes match fragments (`ita` of *Italie*, `ana` of *Plana*), which mean nothing to a reader; the
 * aligner marks whole words only: a document word equal to a query word (accents and case aside), a cognate of one
 * (the same consonants in order, as Occitan *lenga* and French *langue*, or most of their letter trigrams, as
 * *occitana* and *occitane*), or a word a bridge translated the query word into. Stopwords of the languages
 * involved are never marked, so *le* is not a match for *les*.
 */
export interface WordMatch {
  /** The query word as the user typed it. */
  query: string;
  /** The document word as written (its first occurrence). */
  document: string;
  /** The bridge's translation of the query word that the document word matched, when a bridge brought it. */
  via?: string;
}

/** A bridged translation of a query word, as the bridge stage reports it. */
export interface BridgedTerm {
  query: string;
  target: string;
  weight: number;
}

export interface Aligned {
  spans: Highlight[];
  matches: WordMatch[];
}

const fold = (w: string) => normalizeTerm(w, { foldDiacritics: true });

const stopCache = new Map<string, Set<string>>();

/** The stopwords of the languages a search involves, and of their neighbours (Occitan has no list; Catalan does). */
export function stopwordsOf(langs: readonly string[]): Set<string> {
  const all = [...new Set(langs.flatMap((l) => [l, ...neighboursOf(l)]))].sort();
  const key = all.join(',');
  let out = stopCache.get(key);
  if (!out) {
    out = new Set(all.flatMap((l) => [...stopwordsFor(l, fold)]));
    stopCache.set(key, out);
  }
  return out;
}

/** Consonants in order, doubled ones once: *trobadors* and *troubadours* both give `trbdrs`. */
function skeleton(w: string): string {
  return w.replace(/[aeiouy]/g, '').replace(/(.)\1+/g, '$1');
}

function trigrams(w: string): Set<string> {
  const p = ` ${w} `;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= p.length; i++) out.add(p.slice(i, i + 3));
  return out;
}

function dice(a: string, b: string): number {
  const ta = trigrams(a);
  const tb = trigrams(b);
  let shared = 0;
  for (const g of ta) if (tb.has(g)) shared++;
  return (2 * shared) / (ta.size + tb.size);
}

function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * Whether two folded words are the same word or cognates. Short words must be equal: at three letters or fewer,
 * any similarity measure finds look-alikes everywhere. Cognates keep their first letter (*pisci* / *pesce*, *lenga* /
 * *langue*); words that only share an ending (*jetta* / *uvetta*) are not cognates.
 */
export function similarWords(a: string, b: string): boolean {
  if (a === b) return true;
  if (a.length < 4 || b.length < 4 || a[0] !== b[0]) return false;
  const lev = 1 - levenshtein(a, b) / Math.max(a.length, b.length);
  const sa = skeleton(a);
  if (sa.length >= 3 && sa === skeleton(b) && lev >= 0.5) return true;
  // A long word holds many trigrams of a short one (*langue* in *languedocien*) without being its cognate.
  const ratio = Math.max(a.length, b.length) / Math.min(a.length, b.length);
  return (ratio <= 1.5 && dice(a, b) >= 0.5) || lev >= 0.75;
}

/** Bridged translations less likely than this are the bridge's noise (`lenga` → `occitane` 0.03), not a meaning. */
export const MIN_BRIDGED_WEIGHT = 0.2;

interface QueryWord {
  text: string;
  folded: string;
  /** The bridge's likely translations of the word, folded. */
  bridged: { folded: string; via: string }[];
}

/** Aligns the words of documents with one query; build it once per search and call `align` per text. */
export class WordAligner {
  private readonly words: QueryWord[];
  private readonly stop: Set<string>;
  /** Per folded document word: the query word it answers, or null; documents of one search share most words. */
  private readonly seen = new Map<string, { word: QueryWord; via?: string } | null>();

  constructor(query: string, langs: readonly string[], bridged: readonly BridgedTerm[] = []) {
    this.stop = stopwordsOf(langs);
    const byFolded = new Map<string, QueryWord>();
    forEachWordSpan(query, (start, end, clitic) => {
      const text = query.slice(start, end);
      const folded = fold(text);
      if (clitic || this.stop.has(folded) || byFolded.has(folded)) return;
      byFolded.set(folded, { text, folded, bridged: [] });
    });
    for (const b of bridged) {
      const w = byFolded.get(fold(b.query));
      const target = fold(b.target);
      if (w && b.weight >= MIN_BRIDGED_WEIGHT && !this.stop.has(target) && target !== w.folded && !w.bridged.some((f) => f.folded === target)) {
        w.bridged.push({ folded: target, via: b.target });
      }
    }
    this.words = [...byFolded.values()];
  }

  get empty(): boolean {
    return this.words.length === 0;
  }

  private lookup(folded: string): { word: QueryWord; via?: string } | null {
    let hit = this.seen.get(folded);
    if (hit !== undefined) return hit;
    hit = null;
    if (!this.stop.has(folded)) {
      // The word itself, then a translation the bridge gave it, then a cognate of the word: the first that holds.
      // Translations match exactly: a cognate of a translation is too far from what the user typed.
      const word =
        this.words.find((w) => w.folded === folded) ??
        this.words.find((w) => w.bridged.some((b) => b.folded === folded)) ??
        this.words.find((w) => similarWords(w.folded, folded));
      const via = word?.folded === folded ? undefined : word?.bridged.find((b) => b.folded === folded)?.via;
      if (word) hit = via ? { word, via } : { word };
    }
    this.seen.set(folded, hit);
    return hit;
  }

  align(text: string): Aligned {
    const spans: Highlight[] = [];
    const matches = new Map<string, WordMatch>();
    if (this.empty) return { spans, matches: [] };
    forEachWordSpan(text, (start, end, clitic) => {
      if (clitic) return;
      const written = text.slice(start, end);
      const hit = this.lookup(fold(written));
      if (!hit) return;
      spans.push({ start, end });
      const key = `${hit.word.text}\0${fold(written)}`;
      if (!matches.has(key)) matches.set(key, { query: hit.word.text, document: written, ...(hit.via ? { via: hit.via } : {}) });
    });
    const order = new Map(this.words.map((w, i) => [w.text, i]));
    return { spans, matches: [...matches.values()].sort((a, b) => order.get(a.query)! - order.get(b.query)!) };
  }
}
