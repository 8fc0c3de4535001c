import type Database from 'better-sqlite3';
import { PontError } from '../errors.ts';
import type { Checkpoint, ImportJob } from './checkpoint.ts';
import type { ImportCounts, ImportIssue } from './report.ts';

/** A transaction holds at most this many records or about this many bytes of text. */
export const BATCH_RECORDS = 5000;
export const BATCH_BYTES = 8 << 20;

export function issueText(i: Pick<ImportIssue, 'file' | 'line' | 'field' | 'reason'>): string {
  return `${[i.file, i.line !== undefined ? `line ${i.line}` : '', i.field ? `field ${i.field}` : ''].filter(Boolean).join(', ')}: ${i.reason}`;
}

/** In --strict mode the first bad record ends the import with this error. */
export function strictError(issue: ImportIssue): PontError {
  return new PontError('bad_data', 'import.strict_stop', { issue: issueText(issue) }, [
    { file: issue.file, ...(issue.line !== undefined ? { line: issue.line } : {}), ...(issue.field ? { field: issue.field } : {}), reason: issue.reason },
  ]);
}

/**
 * Collects parsed records into batches and writes each batch, with its problems and the checkpoint after it, in one
 * transaction: a crash leaves the database at a batch boundary the import can resume from. Subclasses hold the
 * pending records and know how to write one kind of record.
 */
export abstract class BatchWriter {
  /** The file records currently come from, for problem reports. */
  file: string;
  readonly counts: ImportCounts;
  /** Records read in this run, committed or not: for progress. */
  read = 0;
  protected readonly job: ImportJob;
  protected readonly strict: boolean;
  protected bytes = 0;
  private readonly issues: ImportIssue[] = [];
  private readonly writeBatch: (cp: Checkpoint) => ImportCounts;

  constructor(db: Database.Database, job: ImportJob, strict: boolean, file: string) {
    this.job = job;
    this.strict = strict;
    this.file = file;
    this.counts = { ...job.start.counts };
    this.writeBatch = db.transaction((cp: Checkpoint) => {
      const c = { ...cp.counts };
      this.writeRecords(c);
      for (const i of this.issues) {
        if (i.severity === 'error') c.bad++;
        else c.warnings++;
      }
      this.job.save({ ...cp, counts: c }, this.issues);
      return c;
    });
  }

  protected abstract get pending(): number;
  /** Writes the pending records, adding to the counts; runs inside the batch's transaction. */
  protected abstract writeRecords(counts: ImportCounts): void;
  protected abstract clearRecords(): void;

  bad(line: number | undefined, field: string | undefined, reason: string): void {
    this.problem({ severity: 'error', file: this.file, ...(line !== undefined ? { line } : {}), ...(field ? { field } : {}), reason });
  }

  warn(line: number | undefined, field: string | undefined, reason: string): void {
    this.problem({ severity: 'warning', file: this.file, ...(line !== undefined ? { line } : {}), ...(field ? { field } : {}), reason });
  }

  /** Records a problem; with --strict, an error stops the import (and the pending batch is not written). */
  protected problem(issue: ImportIssue): void {
    if (this.strict && issue.severity === 'error') throw strictError(issue);
    this.issues.push(issue);
  }

  get full(): boolean {
    return this.pending + this.issues.length >= BATCH_RECORDS || this.bytes >= BATCH_BYTES;
  }

  /** Commits the pending batch with the checkpoint that follows it. */
  flush(position: Omit<Checkpoint, 'counts'>): void {
    Object.assign(this.counts, this.writeBatch({ ...position, counts: this.counts }));
    this.discard();
  }

  /** Forgets the pending batch: after a --strict failure nothing of the failing batch is kept. */
  discard(): void {
    this.clearRecords();
    this.issues.length = 0;
    this.bytes = 0;
  }
}

/** A writer whose pending batch is a plain list of records (queries, judgements). */
export abstract class RecordBatchWriter<R> extends BatchWriter {
  protected readonly records: R[] = [];

  protected get pending(): number {
    return this.records.length;
  }

  protected clearRecords(): void {
    this.records.length = 0;
  }
}
