import type { SearchResult } from '../../../electron/api/contract/lexical.ts';
import type { PontApi } from './api.ts';

/** A highlighted span: a whole-word match, or a partial one (a character n-gram shared between varieties). */
export interface Highlight {
  start: number;
  end: number;
  partial: boolean;
}

/** What one index contributed: the query terms it matched in the document, of all the query's terms in it. */
export interface ExplainPart {
  analyzer: string;
  /** Character n-gram indexes match fragments of words: the partial matches between varieties. */
  partial: boolean;
  matched: { term: string; weight: number }[];
  queryTerms: number;
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
 * "Why this result": per index, the query terms the document contains and their weight in the query, so a user sees
 * whether whole words or fragments shared between varieties brought it up.
 */
function explain(result: SearchResult, matched: string[]): ExplainPart[] {
  const found = new Set(matched);
  return result.indexes
    .map((ix) => {
      const terms = result.terms[ix.name] ?? [];
      const seen = new Set<string>();
      const hits = terms.filter((t) => found.has(t.term) && !seen.has(t.term) && seen.add(t.term));
      return {
        analyzer: ix.analyzer,
        partial: ix.analyzer.startsWith('chargram'),
        matched: hits.sort((a, b) => b.weight - a.weight).map((t) => ({ term: t.term, weight: t.weight })),
        queryTerms: new Set(terms.map((t) => t.term)).size,
      };
    })
    .filter((p) => p.matched.length > 0);
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
  const r = await api.call('search', { collection: input.collection, query: input.query, k: input.k ?? 10 });
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
