import type Database from 'better-sqlite3';
import { PontError } from '../errors.ts';
import { getCollection } from '../store/collections.ts';
import type { ImportKind } from './checkpoint.ts';
import type { ImportIssue } from './report.ts';

export interface ImportRecord {
  id: number;
  kind: ImportKind;
  querySet: string | null;
  source: string;
  format: string;
  state: 'running' | 'done' | 'failed' | 'cancelled' | 'rolled_back';
  /** Records written (added, updated or unchanged) and rejected so far. */
  records: number;
  bad: number;
  problems: number;
  message: string | null;
  startedAt: string;
  updatedAt: string;
}

const IMPORTS = `SELECT i.id, i.kind, s.name AS querySet, i.source, i.format, i.state, i.records_ok AS records, i.records_bad AS bad,
    (SELECT count(*) FROM import_errors e WHERE e.import_id = i.id) AS problems,
    i.message, i.started_at AS startedAt, i.updated_at AS updatedAt
  FROM imports i LEFT JOIN query_sets s ON s.id = i.query_set_id`;

/** Every import into a collection (its documents, and its query sets' queries and qrels), newest first. */
export function listImports(db: Database.Database, collection: string): ImportRecord[] {
  const c = getCollection(db, collection);
  return db.prepare(`${IMPORTS} WHERE i.collection_id = ? ORDER BY i.id DESC`).all(c.id) as ImportRecord[];
}

/** Every import into a training set (files read, sets derived), newest first. */
export function listPairSetImports(db: Database.Database, pairSetId: number): ImportRecord[] {
  return db.prepare(`${IMPORTS} WHERE i.pair_set_id = ? ORDER BY i.id DESC`).all(pairSetId) as ImportRecord[];
}

/** The problems one import recorded, in the order they were met, a page at a time. */
export function importProblems(db: Database.Database, importId: number, offset: number, limit: number): { total: number; issues: ImportIssue[] } {
  const exists = db.prepare('SELECT 1 FROM imports WHERE id = ?').pluck().get(importId);
  if (!exists) throw new PontError('not_found', 'import.missing', { id: importId }, [{ field: 'id', reason: 'see `pont collection imports NAME` for the ids' }]);
  const total = db.prepare('SELECT count(*) FROM import_errors WHERE import_id = ?').pluck().get(importId) as number;
  const rows = db
    .prepare('SELECT severity, file, line, field, reason FROM import_errors WHERE import_id = ? ORDER BY rowid LIMIT ? OFFSET ?')
    .all(importId, limit, offset) as { severity: 'error' | 'warning'; file: string; line: number | null; field: string | null; reason: string }[];
  const issues = rows.map((r) => ({
    severity: r.severity,
    file: r.file,
    ...(r.line !== null ? { line: r.line } : {}),
    ...(r.field !== null ? { field: r.field } : {}),
    reason: r.reason,
  }));
  return { total, issues };
}
