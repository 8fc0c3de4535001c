import { parse } from 'node-html-parser';
import type { Extracted } from './types.ts';

/** The visible text of an HTML page, block by block, without scripts and styles; its <title> (or first <h1>). */
export function extractHtml(html: string): Extracted {
  const root = parse(html, { comment: false, blockTextElements: { script: false, style: false, noscript: false, pre: true } });
  for (const el of root.querySelectorAll('script, style, noscript, template, head > *:not(title)')) el.remove();
  const title = (root.querySelector('title')?.textContent ?? root.querySelector('h1')?.textContent ?? '').replace(/\s+/g, ' ').trim();
  root.querySelector('title')?.remove();
  const body = root.querySelector('body') ?? root;
  // structuredText puts one line per block element; paragraphs become separate blocks for passage splitting.
  const text = body.structuredText
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join('\n\n');
  return { title: title || null, text };
}
