import { basename } from 'node:path';
import type Database from 'better-sqlite3';
import { PontError } from '../errors.ts';
import type { JobContext } from '../jobs/progress.ts';
import { ImportJob } from '../import/checkpoint.ts';
import { fileFingerprint } from '../import/fingerprint.ts';
import { importLines } from '../import/line-import.ts';
import { readLines } from '../import/lines.ts';
import type { ImportReport } from '../import/report.ts';
import { statSourceFile } from '../import/source.ts';
import { HAS_TEXT } from '../import/records.ts';
import { PAIR_FORMATS, type PairFormat } from './formats.ts';
import { ensurePairSet, updatePairSet } from './store.ts';
import { detectLayout, parseColumns, tsvPairParser, type TsvLayout } from './tsv.ts';
import { PairWriter } from './writer.ts';


export interface PairsImportOptions {
  path: string;
  name: string;
  from: string;
  to: string;
  format?: PairFormat;
  /** TSV: the columns, e.g. `id,low,high,weight` (default: from a header line or the number of fields). */
  columns?: string;
  strict?: boolean;
}

/** An import into a training set: the counts and problems of any import, and the set as it now is. */
export interface PairImportReport extends Omit<ImportReport, 'collection' | 'querySet'> {
  pairSet: string;
  from: string;
  to: string;
  /** Pairs in the set after the import, and its new content hash. */
  pairs: number;
  fingerprint: string;
}

export function guessPairFormat(path: string): PairFormat {
  const name = basename(path).toLowerCase().replace(/\.(gz|gzip)$/, '');
  if (/\.(tsv|tab|txt)$/.test(name)) return 'tsv';
  throw new PontError('invalid_input', `cannot tell the format of ${basename(path)} from its name; pass --format (${PAIR_FORMATS.join(', ')})`, [
    { file: path, field: 'format', reason: `expected one of ${PAIR_FORMATS.join(', ')}` },
  ]);
}

/** The first line of a text file that holds more than white space: what a layout is decided from. */
async function firstTextLine(file: string): Promise<string | undefined> {
  for await (const chunk of readLines(file)) {
    const line = chunk.lines.find((l) => HAS_TEXT.test(l));
    if (line !== undefined) return line;
  }
  return undefined;
}

/** Imports pairs from a file into a training set (created if need be), streaming, resumable, reporting bad records. */
export async function importPairs(db: Database.Database, opts: PairsImportOptions, ctx: JobContext): Promise<PairImportReport> {
  const started = performance.now();
  const src = await statSourceFile(opts.path);
  const format = opts.format ?? guessPairFormat(src.path);
  const first = await firstTextLine(src.path);
  if (first === undefined) throw new PontError('bad_data', `${src.path} holds no pairs`, [{ file: src.path, reason: 'empty file' }]);
  const layout: TsvLayout = opts.columns
    ? { columns: parseColumns(opts.columns, src.path), header: false }
    : detectLayout(first, src.path);
  const jobFormat = `${format}(${layout.columns.join(',')})`;
  const set = ensurePairSet(db, opts.name, opts.from, opts.to, format, src.path);
  const fingerprint = await fileFingerprint(src.path, src.stat);
  const job = ImportJob.begin(db, { collectionId: null, kind: 'pairs', pairSetId: set.id, source: src.path, format: jobFormat, fingerprint });
  if (layout.note && !job.resumed) job.notes.push(layout.note);
  const writer = new PairWriter(db, set.id, job, opts.strict ?? false, src.path);
  await job.run(
    () => importLines<PairWriter>(src.path, job.start, tsvPairParser(layout), writer, src.stat.size, ctx, 'pairs'),
    () => writer.discard(),
  );
  const after = updatePairSet(db, set.name, { format, source: src.path });
  return {
    importId: job.id,
    pairSet: after.name,
    from: after.from,
    to: after.to,
    source: src.path,
    format,
    ...writer.counts,
    issues: job.firstIssues(),
    ...(job.resumed ? { resumedFromLine: job.start.line + 1 } : {}),
    notes: job.notes,
    seconds: (performance.now() - started) / 1000,
    pairs: after.pairs,
    fingerprint: after.fingerprint,
  };
}
