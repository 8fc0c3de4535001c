import { parse } from 'node-html-parser';
import type { Extracted } from './types.ts';

const clean = (s: string | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();

/**
 * The visible text of an HTML page, block by block, without scripts and styles, and its title: the first <h1> when
 * the <title> says the same (often with the site's name after it) or there is no <title>, else the <title>. The
 * heading that states the title leaves the body, so that snippets do not repeat it.
 */
export function extractHtml(html: string): Extracted {
  const root = parse(html, { comment: false, blockTextElements: { script: false, style: false, noscript: false, pre: true } });
  for (const el of root.querySelectorAll('script, style, noscript, template, head > *:not(title)')) el.remove();
  const head = clean(root.querySelector('title')?.textContent);
  root.querySelector('title')?.remove();
  const h1 = root.querySelector('h1');
  const heading = clean(h1?.textContent);
  const headingIsTitle = heading !== '' && (head === '' || head.toLowerCase().includes(heading.toLowerCase()));
  const title = headingIsTitle ? heading : head;
  if (headingIsTitle) h1!.remove();
  const body = root.querySelector('body') ?? root;
  // structuredText puts one line per block element; paragraphs become separate blocks for passage splitting.
  const text = body.structuredText
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join('\n\n');
  return { title: title || null, text };
}
