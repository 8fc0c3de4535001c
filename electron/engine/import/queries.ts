import type Database from 'better-sqlite3';
import type { JobContext } from '../jobs/progress.ts';
import { ensureQuerySet, getCollection } from '../store/collections.ts';
import { RecordBatchWriter } from './batch.ts';
import { ImportJob } from './checkpoint.ts';
import { fileFingerprint } from './fingerprint.ts';
import { importLines } from './line-import.ts';
import { HAS_TEXT, idProblem, idValue, parseJsonObject, pick, refuseJsonArray, type LineParser } from './records.ts';
import type { ImportCounts, ImportReport } from './report.ts';
import { resolveSource } from './source.ts';

export interface QueriesImportOptions {
  path: string;
  collection: string;
  name: string;
  lang: string;
  format?: 'tsv' | 'jsonl';
  strict?: boolean;
}

const QID_FIELDS = ['qid', '_id', 'query_id', 'id'] as const;
const QUERY_TEXT_FIELDS = ['text', 'query'] as const;

/** Writes queries, upserted by (query set, qid); a qid met twice in one file keeps its first text. */
class QueryWriter extends RecordBatchWriter<{ line: number; qid: string; text: string }> {
  private readonly querySetId: number;
  /** Query files are small (thousands to a million lines), so the ids seen are kept to catch duplicates. */
  private readonly seen = new Map<string, number>();
  private readonly insert: Database.Statement;
  private readonly existing: Database.Statement;
  private readonly update: Database.Statement;

  constructor(db: Database.Database, querySetId: number, job: ImportJob, strict: boolean, file: string) {
    super(db, job, strict, file);
    this.querySetId = querySetId;
    this.insert = db.prepare('INSERT OR IGNORE INTO queries (query_set_id, qid, text) VALUES (?, ?, ?)');
    this.existing = db.prepare('SELECT text FROM queries WHERE query_set_id = ? AND qid = ?').pluck();
    this.update = db.prepare('UPDATE queries SET text = ? WHERE query_set_id = ? AND qid = ?');
  }

  query(line: number, qid: string, text: string): void {
    const first = this.seen.get(qid);
    if (first !== undefined) {
      return this.bad(line, 'qid', `duplicate query id "${qid}" (first at line ${first}); the first one is kept and this one ignored`);
    }
    this.seen.set(qid, line);
    this.records.push({ line, qid, text });
    this.bytes += text.length;
    this.read++;
  }

  protected writeRecords(c: ImportCounts): void {
    for (const r of this.records) {
      if (this.insert.run(this.querySetId, r.qid, r.text).changes === 1) c.added++;
      else if (this.existing.get(this.querySetId, r.qid) === r.text) c.unchanged++;
      else {
        this.update.run(r.text, this.querySetId, r.qid);
        c.updated++;
      }
    }
  }
}

const parseTsvQuery: LineParser<QueryWriter> = (s, line, w) => {
  const tab = s.indexOf('\t');
  if (tab < 0) return w.bad(line, 'text', 'no tab: expected qid<TAB>text');
  const qid = s.slice(0, tab).trim();
  if (!qid) return w.bad(line, 'qid', 'the query id (first field) is empty');
  const idBad = idProblem(qid);
  if (idBad) return w.bad(line, 'qid', idBad);
  const text = s.slice(tab + 1);
  if (text.includes('\t')) return w.bad(line, 'text', `${s.split('\t').length} tab-separated fields: expected qid<TAB>text`);
  if (!HAS_TEXT.test(text)) return w.bad(line, 'text', `query "${qid}" has no text`);
  if (line === 1 && /^(qid|query_id|_id|id)$/i.test(qid) && /^(text|query)$/i.test(text.trim())) return;
  w.query(line, qid, text.trim());
};

const parseJsonlQuery: LineParser<QueryWriter> = (s, line, w) => {
  if (line === 1) refuseJsonArray(s, line, w.file);
  const o = parseJsonObject(s);
  if (typeof o === 'string') return w.bad(line, undefined, o);
  const idField = pick(o, QID_FIELDS);
  if (!idField) return w.bad(line, 'qid', `missing: expected one of ${QID_FIELDS.join(', ')}`);
  const qid = idValue(idField[1]);
  if (qid === undefined) return w.bad(line, idField[0], 'must be a non-empty string or a number, without control characters');
  const textField = pick(o, QUERY_TEXT_FIELDS);
  if (!textField) return w.bad(line, 'text', `missing: expected one of ${QUERY_TEXT_FIELDS.join(', ')}`);
  if (typeof textField[1] !== 'string' || !HAS_TEXT.test(textField[1])) return w.bad(line, textField[0], 'must be a non-empty string');
  w.query(line, qid, textField[1].trim());
};

/** Imports a query set (TSV qid<TAB>text, or JSONL) written in a variety, for searching a collection. */
export async function importQueries(db: Database.Database, opts: QueriesImportOptions, ctx: JobContext): Promise<ImportReport> {
  const started = performance.now();
  const src = await resolveSource(opts.path, opts.format, ['tsv', 'jsonl']);
  const collection = getCollection(db, opts.collection);
  const querySet = ensureQuerySet(db, opts.name, collection, opts.lang);
  const fingerprint = await fileFingerprint(src.path, src.stat);
  const job = ImportJob.begin(db, { collectionId: collection.id, kind: 'queries', querySetId: querySet.id, source: src.path, format: src.format, fingerprint });
  const writer = new QueryWriter(db, querySet.id, job, opts.strict ?? false, src.path);
  await job.run(writer, () => importLines(src.path, job.start, src.format === 'tsv' ? parseTsvQuery : parseJsonlQuery, writer, src.stat.size, ctx, 'queries'));
  return {
    importId: job.id,
    collection: collection.name,
    querySet: querySet.name,
    source: src.path,
    format: src.format,
    ...writer.counts,
    issues: job.firstIssues(),
    ...(job.resumed ? { resumedFromLine: job.start.line + 1 } : {}),
    notes: job.notes,
    seconds: (performance.now() - started) / 1000,
  };
}
