import { open } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { extractFile, isSupported } from './extract/index.ts';
import { listFolder } from './folder.ts';
import { parseJsonlDocument } from './jsonl.ts';
import { resolveSource } from './source.ts';
import { parseTsvDocument } from './tsv.ts';
import type { DocumentSink } from './records.ts';

/**
 * A few kilobytes of what an import would read, through the same parsers and extractors, so that the interface can
 * guess the collection's language before the import starts (a desktop path is not readable by the interface).
 */
export async function sampleText(path: string, maxChars = 16_000): Promise<{ text: string; documents: number }> {
  const src = await resolveSource(path, undefined, ['tsv', 'jsonl', 'folder']);
  const parts: string[] = [];
  let chars = 0;
  const add = (title: string | null, text: string) => {
    const s = `${title ?? ''}\n${text}`.slice(0, 2000);
    parts.push(s);
    chars += s.length;
  };
  if (src.format === 'folder') {
    for (const f of (await listFolder(src.path)).filter((x) => isSupported(x.rel))) {
      if (chars >= maxChars || parts.length >= 20) break;
      try {
        const e = await extractFile(f.abs);
        add(e.title, e.text);
      } catch {
        // A file that cannot be read says nothing of the language; the import reports it.
      }
    }
  } else {
    const handle = await open(src.path);
    let bytes: Buffer;
    try {
      const buf = Buffer.alloc(64 * 1024);
      const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
      bytes = buf.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
    // A gzip file's first 64 KiB inflate to a prefix of its text; the cut at the end is dropped with the last line.
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes, { finishFlush: 2 });
    const lines = bytes.toString('utf8').split('\n').slice(0, -1);
    const sink: DocumentSink = { file: src.path, document: (_l, _id, title, text) => add(title, text), bad: () => {} };
    const parse = src.format === 'tsv' ? parseTsvDocument : parseJsonlDocument;
    lines.forEach((l, i) => chars < maxChars && l.trim() && parse(l, i + 1, sink));
  }
  return { text: parts.join('\n\n').slice(0, maxChars), documents: parts.length };
}
