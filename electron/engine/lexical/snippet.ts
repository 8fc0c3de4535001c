/** A span of a text to highlight: UTF-16 offsets, end exclusive. */
export interface Highlight {
  start: number;
  end: number;
}

export interface Snippet {
  text: string;
  /** Offsets into `text` of the whole words that answer the query (see align.ts). */
  highlights: Highlight[];
}

/**
 * The window of about `width` characters holding the most matched spans (sorted, not overlapping), cut at word
 * boundaries, with the spans to highlight inside it.
 */
export function makeSnippet(text: string, spans: readonly Highlight[], width = 240): Snippet {
  if (text.length <= width) return { text, highlights: [...spans] };
  let best = 0;
  let bestCount = -1;
  let j = 0;
  for (let i = 0; i < spans.length; i++) {
    while (j < spans.length && spans[j]!.end - spans[i]!.start <= width) j++;
    if (j - i > bestCount) {
      bestCount = j - i;
      best = i;
    }
  }
  let start = spans.length ? Math.max(0, spans[best]!.start - Math.floor(width / 6)) : 0;
  let end = Math.min(text.length, start + width);
  start = Math.max(0, end - width);
  // Do not cut words in half.
  if (start > 0) {
    const ws = text.indexOf(' ', start);
    if (ws >= 0 && ws < start + 30) start = ws + 1;
  }
  if (end < text.length) {
    const ws = text.lastIndexOf(' ', end);
    if (ws > end - 30) end = ws;
  }
  const prefix = start > 0 ? '… ' : '';
  const suffix = end < text.length ? ' …' : '';
  const highlights = spans
    .filter((s) => s.start >= start && s.end <= end)
    .map((s) => ({ start: s.start - start + prefix.length, end: s.end - start + prefix.length }));
  return { text: prefix + text.slice(start, end) + suffix, highlights };
}
