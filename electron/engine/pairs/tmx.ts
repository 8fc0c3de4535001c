import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { PontError } from '../errors.ts';
import { readLines, type LineChunk } from '../import/lines.ts';
import { chunked, type PairChunk, type PairRecordIn } from './chunks.ts';

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (m, e: string) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
    }
    return ENTITIES[e] ?? m;
  });
}

/**
 * The text of a `<seg>`: inline codes of the original format (`<bpt>`, `<ept>`, `<ph>`, `<it>`, `<ut>`, with their
 * content) are dropped, `<hi>` keeps its text, CDATA is literal, entities are decoded.
 */
export function segText(seg: string): string {
  // split() with a capturing group puts the CDATA contents at the odd indices.
  return seg
    .split(/<!\[CDATA\[([\s\S]*?)\]\]>/)
    .map((part, i) => (i % 2 === 1 ? part : markupText(part)))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
}

function markupText(s: string): string {
  const codes = s
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(bpt|ept|ph|it|ut)\b[^>]*\/>/g, '')
    .replace(/<(bpt|ept|ph|it|ut)\b[^>]*>[\s\S]*?<\/\1\s*>/g, '');
  return decodeEntities(codes.replace(/<[^>]*>/g, ''));
}

function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(tag);
  return m ? decodeEntities(m[1] ?? m[2]!) : undefined;
}

/** Whether a TMX language code is the one asked for: the same tag, or a regional form of it (`oc` takes `oc-FR`). */
function langScore(code: string, want: string): number {
  const c = code.toLowerCase().replace(/_/g, '-');
  if (c === want) return 2;
  return c.startsWith(`${want}-`) ? 1 : 0;
}

/** The segment of the `<tuv>` in language `want`, preferring an exact tag over a regional one. */
function segIn(tuvs: { lang: string; text: string }[], want: string): string | undefined {
  let best: { score: number; text: string } | undefined;
  for (const t of tuvs) {
    const score = langScore(t.lang, want);
    if (score > (best?.score ?? 0)) best = { score, text: t.text };
  }
  return best?.text;
}

/** One `<tu>` as a pair in the two languages, or why it is not one. */
export function tuRecord(tu: string, line: number, from: string, to: string): PairRecordIn {
  const open = /^<tu\b[^>]*>/.exec(tu)![0];
  const id = attr(open, 'tuid');
  const tuvs: { lang: string; text: string }[] = [];
  for (const m of tu.matchAll(/<tuv\b([^>]*)>([\s\S]*?)<\/tuv\s*>/g)) {
    const lang = attr(` ${m[1]!}`, 'xml:lang') ?? attr(` ${m[1]!}`, 'lang');
    const seg = /<seg\b[^>]*>([\s\S]*?)<\/seg\s*>/.exec(m[2]!);
    if (lang === undefined) return { line, problem: 'error', field: 'xml:lang', reason: 'a <tuv> without xml:lang' };
    if (!seg) return { line, problem: 'error', field: 'seg', reason: `the <tuv xml:lang="${lang}"> has no <seg>` };
    tuvs.push({ lang, text: segText(seg[1]!) });
  }
  const low = segIn(tuvs, from);
  const high = segIn(tuvs, to);
  const langs = tuvs.map((t) => t.lang).join(', ') || 'none';
  // A multilingual memory often lacks a language in some units: that loses nothing of the file, so it is a warning.
  if (low === undefined) return { line, problem: 'warning', field: 'tuv', reason: `no <tuv> in ${from} (languages: ${langs})` };
  if (high === undefined) return { line, problem: 'warning', field: 'tuv', reason: `no <tuv> in ${to} (languages: ${langs})` };
  if (!low) return { line, problem: 'error', field: 'seg', reason: `the ${from} segment is empty` };
  if (!high) return { line, problem: 'error', field: 'seg', reason: `the ${to} segment is empty` };
  return { line, ...(id ? { id } : {}), low, high };
}

/** A "line" longer than this inside one `<tu>` means the file is not TMX (or a unit never ends). */
const MAX_UNIT = 64 << 20;

/** The byte order of a file that opens with a UTF-16 byte order mark, if it does. */
async function utf16Order(file: string): Promise<'utf-16le' | 'utf-16be' | undefined> {
  const fh = await open(file, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await fh.read(head, 0, 2, 0);
    if (bytesRead < 2) return undefined;
    return head[0] === 0xff && head[1] === 0xfe ? 'utf-16le' : head[0] === 0xfe && head[1] === 0xff ? 'utf-16be' : undefined;
  } finally {
    await fh.close();
  }
}

/**
 * The lines of a UTF-16 text, as `readLines` gives those of UTF-8: translation tools (Trados among them) write TMX
 * in UTF-16, as the standard allows.
 */
async function* utf16Lines(file: string, encoding: 'utf-16le' | 'utf-16be'): AsyncGenerator<LineChunk> {
  const decoder = new TextDecoder(encoding);
  const input = createReadStream(file, { highWaterMark: 1 << 20 });
  let rest = '';
  let line = 0;
  const chunk = (text: string, end: boolean): LineChunk => {
    const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
    if (!end) rest = lines.pop()!;
    const firstLine = line + 1;
    line += lines.length;
    return { lines, firstLine, end: { line, offset: 0 }, fileBytes: input.bytesRead };
  };
  try {
    for await (const raw of input as AsyncIterable<Buffer>) yield chunk(rest + decoder.decode(raw, { stream: true }), false);
    const last = rest + decoder.decode();
    if (last) yield chunk(last, true);
  } finally {
    input.destroy();
  }
}

/**
 * Reads a TMX file (UTF-8, optionally gzip, or UTF-16 with a byte order mark) as a stream: only the current `<tu>` and the lines around it are held. Each
 * unit becomes a pair of its segments in `from` and `to`; its `tuid` is the pair's id.
 */
export function readTmx(file: string, from: string, to: string, skip: number): AsyncIterable<PairChunk> {
  let bytes = 0;
  async function* units(): AsyncGenerator<{ record: PairRecordIn; line: number }> {
    let buf = '';
    let bufLine = 1;
    let sawTmx = false;
    const utf16 = await utf16Order(file);
    for await (const chunk of utf16 ? utf16Lines(file, utf16) : readLines(file)) {
      bytes = chunk.fileBytes;
      if (chunk.badEncoding) {
        const line = chunk.firstLine + chunk.badEncoding[0]!;
        throw new PontError('bad_data', 'pairs.tmx_not_utf8', { file, line }, [{ file, line, reason: 'not valid UTF-8' }]);
      }
      if (buf === '') {
        buf = chunk.lines.join('\n');
        bufLine = chunk.firstLine;
      } else buf += `\n${chunk.lines.join('\n')}`;
      if (!sawTmx && /<tmx\b/.test(buf)) sawTmx = true;
      let at = 0;
      for (;;) {
        const start = buf.indexOf('<tu', at);
        const next = start < 0 ? -1 : buf.charCodeAt(start + 3);
        // `<tuv` inside an unfinished unit is not a unit start; only `<tu ` or `<tu>` is.
        if (start >= 0 && next !== 32 && next !== 62 && next !== 9 && next !== 10 && next !== 13 && !Number.isNaN(next)) {
          at = start + 3;
          continue;
        }
        const end = start < 0 ? -1 : buf.indexOf('</tu>', start);
        if (end < 0) {
          // Keep only the unfinished unit (or, between units, nothing but a possible partial tag).
          const keep = start >= 0 ? start : Math.max(at, buf.lastIndexOf('<'));
          bufLine += count(buf, '\n', 0, keep);
          buf = buf.slice(keep);
          if (buf.length > MAX_UNIT) throw new PontError('bad_data', 'pairs.tmx_unterminated', { file, line: bufLine }, [{ file, line: bufLine, reason: 'unterminated <tu>' }]);
          break;
        }
        const line = bufLine + count(buf, '\n', 0, start);
        yield { line, record: tuRecord(buf.slice(start, end), line, from, to) };
        at = end + 5;
        // Advance the buffer's start so that line numbers are counted once.
        bufLine += count(buf, '\n', 0, at);
        buf = buf.slice(at);
        at = 0;
      }
    }
    if (!sawTmx) throw new PontError('bad_data', 'pairs.not_tmx', { file }, [{ file, field: 'format', reason: 'expected a TMX document' }]);
  }
  return chunked(units(), skip, () => bytes);
}

function count(s: string, ch: string, from: number, to: number): number {
  let n = 0;
  for (let i = s.indexOf(ch, from); i >= 0 && i < to; i = s.indexOf(ch, i + 1)) n++;
  return n;
}
