import { PontError } from '../errors.ts';
import { CancelledError, ProgressMeter, type JobContext } from '../jobs/progress.ts';
import { readLines, type LineChunk, type LinePosition } from './lines.ts';
import { HAS_TEXT, type LineParser } from './records.ts';

/** What a line-based import writes to: records and problems in, batches committed at chunk boundaries. */
export interface LineSink {
  bad(line: number | undefined, field: string | undefined, reason: string): void;
  readonly full: boolean;
  readonly read: number;
  flush(position: { line: number; offset: number; files: number }): void;
}

/**
 * Feeds a line-based file through a parser into a sink, committing at the end of a read chunk whenever the sink's
 * batch is full, so that every checkpoint is a line boundary. Blank lines are skipped: they carry no record. A read
 * error (a truncated gzip file) commits what was read before it, then propagates.
 */
export async function importLines<S extends LineSink>(
  file: string,
  from: LinePosition,
  parser: LineParser<S>,
  sink: S,
  size: number,
  ctx: JobContext,
  unit: string,
): Promise<void> {
  const meter = new ProgressMeter(ctx.progress);
  let last = from;
  const it = readLines(file, from)[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<LineChunk>;
    try {
      next = await it.next();
    } catch (e) {
      sink.flush({ ...last, files: 0 });
      if (e instanceof PontError) {
        throw new PontError('bad_data', `${e.message}; what came before it is kept`, e.details);
      }
      throw e;
    }
    if (next.done) break;
    const chunk = next.value;
    const { lines, firstLine, badEncoding } = chunk;
    let b = 0;
    for (let i = 0; i < lines.length; i++) {
      if (badEncoding && badEncoding[b] === i) {
        b++;
        sink.bad(firstLine + i, undefined, 'not valid UTF-8 text (is the file in another encoding, such as Latin-1 or Windows-1252?)');
        continue;
      }
      const s = lines[i]!;
      if (s.length === 0 || !HAS_TEXT.test(s)) continue;
      parser(s, firstLine + i, sink);
    }
    last = chunk.end;
    if (sink.full) sink.flush({ ...last, files: 0 });
    meter.update({ phase: 'importing', done: sink.read, unit, bytesDone: chunk.fileBytes, bytesTotal: size });
    if (ctx.signal.aborted) {
      // Keep what was read: the checkpoint after it is exact, so the next run goes on from there.
      sink.flush({ ...last, files: 0 });
      await it.return?.(undefined);
      throw new CancelledError('the import');
    }
  }
  sink.flush({ ...last, files: 0 });
  meter.update({ phase: 'importing', done: sink.read, unit, bytesDone: size, bytesTotal: size }, true);
}
