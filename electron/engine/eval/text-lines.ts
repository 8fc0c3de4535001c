import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileErrorReason, PontError } from '../errors.ts';

/** Reads a text file, gunzipping it when it starts with gzip's magic bytes (whatever its name). */
export function readTextFile(file: string, what: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason = fileErrorReason(e);
    throw new PontError(code === 'ENOENT' ? 'not_found' : code === 'EISDIR' ? 'invalid_input' : 'bad_data', 'file.unreadable_kind', { what, file, reason }, [{ file, reason }]);
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (e) {
      throw new PontError('bad_data', 'file.bad_gzip', { file, reason: (e as Error).message }, [{ file, reason: 'corrupt gzip data' }]);
    }
  }
  return bytes.toString('utf8');
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 11 || c === 12;
}

/**
 * Calls `onLine(fields, lineNumber)` for each line that holds something, with the line split on any run of
 * whitespace (spaces, tabs, CR), as C's `strtok`/`sscanf` readers of TREC files do. Lines starting with `#` are
 * comments, as trec_eval 10 treats them.
 */
export function forEachFieldLine(text: string, onLine: (fields: string[], line: number) => void): void {
  const n = text.length;
  let start = 0;
  let lineNo = 0;
  const fields: string[] = [];
  while (start < n) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = n;
    lineNo++;
    fields.length = 0;
    let i = start;
    while (i < end) {
      while (i < end && isBlank(text.charCodeAt(i))) i++;
      if (i >= end) break;
      const f = i;
      while (i < end && !isBlank(text.charCodeAt(i))) i++;
      fields.push(text.slice(f, i));
    }
    if (fields.length > 0 && fields[0]!.charCodeAt(0) !== 35) onLine(fields, lineNo);
    start = end + 1;
  }
}

/**
 * Byte order of UTF-8 strings (which is code point order), as C's `strcmp` sees qids and docnos. JavaScript's `<`
 * compares UTF-16 units, which disagrees for characters above U+FFFF against U+E000–U+FFFF.
 */
export function compareBytes(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y) {
      if (x >= 0xd800 && y >= 0xd800) {
        // Surrogates (code points above U+FFFF) sort after U+E000–U+FFFF in code point order.
        x = x < 0xe000 ? x + 0x2000 : x - 0x800;
        y = y < 0xe000 ? y + 0x2000 : y - 0x800;
      }
      return x - y;
    }
  }
  return a.length - b.length;
}
