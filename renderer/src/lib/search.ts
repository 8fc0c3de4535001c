import type { SearchResult } from '../../../electron/api/contract/lexical.ts';
import type { PontApi } from './api.ts';

/** A highlighted span: a whole-word match, or a partial one (a character n-gram shared between varieties). */
export interface Highlight {
  start: number;
  end: number;
  partial: boolean;
}

export interface ExplainPart {
  label: string;
  value: number;
  detail?: string;
}

export interface Hit {
  id: string;
  title: string;
  titleHighlights: Highlight[];
  snippet: string;
  highlights: Highlight[];
  score: number;
  rank: number;
  matched: string[];
  explanation: ExplainPart[];
}

const letter = /[\p{L}\p{N}]/u;

/** A span that starts or ends inside a word is a partial match: an n-gram index matched part of a different word. */
export function classify(text: string, spans: { start: number; end: number }[]): Highlight[] {
  return spans
    .filter((s) => s.start >= 0 && s.end > s.start && s.end <= text.length)
    .map((s) => ({
      start: s.start,
      end: s.end,
      partial: letter.test(text[s.start - 1] ?? '') || letter.test(text[s.end] ?? ''),
    }))
    .sort((a, b) => a.start - b.start);
}

/**
 * "Why this result": the query terms the document contains, each with its weight in the query and the index that
 * matched it (words or character n-grams), so a user sees whether whole words or shared fragments brought it up.
 */
function explain(result: SearchResult, matched: string[]): ExplainPart[] {
  const parts: ExplainPart[] = [];
  const seen = new Set<string>();
  for (const ix of result.indexes) {
    for (const t of result.terms[ix.name] ?? []) {
      if (!matched.includes(t.term) || seen.has(`${ix.name}\0${t.term}`)) continue;
      seen.add(`${ix.name}\0${t.term}`);
      parts.push({ label: t.term, value: t.weight, detail: ix.analyzer });
    }
  }
  return parts.sort((a, b) => b.value - a.value);
}

export function toHits(result: SearchResult): Hit[] {
  return result.hits.map((h) => ({
    id: h.id,
    title: h.title ?? '',
    titleHighlights: classify(h.title ?? '', h.titleHighlights),
    snippet: h.snippet.text,
    highlights: classify(h.snippet.text, h.snippet.highlights),
    score: h.score,
    rank: h.rank,
    matched: h.matchedTerms,
    explanation: explain(result, h.matchedTerms),
  }));
}

export interface SearchOutcome {
  hits: Hit[];
  /** How the engine searched: the indexes (and their analysers) and the fusion, for the breakdown. */
  indexes: { name: string; analyzer: string }[];
  fusion: string | null;
  milliseconds: number;
}

export async function search(api: PontApi, input: { collection: string; query: string; k?: number }): Promise<SearchOutcome> {
  const r = await api.call('search', { collection: input.collection, query: input.query, k: input.k ?? 20 });
  return { hits: toHits(r), indexes: r.indexes, fusion: r.fusion, milliseconds: r.milliseconds };
}

/** Splits text into plain and highlighted pieces for rendering without {@html}. */
export function segments(text: string, hl: Highlight[]): { text: string; mark?: 'full' | 'partial' }[] {
  const out: { text: string; mark?: 'full' | 'partial' }[] = [];
  let at = 0;
  for (const h of hl) {
    if (h.start < at) continue;
    if (h.start > at) out.push({ text: text.slice(at, h.start) });
    out.push({ text: text.slice(h.start, h.end), mark: h.partial ? 'partial' : 'full' });
    at = h.end;
  }
  if (at < text.length) out.push({ text: text.slice(at) });
  return out;
}
