import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { fileErrorReason, PontError } from '../errors.ts';

/** Where reading starts: after `line` lines, at byte `offset` of the (decompressed) text. */
export interface LinePosition {
  line: number;
  offset: number;
  /** Sources read as records rather than lines (two aligned files, TMX, catalogues): how many records are done. */
  records?: number;
}

/** The complete lines that one read of the source yielded, decoded, without their line ends. */
export interface LineChunk {
  lines: string[];
  /** Line number (1-based) of `lines[0]`. */
  firstLine: number;
  /** Where the line after this chunk starts: a checkpoint that a later read can resume from. */
  end: LinePosition;
  /** Bytes of the file itself consumed so far (compressed bytes for gzip), for progress against its size. */
  fileBytes: number;
  /** Lines that are not valid UTF-8, by index into `lines` (which holds '' for them). Usually absent. */
  badEncoding?: number[];
  /** Some line of the chunk holds a NUL byte (binary data, or UTF-16 text). Usually absent. */
  hasNul?: true;
}

const CHUNK = 1 << 20;
/** A "line" longer than this is not a record of a line-based file; refuse it rather than exhaust memory. */
export const MAX_LINE_BYTES = 256 << 20;

export async function isGzip(file: string): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await fh.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

function splitBytes(bytes: Buffer, out: string[], bad: number[]): void {
  let start = 0;
  for (;;) {
    const nl = bytes.indexOf(10, start);
    const end = nl < 0 ? bytes.length : nl;
    const line = bytes.subarray(start, end);
    if (isUtf8(line)) out.push(line.toString('utf8'));
    else {
      bad.push(out.length);
      out.push('');
    }
    if (nl < 0) return;
    start = nl + 1;
  }
}

/**
 * Reads a text file (gzip-compressed or not, recognised by its magic bytes) as chunks of lines, in constant memory:
 * only the current chunk and an unfinished line are held. Handles a UTF-8 byte order mark and CRLF line ends, flags
 * lines that are not valid UTF-8 without stopping, and turns a truncated or corrupt gzip stream into an error that
 * names the file and the last complete line. Reading can start at a position an earlier read reported; for gzip the
 * stream is decompressed again from the start and skipped to that position.
 */
export async function* readLines(file: string, from: LinePosition = { line: 0, offset: 0 }): AsyncGenerator<LineChunk> {
  const gzip = await isGzip(file);
  const input = createReadStream(file, { highWaterMark: CHUNK, ...(gzip ? {} : { start: from.offset }) });
  const stream = gzip ? pipeline(input, createGunzip({ chunkSize: CHUNK }), () => {}) : input;
  let toSkip = gzip ? from.offset : 0;
  let offset = from.offset;
  let line = from.line;
  let rest: Buffer | undefined;
  const fileBytes = () => (gzip ? input.bytesRead : from.offset + input.bytesRead);

  function decode(bytes: Buffer): { lines: string[]; badEncoding?: number[]; hasNul?: true } {
    let lines: string[];
    const bad: number[] = [];
    if (isUtf8(bytes)) lines = bytes.toString('utf8').split('\n');
    else {
      lines = [];
      splitBytes(bytes, lines, bad);
    }
    if (offset === 0 && lines[0]?.charCodeAt(0) === 0xfeff) lines[0] = lines[0].slice(1);
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i]!;
      if (l.charCodeAt(l.length - 1) === 13) lines[i] = l.slice(0, -1);
    }
    return { lines, ...(bad.length > 0 ? { badEncoding: bad } : {}), ...(bytes.indexOf(0) >= 0 ? { hasNul: true as const } : {}) };
  }

  try {
    for await (const raw of stream as AsyncIterable<Buffer>) {
      let buf = raw;
      if (toSkip > 0) {
        if (buf.length <= toSkip) {
          toSkip -= buf.length;
          continue;
        }
        buf = buf.subarray(toSkip);
        toSkip = 0;
      }
      const data = rest ? Buffer.concat([rest, buf]) : buf;
      const lastNl = data.lastIndexOf(10);
      if (lastNl < 0) {
        if (data.length > MAX_LINE_BYTES) {
          throw new PontError('bad_data', 'file.line_too_long', { name: basename(file), line: line + 1, mib: MAX_LINE_BYTES >> 20 }, [
            { file, line: line + 1, reason: 'line too long' },
          ]);
        }
        rest = Buffer.from(data);
        continue;
      }
      const decoded = decode(data.subarray(0, lastNl));
      // Copy the unfinished line so that it does not keep the whole chunk alive.
      rest = lastNl + 1 < data.length ? Buffer.from(data.subarray(lastNl + 1)) : undefined;
      const firstLine = line + 1;
      line += decoded.lines.length;
      offset += lastNl + 1;
      yield { ...decoded, firstLine, end: { line, offset }, fileBytes: fileBytes() };
    }
  } catch (e) {
    if (e instanceof PontError) throw e;
    const code = (e as { code?: string }).code;
    if (gzip && (code === 'Z_BUF_ERROR' || code === 'Z_DATA_ERROR')) {
      const what = code === 'Z_BUF_ERROR' ? 'is truncated (the gzip stream ends early)' : `is not a valid gzip stream (${(e as Error).message})`;
      throw new PontError('bad_data', 'file.gzip_truncated', { file, problem: what, line }, [
        { file, line: line + 1, reason: `${what}; lines up to ${line} were read` },
      ]);
    }
    throw new PontError('bad_data', 'file.unreadable', { file, reason: fileErrorReason(e) }, [{ file, reason: fileErrorReason(e) }]);
  } finally {
    input.destroy();
  }
  if (rest && rest.length > 0) {
    const decoded = decode(rest);
    const firstLine = line + 1;
    line += 1;
    offset += rest.length;
    yield { ...decoded, firstLine, end: { line, offset }, fileBytes: fileBytes() };
  }
}
