import type Database from 'better-sqlite3';
import type { JobContext } from '../jobs/progress.ts';
import { getQuerySet } from '../store/collections.ts';
import { RecordBatchWriter } from './batch.ts';
import { ImportJob } from './checkpoint.ts';
import { fileFingerprint } from './fingerprint.ts';
import { importLines } from './line-import.ts';
import { idProblem, type LineParser } from './records.ts';
import type { ImportCounts, ImportReport } from './report.ts';
import { resolveSource } from './source.ts';

export interface QrelsImportOptions {
  path: string;
  queries: string;
  strict?: boolean;
}

/**
 * Writes judgements, upserted by (query set, qid, docid). A judgement for a query the set does not have, or for a
 * document the collection does not have, is kept — trec_eval keeps them too, and a collection may be imported in
 * parts — but each one is reported as a warning with its line.
 */
class QrelsWriter extends RecordBatchWriter<{ line: number; qid: string; docid: string; rel: number }> {
  private readonly querySetId: number;
  private readonly seen = new Map<string, number>();
  private readonly insert: Database.Statement;
  private readonly existing: Database.Statement;
  private readonly update: Database.Statement;
  private readonly hasQuery: Database.Statement;
  private readonly hasDocument: Database.Statement;
  private readonly collectionId: number;

  constructor(db: Database.Database, querySetId: number, collectionId: number, job: ImportJob, strict: boolean, file: string) {
    super(db, job, strict, file);
    this.querySetId = querySetId;
    this.collectionId = collectionId;
    this.insert = db.prepare('INSERT OR IGNORE INTO qrels (query_set_id, qid, doc_ext_id, rel) VALUES (?, ?, ?, ?)');
    this.existing = db.prepare('SELECT rel FROM qrels WHERE query_set_id = ? AND qid = ? AND doc_ext_id = ?').pluck();
    this.update = db.prepare('UPDATE qrels SET rel = ? WHERE query_set_id = ? AND qid = ? AND doc_ext_id = ?');
    this.hasQuery = db.prepare('SELECT 1 FROM queries WHERE query_set_id = ? AND qid = ?').pluck();
    this.hasDocument = db.prepare('SELECT 1 FROM documents WHERE collection_id = ? AND ext_id = ?').pluck();
  }

  judgement(line: number, qid: string, docid: string, rel: number): void {
    const key = `${qid}\t${docid}`;
    const first = this.seen.get(key);
    if (first !== undefined) {
      return this.bad(line, 'docid', `duplicate judgement of "${docid}" for query "${qid}" (first at line ${first}); the first one is kept and this one ignored`);
    }
    this.seen.set(key, line);
    if (this.hasQuery.get(this.querySetId, qid) === undefined) this.warn(line, 'qid', `query "${qid}" is not in the query set (judgement kept)`);
    if (this.hasDocument.get(this.collectionId, docid) === undefined) {
      this.warn(line, 'docid', `document "${docid}" is not in the collection (judgement kept, as trec_eval would)`);
    }
    this.records.push({ line, qid, docid, rel });
    this.read++;
  }

  protected writeRecords(c: ImportCounts): void {
    for (const r of this.records) {
      if (this.insert.run(this.querySetId, r.qid, r.docid, r.rel).changes === 1) c.added++;
      else if (this.existing.get(this.querySetId, r.qid, r.docid) === r.rel) c.unchanged++;
      else {
        this.update.run(r.rel, this.querySetId, r.qid, r.docid);
        c.updated++;
      }
    }
  }
}

const WS = /\s+/;
const INT = /^[+-]?\d+$/;

/** TREC qrels: `qid iteration docid relevance`, whitespace-separated, relevance a (graded) integer. */
const parseQrel: LineParser<QrelsWriter> = (s, line, w) => {
  const f = s.trim().split(WS);
  if (f.length !== 4) return w.bad(line, undefined, `${f.length} fields: expected "qid iteration docid relevance"`);
  const [qid, , docid, rel] = f as [string, string, string, string];
  const idBad = idProblem(qid) ?? idProblem(docid);
  if (idBad) return w.bad(line, idProblem(qid) ? 'qid' : 'docid', idBad);
  if (!INT.test(rel)) return w.bad(line, 'relevance', `"${rel}" is not an integer`);
  w.judgement(line, qid, docid, Number(rel));
};

/** Imports TREC qrels into an existing query set. */
export async function importQrels(db: Database.Database, opts: QrelsImportOptions, ctx: JobContext): Promise<ImportReport> {
  const started = performance.now();
  const querySet = getQuerySet(db, opts.queries);
  const src = await resolveSource(opts.path, 'tsv', ['tsv']);
  const collection = db.prepare('SELECT id, name FROM collections WHERE id = ?').get(querySet.collection_id) as { id: number; name: string };
  const fingerprint = await fileFingerprint(src.path, src.stat);
  const job = ImportJob.begin(db, { collectionId: collection.id, kind: 'qrels', querySetId: querySet.id, source: src.path, format: 'trec', fingerprint });
  const writer = new QrelsWriter(db, querySet.id, collection.id, job, opts.strict ?? false, src.path);
  await job.run(writer, () => importLines(src.path, job.start, parseQrel, writer, src.stat.size, ctx, 'judgements'));
  const warned = db
    .prepare("SELECT field, count(*) AS n FROM import_errors WHERE import_id = ? AND severity = 'warning' GROUP BY field")
    .all(job.id) as { field: string; n: number }[];
  const notes = [...job.notes];
  for (const { field, n } of warned) {
    if (field === 'qid') notes.push(`${n} judgements are for queries that are not in query set "${querySet.name}"; they were kept`);
    if (field === 'docid') notes.push(`${n} judgements name documents that are not in collection "${collection.name}"; they were kept, as trec_eval keeps them`);
  }
  return {
    importId: job.id,
    collection: collection.name,
    querySet: querySet.name,
    source: src.path,
    format: 'trec',
    ...writer.counts,
    issues: job.firstIssues(),
    ...(job.resumed ? { resumedFromLine: job.start.line + 1 } : {}),
    notes,
    seconds: (performance.now() - started) / 1000,
  };
}
