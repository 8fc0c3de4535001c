import type Database from 'better-sqlite3';
import { PontError } from '../errors.ts';
import { processIsAlive } from '../jobs/process.ts';
import { CancelledError } from '../jobs/progress.ts';
import type { BatchWriter } from './batch.ts';
import { importProblems } from './history.ts';
import { zeroCounts, REPORTED_ISSUES, type ImportCounts, type ImportIssue } from './report.ts';

/** Where an import stands: the position in its source after the last committed batch, and the counts so far. */
export interface Checkpoint {
  line: number;
  offset: number;
  /** Folder imports: how many files (in sorted order) are done. */
  files: number;
  /** Record-based sources: how many records are done (see `LinePosition`). */
  records?: number;
  counts: ImportCounts;
}

export type ImportKind = 'documents' | 'queries' | 'qrels' | 'pairs';

export interface ImportSource {
  /** Null for an import into a training set, which belongs to no collection. */
  collectionId: number | null;
  kind: ImportKind;
  querySetId?: number;
  pairSetId?: number;
  source: string;
  format: string;
  fingerprint: string;
}

interface ImportRow {
  id: number;
  format: string;
  fingerprint: string;
  checkpoint: string | null;
  state: string;
  pid: number | null;
}

/** Imports running in this process: the application may start two at once. */
const runningHere = new Set<number>();

/** An import marked running is still going if it runs in this process, or in another process that is alive. */
function stillRunning(row: ImportRow): boolean {
  if (row.state !== 'running') return false;
  if (runningHere.has(row.id)) return true;
  return row.pid !== null && row.pid !== process.pid && processIsAlive(row.pid);
}

const INCOMPLETE = "('running', 'cancelled', 'failed')";

/** What to do after an import stopped on a fault in its file: the same file would stop at the same place. */
const FIX_ADVICE = 'Fix the file and import it again (an import without --strict skips bad records)';

/**
 * Undoes an unfinished import: removes the documents it added and marks it rolled back, so that the collection no
 * longer shows it as interrupted. Queries and judgements are upserted by id and not traced to their import, so those
 * stay (importing the file again updates them). Runs inside the caller's transaction.
 */
export function rollBack(db: Database.Database, importId: number, kind: ImportKind, collectionId: number | null, why = 'rolled back'): string {
  let what = why;
  if (kind === 'documents') {
    const removed = db.prepare('DELETE FROM documents WHERE collection_id = ? AND import_id = ?').run(collectionId, importId).changes;
    if (removed > 0) what = `${why}, removing the ${removed} documents it had added`;
  } else if (kind === 'pairs') {
    const removed = db.prepare('DELETE FROM pairs WHERE import_id = ?').run(importId).changes;
    if (removed > 0) what = `${why}, removing the ${removed} pairs it had added`;
  }
  db.prepare("UPDATE imports SET state = 'rolled_back', message = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?").run(what, importId);
  return what;
}

/** Rolls back an unfinished import that is not running (see `rollBack`). */
export function rollBackImport(db: Database.Database, importId: number): { id: number; message: string } {
  return db.transaction(() => {
    const row = db.prepare('SELECT id, kind, collection_id, format, fingerprint, checkpoint, state, pid FROM imports WHERE id = ?').get(importId) as
      | (ImportRow & { kind: ImportKind; collection_id: number | null })
      | undefined;
    if (!row) throw new PontError('not_found', 'import.missing', { id: importId }, [{ field: 'id', reason: 'see `pont collection imports NAME` for the ids' }]);
    if (stillRunning(row)) throw new PontError('conflict', 'import.running', { id: importId }, [{ field: 'id', reason: 'running' }]);
    if (!['running', 'cancelled', 'failed'].includes(row.state)) {
      throw new PontError('conflict', 'import.finished', { id: importId, state: row.state.replace('_', ' ') }, [
        { field: 'id', reason: `state ${row.state}` },
      ]);
    }
    return { id: importId, message: `import #${importId} ${rollBack(db, importId, row.kind, row.collection_id)}` };
  })();
}

/**
 * The finished import that a new one of the same source would only repeat: the latest import of this kind into the
 * collection, done, of the same source with the same fingerprint. Nothing has written documents since (an import
 * rolled back after it could have updated some), so importing the file again would leave every record unchanged.
 * With --strict, a file whose import had bad records is read again, so that the first one stops it.
 */
export function unchangedSince(db: Database.Database, src: ImportSource, strict: boolean): { id: number; counts: ImportCounts } | undefined {
  const row = db
    .prepare(
      `SELECT id, source, format, fingerprint, state, checkpoint, records_bad AS bad FROM imports
       WHERE collection_id IS ? AND kind = ? AND query_set_id IS ? AND pair_set_id IS ? ORDER BY id DESC LIMIT 1`,
    )
    .get(src.collectionId, src.kind, src.querySetId ?? null, src.pairSetId ?? null) as
    | { id: number; source: string; format: string; fingerprint: string; state: string; checkpoint: string | null; bad: number }
    | undefined;
  if (!row || row.state !== 'done' || row.source !== src.source || row.format !== src.format || row.fingerprint !== src.fingerprint) return undefined;
  if (!row.checkpoint || (strict && row.bad > 0)) return undefined;
  const { counts } = JSON.parse(row.checkpoint) as Checkpoint;
  return { id: row.id, counts: { ...counts, added: 0, updated: 0, unchanged: counts.added + counts.updated + counts.unchanged } };
}

/**
 * One run of an import, recorded in the `imports` table. Each batch of records is committed in the same transaction
 * as the checkpoint that follows it, so whatever stops the process (Ctrl-C, kill -9, power loss) leaves the database
 * at a batch boundary that the next run of the same import resumes from. If the source changed in between, the
 * interrupted import's documents are removed instead and the import starts again.
 */
export class ImportJob {
  readonly db: Database.Database;
  readonly id: number;
  /** The checkpoint this run starts from: zero for a new import. */
  readonly start: Checkpoint;
  readonly resumed: boolean;
  readonly notes: string[] = [];
  readonly kind: ImportKind;
  readonly collectionId: number | null;
  readonly source: string;
  private readonly saveStmt: Database.Statement;
  private readonly errorStmt: Database.Statement;

  private constructor(db: Database.Database, id: number, start: Checkpoint, resumed: boolean, src: ImportSource) {
    this.db = db;
    this.kind = src.kind;
    this.collectionId = src.collectionId;
    this.source = src.source;
    this.id = id;
    this.start = start;
    this.resumed = resumed;
    this.saveStmt = db.prepare(
      "UPDATE imports SET checkpoint = ?, records_ok = ?, records_bad = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?",
    );
    this.errorStmt = db.prepare('INSERT INTO import_errors (import_id, severity, file, line, field, reason) VALUES (?, ?, ?, ?, ?, ?)');
  }

  static begin(db: Database.Database, src: ImportSource): ImportJob {
    return db.transaction(() => {
      const previous = db
        .prepare(
          `SELECT id, format, fingerprint, checkpoint, state, pid FROM imports
           WHERE collection_id IS ? AND kind = ? AND source = ? AND query_set_id IS ? AND pair_set_id IS ? AND state IN ${INCOMPLETE}
           ORDER BY id DESC`,
        )
        .all(src.collectionId, src.kind, src.source, src.querySetId ?? null, src.pairSetId ?? null) as ImportRow[];
      const busy = previous.find(stillRunning);
      if (busy) {
        throw new PontError('conflict', 'import.busy', { id: busy.id, process: busy.pid !== null && busy.pid !== process.pid ? `, process ${busy.pid}` : '' }, [
          { file: src.source, reason: 'an import of this source is running' },
        ]);
      }
      const latest = previous[0];
      if (latest && latest.fingerprint === src.fingerprint && latest.format === src.format && latest.checkpoint) {
        db.prepare("UPDATE imports SET state = 'running', message = NULL, pid = ? WHERE id = ?").run(process.pid, latest.id);
        const cp = JSON.parse(latest.checkpoint) as Checkpoint;
        return new ImportJob(db, latest.id, cp, cp.line > 0 || cp.files > 0 || (cp.records ?? 0) > 0, src);
      }
      const notes: string[] = [];
      for (const p of previous) {
        const why = p.format !== src.format ? `was read as ${p.format}, now as ${src.format}` : 'has changed since';
        const undone = rollBack(db, p.id, src.kind, src.collectionId);
        notes.push(`an unfinished import of this source (#${p.id}, ${p.state === 'running' ? 'interrupted' : p.state}) ${why}: ${undone}; the import started again from the top`);
      }
      const start: Checkpoint = { line: 0, offset: 0, files: 0, counts: zeroCounts() };
      const id = Number(
        db
          .prepare(
            "INSERT INTO imports (collection_id, kind, query_set_id, pair_set_id, source, format, fingerprint, state, checkpoint, pid) VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?, ?)",
          )
          .run(src.collectionId, src.kind, src.querySetId ?? null, src.pairSetId ?? null, src.source, src.format, src.fingerprint, JSON.stringify(start), process.pid).lastInsertRowid,
      );
      const job = new ImportJob(db, id, start, false, src);
      job.notes.push(...notes);
      return job;
    })();
  }

  /** Call inside the batch's transaction: records the batch's problems and the position after it. */
  save(cp: Checkpoint, issues: readonly ImportIssue[]): void {
    for (const i of issues) this.errorStmt.run(this.id, i.severity, i.file, i.line ?? null, i.field ?? null, i.reason);
    const ok = cp.counts.added + cp.counts.updated + cp.counts.unchanged;
    this.saveStmt.run(JSON.stringify(cp), ok, cp.counts.bad, this.id);
  }

  /**
   * Runs the import to its end and records how it ended: done; cancelled or interrupted (the same command resumes);
   * failed on bad data, with advice that fits what it stored. An import that ends without storing a single record
   * (every record bad, an empty file, a --strict failure in the first batch) is an error for its caller, and is rolled
   * back so that nothing shows it as unfinished. The writer's pending batch is dropped on failure.
   */
  async run(writer: BatchWriter, body: () => Promise<void>): Promise<void> {
    runningHere.add(this.id);
    try {
      await body();
      const c = writer.counts;
      if (c.added + c.updated + c.unchanged === 0) throw this.nothingImported(writer);
      this.finish('done');
    } catch (e) {
      writer.discard();
      const c = writer.counts;
      if (e instanceof CancelledError) this.finish('cancelled', 'cancelled; run the same import again to resume');
      else if (c.added + c.updated === 0) this.db.transaction(() => rollBack(this.db, this.id, this.kind, this.collectionId, `failed, nothing stored: ${(e as Error).message}`))();
      else this.finish('failed', `${(e as Error).message}. ${e instanceof PontError && e.code === 'bad_data' ? FIX_ADVICE : 'Run the same import again to resume'} (or \`pont collection rollback ${this.id}\` to undo it)`);
      throw e;
    } finally {
      runningHere.delete(this.id);
    }
  }

  /** The error of an import that read its source to the end without finding a single record it could store. */
  private nothingImported(writer: BatchWriter): PontError {
    const { bad, warnings } = writer.counts;
    const issues = this.firstIssues();
    const details = issues.map(({ file, line, field, reason }) => ({ file, ...(line !== undefined ? { line } : {}), ...(field ? { field } : {}), reason }));
    if (bad > 0) return new PontError('bad_data', bad === 1 ? 'import.one_bad' : 'import.all_bad', { source: this.source, bad }, details);
    if (warnings > 0) return new PontError('bad_data', 'import.all_skipped', { source: this.source, skipped: warnings }, details);
    return new PontError('bad_data', 'import.no_records', { source: this.source }, [{ file: this.source, reason: 'empty, or only blank lines and a header' }]);
  }

  finish(state: 'done' | 'failed' | 'cancelled', message?: string): void {
    this.db
      .prepare("UPDATE imports SET state = ?, message = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?")
      .run(state, message ?? null, this.id);
  }

  /** The first problems of this import (over all its runs), errors and warnings in the order they were met. */
  firstIssues(limit = REPORTED_ISSUES): ImportIssue[] {
    return importProblems(this.db, this.id, 0, limit).issues;
  }
}
