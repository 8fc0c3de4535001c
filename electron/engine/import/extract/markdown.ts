import type { Extracted } from './types.ts';

/** Markdown read as the text a reader sees: markup removed, the first heading as title (and out of the body). */
export function extractMarkdown(md: string): Extracted {
  const body = md.replace(/^---\n[\s\S]*?\n---\n/, ''); // front matter
  const heading = /^#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$/m.exec(body);
  // The heading that is the title leaves the body, so that snippets do not repeat it.
  const text = (heading ? body.slice(0, heading.index) + body.slice(heading.index + heading[0].length) : body)
    .replace(/```[^\n]*\n([\s\S]*?)```/g, '$1')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^[ \t]{0,3}#{1,6}[ \t]+(.*?)[ \t]*#*[ \t]*$/gm, '$1')
    .replace(/^[ \t]{0,3}(?:[-*+]|\d+[.)])[ \t]+/gm, '')
    .replace(/^[ \t]{0,3}>[ \t]?/gm, '')
    // `_` is left alone: inside words (file_name) it is not emphasis, and a search tokeniser drops it anyway.
    .replace(/(\*\*|\*|`)(\S(?:[\s\S]*?\S)?)\1/g, '$2')
    .replace(/<[^>]+>/g, '');
  return { title: heading?.[1]?.trim() || null, text };
}
