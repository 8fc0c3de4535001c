import { PontError } from '../errors.ts';
import { readLines, type LineChunk } from '../import/lines.ts';
import { HAS_TEXT } from '../import/records.ts';
import { chunked, type PairChunk, type PairRecordIn } from './chunks.ts';

const BAD_UTF8 = 'not valid UTF-8 text (is the file in another encoding, such as Latin-1 or Windows-1252?)';

/** The lines of one file, one at a time, with whether each is valid UTF-8. */
async function* linesOf(file: string, bytes: { read: number }): AsyncGenerator<string | undefined> {
  for await (const chunk of readLines(file) as AsyncIterable<LineChunk>) {
    bytes.read = chunk.fileBytes;
    const bad = new Set(chunk.badEncoding ?? []);
    for (let i = 0; i < chunk.lines.length; i++) yield bad.has(i) ? undefined : chunk.lines[i]!;
  }
}

/**
 * Moses-style parallel text: line n of the low file is the counterpart of line n of the high file. Both are read
 * side by side in constant memory. A line empty on both sides is skipped; empty on one side is a bad record naming
 * that file; files of different lengths are not aligned, and the import stops at the end of the shorter one.
 */
export function readAligned(low: string, high: string, skip: number): AsyncIterable<PairChunk> {
  const bytes = { read: 0 };
  async function* records(): AsyncGenerator<{ record: PairRecordIn; line: number }> {
    const a = linesOf(low, bytes);
    const b = linesOf(high, { read: 0 });
    for (let line = 1; ; line++) {
      const [x, y] = await Promise.all([a.next(), b.next()]);
      if (x.done || y.done) {
        if (x.done && y.done) return;
        const [short, long] = x.done ? [low, high] : [high, low];
        throw new PontError('bad_data', 'pairs.not_aligned', { short, long, lines: line - 1 }, [
          { file: short, line, reason: `ends here, while ${long} goes on: line n of each file must be the counterpart of line n of the other` },
        ]);
      }
      const l = x.value;
      const h = y.value;
      const problem = (file: string, field: string, reason: string): PairRecordIn => ({ line, problem: 'error', file, field, reason });
      if (l === undefined) yield { line, record: problem(low, 'low', BAD_UTF8) };
      else if (h === undefined) yield { line, record: problem(high, 'high', BAD_UTF8) };
      else {
        const lt = HAS_TEXT.test(l);
        const ht = HAS_TEXT.test(h);
        if (!lt && !ht) continue;
        if (!lt) yield { line, record: problem(low, 'low', `empty, while line ${line} of ${high} is not`) };
        else if (!ht) yield { line, record: problem(high, 'high', `empty, while line ${line} of ${low} is not`) };
        else yield { line, record: { line, low: l.trim(), high: h.trim() } };
      }
    }
  }
  return chunked(records(), skip, () => bytes.read);
}

/** The conventional name of the high side of `corpus.oc` (or `corpus.oc.gz`): `corpus.fr` (`corpus.fr.gz`). */
export function mosesCounterpart(low: string, from: string, to: string): string | undefined {
  const m = new RegExp(`\\.${from.replace(/[^a-z0-9-]/gi, '')}(\\.gz)?$`, 'i').exec(low);
  return m ? `${low.slice(0, m.index)}.${to}${m[1] ?? ''}` : undefined;
}
