import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { primaryLanguage } from '../analysis/languages.ts';
import { PontError } from '../errors.ts';
import { addJudgement, emptyQrels, type Qrels } from '../eval/qrels.ts';
import type { JobContext } from '../jobs/progress.ts';
import { chunked, type PairRecordIn } from '../pairs/chunks.ts';
import { documentText, numbered } from '../pairs/derive.ts';
import { recordLoop, writePairSet, type PairImportReport } from '../pairs/importer.ts';
import { deletePairSet, findPairSet } from '../pairs/store.ts';
import { getCollection } from '../store/collections.ts';

/** One judgement as stored: a query typed in a variety, a document of the collection, helpful or not. */
export interface Judgement {
  collection: string;
  variety: string;
  query: string;
  /** The TREC topic id the query gets in exports: the variety and a hash of the query, the same at every export. */
  qid: string;
  doc: string;
  helpful: boolean;
  updatedAt: string;
}

export interface FeedbackSummary {
  collection: string;
  variety: string;
  queries: number;
  judgements: number;
  helpful: number;
}

const normaliseQuery = (q: string) => q.replace(/\s+/g, ' ').trim();

export function queryId(variety: string, query: string): string {
  return `${variety}-${createHash('sha256').update(normaliseQuery(query).toLowerCase()).digest('hex').slice(0, 10)}`;
}

/** Records a user's judgement of one result (a second one for the same result replaces the first). */
export function markResult(db: Database.Database, o: { collection: string; variety: string; query: string; doc: string; helpful: boolean }): Judgement {
  const c = getCollection(db, o.collection);
  if (!db.prepare('SELECT 1 FROM documents WHERE collection_id = ? AND ext_id = ?').get(c.id, o.doc)) {
    throw new PontError('not_found', 'document.missing', { id: o.doc, collection: o.collection }, [{ field: 'doc', reason: 'not found' }]);
  }
  const variety = primaryLanguage(o.variety);
  const query = normaliseQuery(o.query);
  db.prepare(
    `INSERT INTO community_judgements (collection_id, variety, query, doc_ext_id, helpful) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (collection_id, variety, query, doc_ext_id) DO UPDATE SET helpful = excluded.helpful, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
  ).run(c.id, variety, query, o.doc, o.helpful ? 1 : 0);
  return listJudgements(db, o.collection, variety).find((j) => j.query === query && j.doc === o.doc)!;
}

export function listJudgements(db: Database.Database, collection: string, variety: string): Judgement[] {
  const c = getCollection(db, collection);
  const rows = db
    .prepare('SELECT variety, query, doc_ext_id, helpful, updated_at FROM community_judgements WHERE collection_id = ? AND variety = ? ORDER BY query, doc_ext_id')
    .all(c.id, primaryLanguage(variety)) as { variety: string; query: string; doc_ext_id: string; helpful: number; updated_at: string }[];
  return rows.map((r) => ({ collection, variety: r.variety, query: r.query, qid: queryId(r.variety, r.query), doc: r.doc_ext_id, helpful: r.helpful === 1, updatedAt: r.updated_at }));
}

export function feedbackSummary(db: Database.Database): FeedbackSummary[] {
  return db
    .prepare(
      `SELECT c.name AS collection, j.variety, count(DISTINCT j.query) AS queries, count(*) AS judgements, sum(j.helpful) AS helpful
       FROM community_judgements j JOIN collections c ON c.id = j.collection_id GROUP BY c.name, j.variety ORDER BY c.name, j.variety`,
    )
    .all() as FeedbackSummary[];
}

/** The judgements as qrels: helpful is relevance 1, not helpful 0 (judged, not relevant), as TREC assessors record. */
export function judgementQrels(judgements: readonly Judgement[], source: string): Qrels {
  const q = emptyQrels(source);
  for (const j of judgements) addJudgement(q, j.qid, j.doc, j.helpful ? 1 : 0);
  return q;
}

/** TREC qrels (`qid 0 docno rel`) and the queries they judge (`qid<TAB>text`), ready to import or evaluate with. */
export function exportJudgements(judgements: readonly Judgement[]): { qrels: string; queries: string } {
  const queries = new Map(judgements.map((j) => [j.qid, j.query]));
  return {
    qrels: judgements.map((j) => `${j.qid} 0 ${j.doc} ${j.helpful ? 1 : 0}\n`).join(''),
    queries: [...queries].map(([qid, text]) => `${qid}\t${text}\n`).join(''),
  };
}

/**
 * The helpful judgements as a training set (the query in its variety ↔ the document's title and text), through the
 * training-set importer, so the set resumes, reports and fingerprints like any other. The set is rebuilt from the
 * judgements each time: a judgement changed since the last export must not survive in it.
 */
export async function judgementPairs(db: Database.Database, o: { collection: string; variety: string; name: string }, ctx: JobContext): Promise<PairImportReport> {
  const c = getCollection(db, o.collection);
  const judged = listJudgements(db, o.collection, o.variety).filter((j) => j.helpful);
  if (judged.length === 0) {
    throw new PontError('not_found', 'feedback.none_helpful', { collection: o.collection, variety: o.variety }, [{ field: 'variety', reason: 'no helpful judgements' }]);
  }
  if (findPairSet(db, o.name)) deletePairSet(db, o.name);
  const text = db.prepare('SELECT title, text FROM documents WHERE collection_id = ? AND ext_id = ?');
  const source = `community judgements (${o.variety}) of ${o.collection}`;
  function* records(): Generator<PairRecordIn> {
    for (const j of judged) {
      const d = text.get(c.id, j.doc) as { title: string | null; text: string } | undefined;
      if (d) yield { id: `${j.qid}:${j.doc}`, low: j.query, high: documentText(d.title, d.text), weight: 1 };
      else yield { problem: 'warning', field: 'doc', reason: `judgement ${j.qid} ${j.doc}: the document is no longer in ${o.collection}` };
    }
  }
  const stamp = createHash('sha256').update(JSON.stringify(judged.map((j) => [j.qid, j.doc, j.updatedAt]))).digest('hex').slice(0, 32);
  return writePairSet(
    db,
    { name: o.name, from: primaryLanguage(o.variety), to: c.lang, format: 'judgements', strict: false, file: source },
    { jobFormat: 'community-judgements', source, fingerprint: `sha256:${stamp}`, notes: [], run: recordLoop((skip) => chunked(numbered(records()), skip, () => 0), 0) },
    ctx,
  );
}
