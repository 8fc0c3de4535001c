import { setImmediate as turn } from 'node:timers/promises';
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

/** A piece of a source as a reader yields it: where the source stands after it, and how much of the file is read. */
export interface SourceChunk {
  end: LinePosition;
  fileBytes: number;
}

/**
 * Drives an import over a source read in chunks: `take` hands each chunk's records to the sink, and the sink's batch
 * is committed at the end of a chunk whenever it is full, so that every checkpoint is a chunk boundary. A read error
 * (a truncated gzip file, a second file that ends early) commits what was read before it, then propagates.
 */
export async function importChunks<C extends SourceChunk>(
  chunks: AsyncIterable<C>,
  from: LinePosition,
  take: (chunk: C) => void,
  sink: LineSink,
  size: number,
  ctx: JobContext,
  unit: string,
): Promise<void> {
  const meter = new ProgressMeter(ctx.progress);
  let last = from;
  const it = chunks[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<C>;
    try {
      next = await it.next();
    } catch (e) {
      sink.flush({ ...last, files: 0 });
      if (e instanceof PontError) {
        throw new PontError('bad_data', 'import.kept_before', { problem: e.message }, e.details);
      }
      throw e;
    }
    if (next.done) break;
    const chunk = next.value;
    take(chunk);
    last = chunk.end;
    if (sink.full) sink.flush({ ...last, files: 0 });
    // Parsing a chunk and committing a batch run on the engine's thread: let the calls that queued meanwhile (a
    // search) run before the next chunk, so that searching never waits for a whole import.
    await turn();
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

/**
 * Feeds a line-based file through a parser into a sink (see `importChunks`). Blank lines are skipped: they carry no
 * record. `chunks` replaces the plain file reader for sources whose lines come from elsewhere (two aligned files).
 */
export function importLines<S extends LineSink>(
  file: string,
  from: LinePosition,
  parser: LineParser<S>,
  sink: S,
  size: number,
  ctx: JobContext,
  unit: string,
  chunks: AsyncIterable<LineChunk> = readLines(file, from),
): Promise<void> {
  return importChunks(
    chunks,
    from,
    ({ lines, firstLine, badEncoding, hasNul }) => {
      let b = 0;
      for (let i = 0; i < lines.length; i++) {
        if (badEncoding && badEncoding[b] === i) {
          b++;
          sink.bad(firstLine + i, undefined, 'not valid UTF-8 text (is the file in another encoding, such as Latin-1 or Windows-1252?)');
          continue;
        }
        const s = lines[i]!;
        if (s.length === 0 || !HAS_TEXT.test(s)) continue;
        if (hasNul && s.includes('\0')) {
          sink.bad(firstLine + i, undefined, 'holds a NUL byte (is the file binary, or UTF-16 text rather than UTF-8?)');
          continue;
        }
        parser(s, firstLine + i, sink);
      }
    },
    sink,
    size,
    ctx,
    unit,
  );
}
