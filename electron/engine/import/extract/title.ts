import type { Extracted } from './types.ts';

/**
 * Plain text has no markup to say what its title is, but a short first line, set apart and not ending like a
 * sentence, is one by convention (a heading typed at the top of a note). It then leaves the body, so that snippets do
 * not open with it again.
 */
export function titleFromFirstLine(text: string): Extracted {
  const m = /^\s*([^\n]+)\n(\s*\n)?([\s\S]*)$/.exec(text);
  if (!m) return { title: null, text };
  const line = m[1]!.trim();
  const rest = m[3]!.trim();
  const words = line.split(/\s+/).length;
  const looksLikeTitle = rest.length > 0 && line.length <= 120 && words <= 15 && !/[.,;:…]$/.test(line) && /\p{L}/u.test(line);
  return looksLikeTitle ? { title: line, text: rest } : { title: null, text };
}
