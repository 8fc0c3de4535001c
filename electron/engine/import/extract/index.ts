import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { extractHtml } from './html.ts';
import { extractMarkdown } from './markdown.ts';
import { titleFromFirstLine } from './title.ts';
import type { Extracted } from './types.ts';

export type { Extracted } from './types.ts';

const decoder = new TextDecoder('utf-8', { fatal: true });

function text(bytes: Buffer): string {
  if (bytes.indexOf(0) >= 0) throw new Error('holds NUL bytes: a binary file, or text in UTF-16 rather than UTF-8');
  let s: string;
  try {
    s = decoder.decode(bytes);
  } catch {
    throw new Error('not valid UTF-8 text (is the file in another encoding, such as Latin-1 or Windows-1252?)');
  }
  return s.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

const extractors: Record<string, (bytes: Buffer) => Extracted | Promise<Extracted>> = {
  '.txt': (b) => titleFromFirstLine(text(b)),
  '.md': (b) => extractMarkdown(text(b)),
  '.markdown': (b) => extractMarkdown(text(b)),
  '.html': (b) => extractHtml(text(b)),
  '.htm': (b) => extractHtml(text(b)),
  // pdf.js and mammoth are large: they load only when a folder has such files. pdf.js may take over the buffer it is
  // given, so it gets a copy.
  '.pdf': async (b) => (await import('./pdf.ts')).extractPdf(new Uint8Array(b)),
  '.docx': async (b) => (await import('./docx.ts')).extractDocx(b),
};

export function isSupported(file: string): boolean {
  return Object.hasOwn(extractors, extname(file).toLowerCase());
}

/** Reads one document file with the extractor its extension calls for. */
export async function extractFile(file: string): Promise<Extracted> {
  const extractor = extractors[extname(file).toLowerCase()];
  if (!extractor) throw new Error(`unsupported file type ${extname(file) || '(no extension)'}`);
  return extractor(await readFile(file));
}
