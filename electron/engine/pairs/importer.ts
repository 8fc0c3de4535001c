import { basename, extname } from 'node:path';
import type { Stats } from 'node:fs';
import type Database from 'better-sqlite3';
import { PontError } from '../errors.ts';
import type { JobContext } from '../jobs/progress.ts';
import { ImportJob } from '../import/checkpoint.ts';
import { fileFingerprint } from '../import/fingerprint.ts';
import { importChunks, importLines } from '../import/line-import.ts';
import { readLines } from '../import/lines.ts';
import type { ImportReport } from '../import/report.ts';
import { statSourceFile } from '../import/source.ts';
import { HAS_TEXT } from '../import/records.ts';
import { takePairs, type PairChunk } from './chunks.ts';
import { parseFlagEmbedding } from './flagembedding.ts';
import { PAIR_FORMATS, type PairFormat } from './formats.ts';
import { readCatalogues, type CatalogueStats } from './gettext.ts';
import { mosesCounterpart, readAligned } from './moses.ts';
import { ensurePairSet, updatePairSet } from './store.ts';
import { readTmx } from './tmx.ts';
import { detectLayout, parseColumns, tsvPairParser } from './tsv.ts';
import { parseWordList } from './wordlist.ts';
import { PairWriter } from './writer.ts';

export interface PairsImportOptions {
  path: string;
  name: string;
  from: string;
  to: string;
  format?: PairFormat;
  /** Moses: the high-language file (default: FILE.<from> → FILE.<to>); po/mo: the high-language catalogue. */
  high?: string;
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

function formatError(file: string, reason: string): PontError {
  return new PontError('invalid_input', 'pairs.format_unclear', { name: basename(file), reason, formats: PAIR_FORMATS.join(', ') }, [
    { file, field: 'format', reason },
  ]);
}

/** The format a file's name implies; `corpus.oc` is the low side of Moses text when `from` is oc. */
export function guessPairFormat(path: string, from: string): PairFormat {
  const name = basename(path).toLowerCase().replace(/\.(gz|gzip)$/, '');
  const ext = extname(name).slice(1);
  if (['tsv', 'tab', 'txt'].includes(ext)) return 'tsv';
  if (ext === 'tmx') return 'tmx';
  if (ext === 'po' || ext === 'pot') return 'po';
  if (ext === 'mo' || ext === 'gmo') return 'mo';
  if (ext === 'jsonl' || ext === 'json') return 'flagembedding';
  if (ext === from.toLowerCase()) return 'moses';
  throw formatError(path, `no known extension (.tsv, .tmx, .po, .mo, .jsonl, or .${from} for Moses text)`);
}

/** The first line of a text file that holds more than white space: what a TSV layout is decided from. */
async function firstTextLine(file: string): Promise<string | undefined> {
  for await (const chunk of readLines(file)) {
    const line = chunk.lines.find((l) => HAS_TEXT.test(l));
    if (line !== undefined) return line;
  }
  return undefined;
}

interface Source {
  path: string;
  stat: Stats;
}

/** How one import runs: what it is recorded as, and the loop that feeds the writer from where the job starts. */
export interface Plan {
  /** The format with the choices that decide how it is read (a TSV's columns), so a resume reads it the same way. */
  jobFormat: string;
  source: string;
  fingerprint: string;
  notes: string[];
  run(job: ImportJob, writer: PairWriter, ctx: JobContext): Promise<void>;
  /** Notes that only the end of the reading knows (catalogue messages left out). */
  after?: () => string[];
}

async function twoFiles(low: Source, high: Source): Promise<{ source: string; fingerprint: string }> {
  return {
    source: `${low.path} + ${high.path}`,
    fingerprint: `${await fileFingerprint(low.path, low.stat)} + ${await fileFingerprint(high.path, high.stat)}`,
  };
}

export function recordLoop(chunks: (skip: number) => AsyncIterable<PairChunk>, size: number) {
  return (job: ImportJob, writer: PairWriter, ctx: JobContext) =>
    importChunks(chunks(job.start.records ?? 0), job.start, takePairs(writer), writer, size, ctx, 'pairs');
}

async function plan(src: Source, format: PairFormat, opts: PairsImportOptions): Promise<Plan> {
  const single = async (jobFormat: string, parse: Parameters<typeof importLines<PairWriter>>[2], notes: string[] = []): Promise<Plan> => ({
    jobFormat,
    source: src.path,
    fingerprint: await fileFingerprint(src.path, src.stat),
    notes,
    run: (job, writer, ctx) => importLines<PairWriter>(src.path, job.start, parse, writer, src.stat.size, ctx, 'pairs'),
  });
  switch (format) {
    case 'tsv': {
      const first = await firstTextLine(src.path);
      if (first === undefined) throw new PontError('bad_data', 'pairs.empty_file', { path: src.path }, [{ file: src.path, reason: 'empty file' }]);
      const layout = opts.columns ? { columns: parseColumns(opts.columns, src.path), header: false } : detectLayout(first, src.path);
      return single(`tsv(${layout.columns.join(',')})`, tsvPairParser(layout), layout.note ? [layout.note] : []);
    }
    case 'wordlist':
      return single('wordlist', parseWordList);
    case 'flagembedding':
      return single('flagembedding', parseFlagEmbedding);
    case 'tmx':
      return {
        jobFormat: `tmx(${opts.from},${opts.to})`,
        source: src.path,
        fingerprint: await fileFingerprint(src.path, src.stat),
        notes: [],
        run: recordLoop((skip) => readTmx(src.path, opts.from, opts.to, skip), src.stat.size),
      };
    case 'moses': {
      const counterpart = opts.high ?? mosesCounterpart(src.path, opts.from, opts.to);
      if (!counterpart) {
        throw new PontError('invalid_input', 'pairs.moses_needs_high', { from: opts.from, to: opts.to }, [
          { file: src.path, field: 'high', reason: 'missing' },
        ]);
      }
      const high = await statSourceFile(counterpart, 'high');
      return {
        jobFormat: 'moses',
        ...(await twoFiles(src, high)),
        notes: [],
        run: recordLoop((skip) => readAligned(src.path, high.path, skip), src.stat.size),
      };
    }
    case 'po':
    case 'mo': {
      const high = opts.high ? await statSourceFile(opts.high, 'high') : undefined;
      const highFormat = high ? (guessPairFormat(high.path, opts.from) === 'mo' ? 'mo' : 'po') : undefined;
      const stats: CatalogueStats = { fuzzy: 0, untranslated: 0, unmatched: 0 };
      const files = high ? await twoFiles(src, high) : { source: src.path, fingerprint: await fileFingerprint(src.path, src.stat) };
      return {
        jobFormat: `${format}+${highFormat ?? 'msgid'}`,
        ...files,
        notes: high ? [] : [`no --high catalogue: each translation is paired with its source string (msgid), taken to be in ${opts.to}`],
        run: recordLoop(
          (skip) => readCatalogues({ file: src.path, format }, high && highFormat ? { file: high.path, format: highFormat } : undefined, skip, stats),
          src.stat.size,
        ),
        after: () =>
          [
            stats.fuzzy ? `${stats.fuzzy} fuzzy messages left out` : '',
            stats.untranslated ? `${stats.untranslated} untranslated messages left out` : '',
            stats.unmatched ? `${stats.unmatched} messages of ${basename(src.path)} have no translation in ${basename(high?.path ?? '')}` : '',
          ].filter(Boolean),
      };
    }
  }
}

/** Imports pairs from a file into a training set (created if need be), streaming, resumable, reporting bad records. */
export async function importPairs(db: Database.Database, opts: PairsImportOptions, ctx: JobContext): Promise<PairImportReport> {
  const started = performance.now();
  const src = await statSourceFile(opts.path);
  const format = opts.format ?? guessPairFormat(src.path, opts.from);
  return writePairSet(db, { name: opts.name, from: opts.from, to: opts.to, format, strict: opts.strict ?? false, file: src.path }, await plan(src, format, opts), ctx, started);
}

/**
 * Runs a plan into a training set as an import job: created if need be, batches committed with their checkpoint, the
 * problems kept, and the set's fingerprint brought up to date. Derived sets (from qrels, titles, mined negatives) run
 * through here too, so they resume and report like file imports.
 */
export async function writePairSet(
  db: Database.Database,
  target: { name: string; from: string; to: string; format: string; strict: boolean; file: string },
  p: Plan,
  ctx: JobContext,
  started = performance.now(),
): Promise<PairImportReport> {
  const set = ensurePairSet(db, target.name, target.from, target.to, target.format, p.source);
  const job = ImportJob.begin(db, { collectionId: null, kind: 'pairs', pairSetId: set.id, source: p.source, format: p.jobFormat, fingerprint: p.fingerprint });
  if (!job.resumed) job.notes.push(...p.notes);
  const writer = new PairWriter(db, set.id, job, target.strict, target.file);
  await job.run(writer, () => p.run(job, writer, ctx));
  job.notes.push(...(p.after?.() ?? []));
  const after = updatePairSet(db, set.name, { format: target.format, source: p.source });
  return {
    importId: job.id,
    pairSet: after.name,
    from: after.from,
    to: after.to,
    source: p.source,
    format: target.format,
    ...writer.counts,
    issues: job.firstIssues(),
    ...(job.resumed ? { resumedFromLine: job.start.line + 1 } : {}),
    notes: job.notes,
    seconds: (performance.now() - started) / 1000,
    pairs: after.pairs,
    fingerprint: after.fingerprint,
  };
}
