import type Database from 'better-sqlite3';
import { PontError } from '../errors.ts';
import { forEachFieldLine, readTextFile } from './text-lines.ts';

/**
 * Relevance judgements: per query, the judged documents and their grades. Grades are integers; 0 and below are
 * not relevant, and a negative grade marks a document in the pool that was not judged (sampled out), as trec_eval
 * reads it.
 */
export interface Qrels {
  /** Where the judgements came from (a file name, or a query set), for error messages. */
  readonly source: string;
  readonly queries: Map<string, Map<string, number>>;
  /**
   * The first repeated judgement of each query. trec_eval refuses such a query, but only when it evaluates it, so
   * the check waits until then.
   */
  readonly duplicates: Map<string, { docno: string; line: number }>;
}

export function emptyQrels(source: string): Qrels {
  return { source, queries: new Map(), duplicates: new Map() };
}

export function addJudgement(qrels: Qrels, qid: string, docno: string, rel: number, line = 0): void {
  let docs = qrels.queries.get(qid);
  if (!docs) qrels.queries.set(qid, (docs = new Map()));
  if (docs.has(docno)) {
    if (!qrels.duplicates.has(qid)) qrels.duplicates.set(qid, { docno, line });
    return;
  }
  docs.set(docno, rel);
}

/** Parses TREC qrels text: `qid iter docno rel` per line, `rel` an integer. */
export function parseQrels(text: string, source: string): Qrels {
  const qrels = emptyQrels(source);
  forEachFieldLine(text, (f, line) => {
    if (f.length !== 4) {
      throw new PontError('bad_data', 'qrels.bad_fields', { file: source, line, count: f.length }, [
        { file: source, line, reason: `expected 4 fields, found ${f.length}` },
      ]);
    }
    const relText = f[3]!;
    if (!/^[+-]?\d+$/.test(relText) || !Number.isSafeInteger(Number(relText))) {
      throw new PontError('bad_data', 'qrels.bad_relevance', { file: source, line, value: relText }, [
        { file: source, line, field: 'rel', reason: `"${relText}" is not an integer` },
      ]);
    }
    addJudgement(qrels, f[0]!, f[2]!, Number(relText), line);
  });
  return qrels;
}

export function readQrels(file: string): Qrels {
  return parseQrels(readTextFile(file, 'qrels file'), file);
}

export function duplicateJudgementError(qrels: Qrels, qid: string): PontError | undefined {
  const d = qrels.duplicates.get(qid);
  if (!d) return undefined;
  return new PontError('bad_data', 'qrels.duplicate', { where: `${qrels.source}${d.line ? `, line ${d.line}` : ''}`, doc: d.docno, qid }, [
    { file: qrels.source, ...(d.line ? { line: d.line } : {}), field: 'docno', reason: `${d.docno} judged twice for query ${qid}` },
  ]);
}

/** The judgements stored with a query set of the workspace. */
export function qrelsOfQuerySet(db: Database.Database, querySet: string): Qrels {
  const set = db.prepare('SELECT id FROM query_sets WHERE name = ?').pluck().get(querySet) as number | undefined;
  if (set === undefined) {
    throw new PontError('not_found', 'qrels.unknown', { name: querySet }, [{ field: 'qrels', reason: `"${querySet}" is neither a file nor a query set` }]);
  }
  const qrels = emptyQrels(`query set ${querySet}`);
  for (const r of db.prepare('SELECT qid, doc_ext_id, rel FROM qrels WHERE query_set_id = ?').iterate(set) as Iterable<{ qid: string; doc_ext_id: string; rel: number }>) {
    addJudgement(qrels, r.qid, r.doc_ext_id, r.rel);
  }
  if (qrels.queries.size === 0) {
    throw new PontError('not_found', 'qrels.none', { name: querySet }, [{ field: 'qrels', reason: 'import them with pont qrels import' }]);
  }
  return qrels;
}
