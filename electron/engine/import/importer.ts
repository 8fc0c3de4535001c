import type Database from 'better-sqlite3';
import { PontError } from '../errors.ts';
import { CancelledError, type JobContext } from '../jobs/progress.ts';
import { dropIfEmpty, ensureCollection, findCollection, touchCollection } from '../store/collections.ts';
import { ImportJob, unchangedSince } from './checkpoint.ts';
import { fileFingerprint, listingFingerprint } from './fingerprint.ts';
import { importFolder, listFolder } from './folder.ts';
import { parseJsonlDocument } from './jsonl.ts';
import { importLines } from './line-import.ts';
import { importProblems } from './history.ts';
import { REPORTED_ISSUES, type ImportReport } from './report.ts';
import { resolveSource, type CollectionFormat } from './source.ts';
import { parseTsvDocument } from './tsv.ts';
import { DocumentWriter } from './writer.ts';

export interface CollectionImportOptions {
  path: string;
  name: string;
  lang: string;
  format?: CollectionFormat;
  description?: string;
  strict?: boolean;
  /** Folder imports: files longer than this many words are split into passages. */
  passageWords?: number;
  /** The source as the user named it (see the contract): stored and reported instead of the path. */
  shownAs?: string;
}

/** Imports a collection from a TSV or JSONL file (optionally gzip-compressed) or a folder of documents. */
export async function importCollection(db: Database.Database, opts: CollectionImportOptions, ctx: JobContext): Promise<ImportReport> {
  const started = performance.now();
  const src = await resolveSource(opts.path, opts.format, ['tsv', 'jsonl', 'folder']);
  const files = src.format === 'folder' ? await listFolder(src.path) : undefined;
  const passageWords = opts.passageWords ?? 200;
  // The passage length decides which documents a folder becomes, so a folder read with another one is another source.
  const fingerprint = files ? `${listingFingerprint(files)};passage-words=${passageWords}` : await fileFingerprint(src.path, src.stat);
  if (files && files.length === 0) {
    throw new PontError('bad_data', 'folder.empty', { path: src.path }, [{ file: src.path, reason: 'empty folder' }]);
  }
  const created = !findCollection(db, opts.name);
  const collection = ensureCollection(db, opts.name, opts.lang, opts.description);
  const shown = opts.shownAs ?? src.path;
  const source = { collectionId: collection.id, kind: 'documents' as const, source: src.path, format: src.format, fingerprint };
  const same = unchangedSince(db, source, opts.strict ?? false);
  if (same) {
    return {
      importId: same.id,
      collection: collection.name,
      source: shown,
      format: src.format,
      ...same.counts,
      issues: importProblems(db, same.id, 0, REPORTED_ISSUES).issues,
      notes: [`the source has not changed since import #${same.id} finished (same size, modification time and content at its start): nothing to do`],
      seconds: (performance.now() - started) / 1000,
    };
  }
  const job = ImportJob.begin(db, source);
  const writer = new DocumentWriter(db, collection.id, job, opts.strict ?? false, shown);
  try {
    await job.run(writer, async () => {
      if (files) await importFolder(files, job.start.files, writer, passageWords, ctx, opts.shownAs);
      else {
        const parser = src.format === 'tsv' ? parseTsvDocument : parseJsonlDocument;
        await importLines(src.path, job.start, parser, writer, src.stat.size, ctx, 'documents');
      }
    });
  } catch (e) {
    // A collection this import created and filled with nothing is not left behind as an empty, broken one.
    if (created && !(e instanceof CancelledError)) dropIfEmpty(db, collection.id);
    throw e;
  }
  touchCollection(db, collection.id);
  const c = writer.counts;
  return {
    importId: job.id,
    collection: collection.name,
    source: shown,
    format: src.format,
    ...c,
    issues: job.firstIssues(),
    ...(job.resumed && !files ? { resumedFromLine: job.start.line + 1 } : {}),
    ...(job.resumed && files ? { resumedAfterFiles: job.start.files } : {}),
    notes: job.notes,
    seconds: (performance.now() - started) / 1000,
  };
}
