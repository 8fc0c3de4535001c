import type Database from 'better-sqlite3';
import { PontError } from '../errors.ts';
import { getCollection } from '../store/collections.ts';
import { readSnapshot, writeIfFree } from '../store/snapshot.ts';
import { defaultBm25, type Bm25Params } from './bm25.ts';
import { applyChanges, pendingChanges } from './changes.ts';
import { fuse, type FusionMethod } from './fusion.ts';
import { openReader, type IndexReader } from './reader.ts';
import { defaultRm3, rm3Expand, type Rm3Params } from './rm3.ts';
import { WordAligner, type WordMatch } from './align.ts';
import { makeSnippet, type Highlight, type Snippet } from './snippet.ts';
import { getIndex, listIndexes, type IndexRow } from './store.ts';
import { prepareQuery, topK, topKExhaustive, type ScoredDoc, type WeightedTerm } from './topk.ts';

export interface RetrieveOptions extends Bm25Params {
  k: number;
  rm3?: Rm3Params | undefined;
  /** Score every posting instead of pruning (the reference scorer; same results, slower). */
  exhaustive?: boolean;
}

export interface Retrieved {
  docs: ScoredDoc[];
  /** The analysed query, and after RM3 the expanded weighted query that produced `docs`. */
  terms: WeightedTerm[];
  expanded?: WeightedTerm[];
}

/** Up to this many pending document changes are consumed by a search itself; more wait for `index build`. */
export const CATCH_UP_ON_SEARCH = 5000;

/** Opens an index for reading, first consuming the documents written since it was last brought up to date. */
export function readIndex(db: Database.Database, row: IndexRow): IndexReader {
  if (row.state !== 'ready') {
    throw new PontError('unavailable', 'index.building', { name: row.name }, [{ field: 'index', reason: 'build not finished' }]);
  }
  const pending = pendingChanges(db, row);
  // When another connection is writing (a build, an import), the search reads the index as it is, changes pending.
  if (pending > 0 && pending <= CATCH_UP_ON_SEARCH && writeIfFree(db, () => applyChanges(db, row))) {
    row = db.prepare('SELECT * FROM lexical_indexes WHERE id = ?').get(row.id) as IndexRow;
  }
  return openReader(db, row);
}

export function analyzeQuery(reader: IndexReader, text: string): WeightedTerm[] {
  return reader.analyzer.terms(text).map((term) => ({ term, weight: 1 }));
}

export function retrieve(db: Database.Database, reader: IndexReader, text: string, o: RetrieveOptions): Retrieved {
  const terms = analyzeQuery(reader, text);
  const run = (q: WeightedTerm[], k: number) => (o.exhaustive ? topKExhaustive : topK)(reader, prepareQuery(reader, q), k, o);
  if (!o.rm3) return { docs: run(terms, o.k), terms };
  const first = run(terms, o.rm3.fbDocs);
  const expanded = rm3Expand(db, reader, terms, first, o.rm3);
  return { docs: run(expanded, o.k), terms, expanded };
}

/**
 * The index a search uses when none is named: the collection's character n-gram index when it has one (folded
 * first), else its word index. On five of seven l10n-dev pairs the n-gram index alone beat fusing it with a word index (MRR@10
 * oc-fr 0.674 alone, 0.605 fused by CombSUM, 0.501 by RRF; see docs/lexical.md); fusion stays available by naming
 * several indexes.
 */
export function defaultIndexes(db: Database.Database, collection: string): IndexRow[] {
  const c = getCollection(db, collection);
  const all = listIndexes(db, c.id).filter((i) => i.state === 'ready');
  if (all.length === 0) {
    throw new PontError('not_found', 'index.none', { collection }, [
      { field: 'index', reason: 'no index' },
    ]);
  }
  const grams = all.filter((i) => i.analyzer.startsWith('chargram'));
  return [grams.find((i) => i.analyzer.endsWith('+fold')) ?? grams[0] ?? all.find((i) => i.analyzer.startsWith('words')) ?? all[0]!];
}

/** The indexes named by a search or run (several are fused), or the default one. */
export function resolveIndexes(db: Database.Database, collection: string, names: readonly string[] | undefined): IndexRow[] {
  return names && names.length > 0 ? names.map((n) => getIndex(db, collection, n)) : defaultIndexes(db, collection);
}

export interface SearchOptions extends Partial<Bm25Params> {
  /** Indexes to search (their results fused); by default the collection's n-gram index. */
  indexes?: readonly string[] | undefined;
  k: number;
  offset?: number;
  rm3?: boolean | Partial<Rm3Params> | undefined;
  fusion?: FusionMethod;
  snippetChars?: number;
  /** The variety the query is written in: its stopwords (and its neighbours') are never highlighted. */
  variety?: string | undefined;
}

export interface SearchHit {
  rank: number;
  /** The document's external id, as in qrels and run files. */
  id: string;
  score: number;
  title: string | null;
  titleHighlights: Highlight[];
  snippet: Snippet;
  /** Query terms (analysed: stems or n-grams) found in the document: for researchers. */
  matchedTerms: string[];
  /** Which words of the query the document answers with which of its words (title first), for people. */
  matches: WordMatch[];
  /** In a bridged search: the learned correspondences (query word → document word, probability) that matched. */
  bridged?: { query: string; target: string; weight: number }[];
}

export interface SearchResult {
  collection: string;
  query: string;
  /** The indexes searched, with their analysers; several when fused. */
  indexes: { name: string; analyzer: string }[];
  fusion: FusionMethod | null;
  k1: number;
  b: number;
  rm3: Rm3Params | null;
  /** The analysed query terms per index (after RM3, the expanded weighted query). */
  terms: Record<string, WeightedTerm[]>;
  documents: number;
  /** Document changes the index has not consumed yet (more than a search catches up with): run index build. */
  pendingChanges: number;
  hits: SearchHit[];
  total: SearchTotal;
  milliseconds: number;
  /** In a bridged search: the bridge, and each query word's translations. */
  bridge?: { name: string; from: string; to: string; translations: { word: string; via: string[]; translations: { target: string; p: number }[] }[] };
}

/** How many documents match: exact when the ranking ended before `k`, else estimated from the terms' frequencies. */
export interface SearchTotal {
  value: number;
  exact: boolean;
}

/**
 * The total to show with a page of hits. Past the page's end, about how many documents hold at least one query term,
 * taking terms as independent: N·(1 − Π(1 − df/N)); good enough to tell dozens from thousands, at one term lookup
 * per query term.
 */
export function searchTotal(ranked: number, o: Pick<SearchOptions, 'k' | 'offset'>, readers: readonly IndexReader[], termSets: readonly Set<string>[]): SearchTotal {
  const reached = (o.offset ?? 0) + ranked;
  if (ranked < o.k) return { value: reached, exact: true };
  let estimate = 0;
  readers.forEach((reader, r) => {
    const n = reader.liveDocs;
    if (n === 0) return;
    let none = 1;
    for (const t of termSets[r]!) none *= 1 - Math.min(1, reader.df(t) / n);
    estimate = Math.max(estimate, Math.round(n * (1 - none)));
  });
  return { value: Math.max(reached, estimate), exact: false };
}

export function rm3Params(rm3: boolean | Partial<Rm3Params> | undefined): Rm3Params | undefined {
  if (!rm3) return undefined;
  return { ...defaultRm3, ...(rm3 === true ? {} : rm3) };
}

export function search(db: Database.Database, collection: string, query: string, o: SearchOptions): SearchResult {
  return readSnapshot(db, () => searchNow(db, collection, query, o));
}

function searchNow(db: Database.Database, collection: string, query: string, o: SearchOptions): SearchResult {
  const started = performance.now();
  const rows = resolveIndexes(db, collection, o.indexes);
  const params = { k1: o.k1 ?? defaultBm25.k1, b: o.b ?? defaultBm25.b };
  const rm3 = rm3Params(o.rm3);
  const want = o.k + (o.offset ?? 0);
  const readers = rows.map((r) => readIndex(db, r));
  const results = readers.map((reader) => retrieve(db, reader, query, { ...params, k: rows.length > 1 ? Math.max(100, want) : want, rm3 }));
  const fusion = rows.length > 1 ? (o.fusion ?? 'combsum') : null;
  const docs = (fusion ? fuse(results.map((r) => r.docs), fusion, want) : results[0]!.docs).slice(o.offset ?? 0, want);
  const termSets = results.map((r) => new Set((r.expanded ?? r.terms).map((t) => t.term)));
  const hits = buildHits(db, readers, termSets, docs, o, new WordAligner(query, searchLanguages(db, collection, o.variety)));
  return {
    collection,
    query,
    indexes: rows.map((r) => ({ name: r.name, analyzer: r.analyzer })),
    fusion,
    ...params,
    rm3: rm3 ?? null,
    terms: Object.fromEntries(rows.map((r, i) => [r.name, results[i]!.expanded ?? results[i]!.terms])),
    documents: readers[0]!.liveDocs,
    pendingChanges: Math.max(...readers.map((r) => pendingChanges(db, r.row))),
    hits,
    total: searchTotal(docs.length, o, readers, termSets),
    milliseconds: performance.now() - started,
  };
}

/** The languages whose stopwords a search never highlights: the collection's and the query's. */
export function searchLanguages(db: Database.Database, collection: string, variety: string | undefined): string[] {
  return [getCollection(db, collection).lang, ...(variety ? [variety] : [])];
}

/**
 * Search hits for ranked documents: the index terms found in each (for researchers), and the words of its title
 * and text that answer the query's words, highlighted whole (see align.ts).
 */
export function buildHits(
  db: Database.Database,
  readers: readonly IndexReader[],
  termSets: readonly Set<string>[],
  docs: readonly ScoredDoc[],
  o: Pick<SearchOptions, 'offset' | 'snippetChars'>,
  aligner: WordAligner,
): SearchHit[] {
  const get = db.prepare('SELECT ext_id, title, text FROM documents WHERE id = ?');
  // An index with many pending changes may still hold documents deleted since: leave those out.
  const found = docs.flatMap((d) => {
    const doc = get.get(d.docId) as { ext_id: string; title: string | null; text: string } | undefined;
    return doc ? [{ d, doc }] : [];
  });
  return found.map(({ d, doc }, i) => {
    const matched = new Set<string>();
    readers.forEach((reader, r) => {
      const docTerms = new Set(reader.analyzer.terms(`${doc.title ?? ''} ${doc.text}`));
      for (const t of termSets[r]!) if (docTerms.has(t)) matched.add(t);
    });
    const title = aligner.align(doc.title ?? '');
    const body = aligner.align(doc.text);
    const seen = new Set<string>();
    const matches = [...title.matches, ...body.matches].filter((m) => {
      const key = `${m.query}\0${m.document.toLowerCase()}`;
      return !seen.has(key) && seen.add(key);
    });
    return {
      rank: (o.offset ?? 0) + i + 1,
      id: doc.ext_id,
      score: d.score,
      title: doc.title,
      titleHighlights: title.spans,
      snippet: makeSnippet(doc.text, body.spans, o.snippetChars),
      matchedTerms: [...matched].sort(),
      matches,
    };
  });
}
