import type { SearchChoice, SearchResult } from '../../../electron/api/contract/lexical.ts';
import type { WordMatch } from '../../../electron/api/contract/community.ts';
import type { PontApi } from './api.ts';

export type { SearchChoice, WordMatch };

/** A highlighted span: a whole word of the document that answers a word of the query. */
export interface Highlight {
  start: number;
  end: number;
}

export interface Hit {
  id: string;
  title: string;
  titleHighlights: Highlight[];
  snippet: string;
  highlights: Highlight[];
  rank: number;
  /** Which of the user's words the document answers with which of its own (bridged ones name the translation). */
  matches: WordMatch[];
}

export interface SearchPage {
  hits: Hit[];
  /** How many documents match in all; `exact` false when the engine estimated it. */
  total: { value: number; exact: boolean };
  /** How Pont searched for the user's variety (the bridge, a neighbour's, or similar spellings). */
  choice: SearchChoice | null;
}

export const PAGE_SIZE = 10;

function toHits(result: SearchResult): Hit[] {
  return result.hits.map((h) => ({
    id: h.id,
    title: h.title ?? '',
    titleHighlights: h.titleHighlights,
    snippet: h.snippet.text,
    highlights: h.snippet.highlights,
    rank: h.rank,
    matches: h.matches,
  }));
}

/** One page of results for the user's variety: Pont chooses how to search (see engine/community/choose.ts). */
export async function searchPage(api: PontApi, input: { collection: string; query: string; variety: string; offset?: number; k?: number }): Promise<SearchPage> {
  const r = await api.call('search', { collection: input.collection, query: input.query, variety: input.variety, k: input.k ?? PAGE_SIZE, offset: input.offset ?? 0 });
  return { hits: toHits(r), total: r.total, choice: r.choice ?? null };
}

/** Splits text into plain and highlighted pieces for rendering without {@html}. */
export function segments(text: string, hl: readonly Highlight[]): { text: string; mark?: true }[] {
  const out: { text: string; mark?: true }[] = [];
  let at = 0;
  for (const h of [...hl].sort((a, b) => a.start - b.start)) {
    if (h.start < at || h.end > text.length) continue;
    if (h.start > at) out.push({ text: text.slice(at, h.start) });
    out.push({ text: text.slice(h.start, h.end), mark: true });
    at = h.end;
  }
  if (at < text.length) out.push({ text: text.slice(at) });
  return out;
}

const fold = (w: string) => w.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();

/**
 * The whole words of a text that equal one of `words` (case and accents aside): the document view marks the words
 * the engine matched, never a fragment inside another word (`le` inside `les`).
 */
export function markWords(text: string, words: readonly string[]): Highlight[] {
  const wanted = new Set(words.map(fold));
  const out: Highlight[] = [];
  for (const m of text.matchAll(/[\p{L}\p{N}\p{M}]+(?:[·.][\p{L}]+)*/gu)) {
    if (wanted.has(fold(m[0]))) out.push({ start: m.index, end: m.index + m[0].length });
  }
  return out;
}
