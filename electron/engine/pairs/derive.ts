import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { PontError } from '../errors.ts';
import type { JobContext } from '../jobs/progress.ts';
import { getCollection, getQuerySet } from '../store/collections.ts';
import type { Workspace } from '../store/workspace.ts';
import '../pipeline/kinds.ts';
import { buildPipeline, type PipelineSpec } from '../pipeline/registry.ts';
import { chunked, type PairRecordIn } from './chunks.ts';
import { recordLoop, writePairSet, type PairImportReport } from './importer.ts';
import { getPairSet, readPairs } from './store.ts';

/** A document as the high side of a pair: its title and text as one line of text. */
export function documentText(title: string | null, text: string): string {
  return `${title ?? ''} ${text}`.replace(/\s+/g, ' ').trim();
}

const sameText = (a: string, b: string) => a.replace(/\s+/g, ' ').trim().toLowerCase() === b.replace(/\s+/g, ' ').trim().toLowerCase();

const PAGE = 1000;

interface DocRow {
  id: number;
  ext_id: string;
  title: string | null;
  text: string;
}

/** A collection's documents in storage order, a page at a time (the caller writes between pages). */
function* documents(db: Database.Database, collectionId: number): Generator<DocRow> {
  const page = db.prepare('SELECT id, ext_id, title, text FROM documents WHERE collection_id = ? AND id > ? ORDER BY id LIMIT ?');
  for (let after = 0; ; ) {
    const rows = page.all(collectionId, after, PAGE) as DocRow[];
    yield* rows;
    if (rows.length < PAGE) return;
    after = rows[rows.length - 1]!.id;
  }
}

function hash(...parts: unknown[]): string {
  return `sha256:${createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32)}`;
}

export async function* numbered(records: Iterable<PairRecordIn> | AsyncIterable<PairRecordIn>): AsyncGenerator<{ record: PairRecordIn; line: number }> {
  let n = 0;
  for await (const record of records) yield { record, line: ++n };
}

export interface FromQrelsOptions {
  queries: string;
  name: string;
  /** The lowest grade that counts as relevant (trec_eval's -l). */
  minRel: number;
}

/**
 * Pairs from a query set and its judgements: each query with the text of each document judged relevant to it, the
 * grade as the pair's weight. The query set's variety is the low side, the collection's language the high side.
 */
export function pairsFromQrels(db: Database.Database, o: FromQrelsOptions, ctx: JobContext): Promise<PairImportReport> {
  const qs = getQuerySet(db, o.queries);
  const collection = db.prepare('SELECT * FROM collections WHERE id = ?').get(qs.collection_id) as { id: number; name: string; lang: string };
  const judged = db.prepare('SELECT qid, doc_ext_id, rel FROM qrels WHERE query_set_id = ? ORDER BY qid, doc_ext_id').raw().iterate(qs.id);
  const stamp = createHash('sha256');
  let n = 0;
  for (const row of judged) {
    stamp.update(JSON.stringify(row));
    n++;
  }
  if (n === 0) throw new PontError('not_found', 'pairs.no_judgements', { name: o.queries }, [{ field: 'queries', reason: 'import its qrels first: pont qrels import' }]);
  const source = `qrels of ${qs.name} over ${collection.name}`;
  function* records(): Generator<PairRecordIn> {
    const rows = db
      .prepare(
        `SELECT r.qid, r.doc_ext_id AS doc, r.rel, q.text AS query, d.title, d.text
         FROM qrels r LEFT JOIN queries q ON q.query_set_id = r.query_set_id AND q.qid = r.qid
         LEFT JOIN documents d ON d.collection_id = ? AND d.ext_id = r.doc_ext_id
         WHERE r.query_set_id = ? AND r.rel >= ? ORDER BY r.qid, r.doc_ext_id`,
      )
      .all(collection.id, qs.id, o.minRel) as { qid: string; doc: string; rel: number; query: string | null; title: string | null; text: string | null }[];
    for (const r of rows) {
      const field = `${r.qid} ${r.doc}`;
      if (r.query === null) yield { problem: 'warning', field: 'qid', reason: `judgement ${field}: no query "${r.qid}" in ${qs.name}` };
      else if (r.text === null) yield { problem: 'warning', field: 'docid', reason: `judgement ${field}: no document "${r.doc}" in ${collection.name}` };
      else yield { id: `${r.qid}:${r.doc}`, low: r.query, high: documentText(r.title, r.text), weight: r.rel };
    }
  }
  return writePairSet(
    db,
    { name: o.name, from: qs.lang, to: collection.lang, format: 'qrels', strict: false, file: source },
    {
      jobFormat: `qrels(rel>=${o.minRel})`,
      source,
      fingerprint: `sha256:${stamp.digest('hex').slice(0, 32)}`,
      notes: [],
      run: recordLoop((skip) => chunked(numbered(records()), skip, () => 0), 0),
    },
    ctx,
  );
}

export interface FromTitlesOptions {
  collection: string;
  name: string;
  /** Use each document's first sentence (and pair it with the rest) instead of its title. */
  firstSentence: boolean;
}

/** The first sentence of a text and the rest, by the language's sentence rules (Intl.Segmenter). */
function firstSentence(text: string, lang: string): [string, string] | undefined {
  const seg = new Intl.Segmenter(lang, { granularity: 'sentence' }).segment(text)[Symbol.iterator]().next();
  if (seg.done) return undefined;
  const first = seg.value.segment.trim();
  const rest = text.slice(seg.value.segment.length).trim();
  return first && rest ? [first, rest] : undefined;
}

/**
 * Weak supervision (Shi et al.): each document's title, or its first sentence, as a pseudo-query for the document
 * itself (without that sentence). Both sides are in the collection's language; documents without a title (or with
 * a single sentence) give no pair and are counted.
 */
export function pairsFromTitles(db: Database.Database, o: FromTitlesOptions, ctx: JobContext): Promise<PairImportReport> {
  const c = getCollection(db, o.collection);
  const stamp = [db.prepare('SELECT count(*) AS n, max(id) AS last FROM documents WHERE collection_id = ?').get(c.id), c.updated_at];
  let skipped = 0;
  const what = o.firstSentence ? 'first sentences' : 'titles';
  async function* records(): AsyncGenerator<PairRecordIn> {
    for (const d of documents(db, c.id)) {
      const split = o.firstSentence ? firstSentence(d.text, c.lang) : d.title?.trim() ? [d.title.trim(), d.text] : undefined;
      if (!split) {
        skipped++;
        continue;
      }
      yield { id: d.ext_id, low: split[0]!.replace(/\s+/g, ' ').trim(), high: split[1]!.replace(/\s+/g, ' ').trim() };
    }
  }
  const source = `${what} of ${c.name}`;
  return writePairSet(
    db,
    { name: o.name, from: c.lang, to: c.lang, format: o.firstSentence ? 'first-sentences' : 'titles', strict: false, file: source },
    {
      jobFormat: o.firstSentence ? 'first-sentences' : 'titles',
      source,
      fingerprint: hash(stamp),
      notes: [],
      run: recordLoop((skip) => chunked(numbered(records()), skip, () => 0), 0),
      after: () => (skipped ? [`${skipped} documents have no ${o.firstSentence ? 'second sentence' : 'title'} and give no pair`] : []),
    },
    ctx,
  );
}

export interface MineOptions {
  /** The set to mine for, and the set to write (its pairs, each with the negatives found). */
  pairs: string;
  name: string;
  collection: string;
  /** Any pipeline declaration; by default BM25 over `index` (or the collection's n-gram index). */
  pipeline?: PipelineSpec;
  index?: string;
  /** Candidates scoring within this fraction of the positive's score are skipped as likely unjudged positives. */
  margin: number;
  /** Candidates looked at per pair, and negatives kept per pair. */
  depth: number;
  perPair: number;
}

const QUERY_BATCH = 200;

/**
 * Hard negatives mined with a Pont pipeline: each pair's low side is run as a query over the collection, and the
 * best candidates that are not the positive (a document whose text is the pair's high side) become its negatives,
 * skipping any that score within `margin` of the positive: near-duplicates of the answer are likely relevant too,
 * and training against them hurts. A pair whose positive is not among the `depth` candidates gets no negatives:
 * without its score no margin can be kept (raise --depth). Negatives the pair already had are kept first.
 */
export async function mineNegatives(workspace: Workspace, o: MineOptions, ctx: JobContext): Promise<PairImportReport> {
  const db = workspace.db;
  const set = getPairSet(db, o.pairs);
  const c = getCollection(db, o.collection);
  if (o.name === o.pairs) throw new PontError('invalid_input', 'pairs.mine_same_set', {}, [{ field: 'name', reason: 'same as the source set' }]);
  const spec: PipelineSpec = o.pipeline ?? { bm25: { ...(o.index ? { index: o.index } : {}), k: o.depth } };
  const stage = buildPipeline(spec);
  const docText = db.prepare('SELECT title, text FROM documents WHERE collection_id = ? AND ext_id = ?');
  const stats = { unretrieved: 0, mined: 0 };
  async function* records(skip: number): AsyncGenerator<PairRecordIn> {
    let batch: { id: string; low: string; high: string; weight: number; negatives: string[] }[] = [];
    const flush = async function* (): AsyncGenerator<PairRecordIn> {
      // The job reports pairs done; the stage's own per-batch progress would only make the bar flicker.
      const results = await stage.run(batch.map((p, i) => ({ qid: String(i), text: p.low })), { signal: ctx.signal, progress: () => {}, workspace, collection: c.name });
      for (const [i, p] of batch.entries()) {
        const hits = (results.get(String(i)) ?? []).slice(0, o.depth).map((h) => {
          const d = docText.get(c.id, h.docId) as { title: string | null; text: string } | undefined;
          return { score: h.score, text: d ? documentText(d.title, d.text) : undefined };
        });
        const positive = hits.find((h) => h.text !== undefined && sameText(h.text, p.high));
        const negatives = [...p.negatives];
        if (!positive) stats.unretrieved++;
        else {
          const ceiling = positive.score - o.margin * Math.abs(positive.score);
          for (const h of hits) {
            if (negatives.length >= p.negatives.length + o.perPair) break;
            if (h.text === undefined || h.score >= ceiling || sameText(h.text, p.high) || negatives.some((n) => sameText(n, h.text!))) continue;
            negatives.push(h.text);
            stats.mined++;
          }
        }
        yield { id: p.id, low: p.low, high: p.high, weight: p.weight, negatives };
      }
      batch = [];
    };
    let n = 0;
    for (const p of readPairs(db, set.name)) {
      if (n++ < skip) continue;
      batch.push(p);
      if (batch.length >= QUERY_BATCH) yield* flush();
    }
    if (batch.length > 0) yield* flush();
  }
  const source = `${set.name} mined with ${stage.label} over ${c.name}`;
  const params = { margin: o.margin, depth: o.depth, perPair: o.perPair };
  return writePairSet(
    db,
    { name: o.name, from: set.from, to: set.to, format: 'mined', strict: false, file: source },
    {
      jobFormat: `mined(${JSON.stringify(params)})`,
      source,
      fingerprint: hash(set.fingerprint, stage.provenance, params, c.name),
      notes: [],
      run: recordLoop((skip) => chunked(numbered(records(skip)), 0, () => 0, QUERY_BATCH, skip), 0),
      after: () => [
        `${stats.mined} negatives mined`,
        ...(stats.unretrieved ? [`${stats.unretrieved} pairs whose positive is not among the top ${o.depth} got no mined negatives (raise --depth)`] : []),
      ],
    },
    ctx,
  );
}
