import type { SourceChunk } from '../import/line-import.ts';
import type { PairWriter } from './writer.ts';

/** What a record-based reader (two aligned files, TMX, catalogues) found at one place in its source. */
export type PairRecordIn =
  | { line?: number; id?: string; low: string; high: string; weight?: number; negatives?: readonly string[] }
  | { line?: number; problem: 'error' | 'warning'; field?: string; reason: string; file?: string };

/**
 * Records read from a source, with the position after them. A reader numbers its records and, resuming, skips the
 * `records` a checkpoint says are done: the position of a record-based source is its count of records.
 */
export interface PairChunk extends SourceChunk {
  records: PairRecordIn[];
}

/** Hands a chunk's records to the writer; a problem may name another file than the sink's (the second file). */
export function takePairs(sink: PairWriter): (chunk: PairChunk) => void {
  return ({ records }) => {
    for (const r of records) {
      if ('problem' in r) {
        const file = sink.file;
        if (r.file) sink.file = r.file;
        if (r.problem === 'error') sink.bad(r.line, r.field, r.reason);
        else sink.warn(r.line, r.field, r.reason);
        sink.file = file;
      } else sink.pair(r.line, r.id, r.low, r.high, r.weight, r.negatives);
    }
  };
}

/**
 * Groups records into chunks of a few hundred, numbering them; skips the first `skip` (already imported). A source
 * that can skip records more cheaply itself starts past them and says how many with `first`.
 */
export async function* chunked(
  records: AsyncIterable<{ record: PairRecordIn; line: number }>,
  skip: number,
  fileBytes: () => number,
  size = 500,
  first = 0,
): AsyncGenerator<PairChunk> {
  let n = first;
  let line = 0;
  let batch: PairRecordIn[] = [];
  try {
    for await (const r of records) {
      n++;
      line = r.line;
      if (n <= skip) continue;
      batch.push(r.record);
      if (batch.length >= size) {
        yield { records: batch, end: { line, offset: 0, records: n }, fileBytes: fileBytes() };
        batch = [];
      }
    }
  } catch (e) {
    // The source failed part-way (files out of step): what was read before the failure is kept.
    if (batch.length > 0) yield { records: batch, end: { line, offset: 0, records: n }, fileBytes: fileBytes() };
    throw e;
  }
  if (batch.length > 0) yield { records: batch, end: { line, offset: 0, records: n }, fileBytes: fileBytes() };
}
