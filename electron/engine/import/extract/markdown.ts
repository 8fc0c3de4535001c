import type { Extracted } from './types.ts';

/** Markdown read as the text a reader sees: markup removed, the first heading as title. */
export function extractMarkdown(md: string): Extracted {
  const body = md.replace(/^---\n[\s\S]*?\n---\n/, ''); // front matter
  const heading = /^#{1,6}\s+(.+?)\s*#*\s*$/m.exec(body);
  const text = body
    .replace(/```[^\n]*\n([\s\S]*?)```/g, '$1')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/gm, '$1')
    .replace(/^\s{0,3}(?:[-*+]|\d+[.)])\s+/gm, '')
    .replace(/^\s{0,3}>\s?/gm, '')
    .replace(/(\*\*|__|\*|_|`)(\S(?:[\s\S]*?\S)?)\1/g, '$2')
    .replace(/<[^>]+>/g, '');
  return { title: heading?.[1]?.trim() || null, text };
}
