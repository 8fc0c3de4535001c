import type Database from 'better-sqlite3';
import { pendingChanges } from '../lexical/changes.ts';
import { WordAligner } from '../lexical/align.ts';
import { buildHits, searchLanguages, searchTotal, type SearchOptions, type SearchResult } from '../lexical/search.ts';
import { getIndex } from '../lexical/store.ts';
import { bridgeAnalyzer } from './model.ts';
import { bridgeApplies, bridgeBm25, bridgedRetrieve, bridgeIndexes, defaultBridgeQuery, type BridgeQueryParams } from './retrieve.ts';
import { loadBridge } from './store.ts';

/** Correspondences less likely than this are left out of "why this result": they explain little and read as noise. */
const SHOWN_FROM = 0.05;

export interface BridgedSearchOptions extends Omit<SearchOptions, 'rm3' | 'fusion'>, Partial<BridgeQueryParams> {
  bridge: string;
}

/**
 * A search through a bridge: ranked as bridgedRetrieve does, and each hit lists the correspondences that matched it
 * (a query word, a translation found among the document's words, its probability), so a user sees why an Occitan
 * query found a French string (`lenga → langue 0.81`).
 */
export function bridgedSearch(db: Database.Database, collection: string, query: string, o: BridgedSearchOptions): SearchResult {
  const started = performance.now();
  const { info, model } = loadBridge(db, o.bridge);
  const ix = bridgeIndexes(db, collection, o.indexes?.map((n) => getIndex(db, collection, n)));
  const params = { k1: o.k1 ?? bridgeBm25.k1, b: o.b ?? bridgeBm25.b, top: o.top ?? defaultBridgeQuery.top, originalWeight: o.originalWeight ?? defaultBridgeQuery.originalWeight, wordWeight: o.wordWeight ?? defaultBridgeQuery.wordWeight, lengthWeight: o.lengthWeight ?? defaultBridgeQuery.lengthWeight, channelWeight: o.channelWeight ?? defaultBridgeQuery.channelWeight, markWeight: o.markWeight ?? defaultBridgeQuery.markWeight };
  const want = o.k + (o.offset ?? 0);
  const r = bridgedRetrieve(ix, bridgeApplies(info.to, ix.lang) ? model : null, query, want, params);
  const readers = [ix.grams, ix.words].filter((x) => x !== null);
  const wordTerms = r.translations.flatMap((t) => t.translations.map((x) => x.target));
  const termSets = readers.map((reader) =>
    reader === ix.grams ? new Set(r.gramQuery.map((t) => t.term)) : new Set(wordTerms.flatMap((w) => reader.analyzer.terms(w))),
  );
  // Document words that match a translation are highlighted as the query word's counterparts.
  const candidates = r.translations.flatMap((t) => t.translations.map((x) => ({ query: t.word, target: x.target, weight: x.p })));
  const ranked = r.docs.slice(o.offset ?? 0, want);
  const hits = buildHits(db, readers, termSets, ranked, o, new WordAligner(query, searchLanguages(db, collection, o.variety ?? info.from), candidates));
  const analyzer = bridgeAnalyzer();
  const text = db.prepare('SELECT title, text FROM documents WHERE ext_id = ? AND collection_id = (SELECT id FROM collections WHERE name = ?)');
  for (const h of hits) {
    const doc = text.get(h.id, collection) as { title: string | null; text: string };
    const present = new Set(analyzer.terms(`${doc.title ?? ''} ${doc.text}`));
    h.bridged = r.translations.flatMap((t) =>
      t.translations.filter((x) => x.target !== t.word && x.p >= SHOWN_FROM && present.has(x.target)).map((x) => ({ query: t.word, target: x.target, weight: x.p })),
    );
  }
  return {
    collection,
    query,
    indexes: readers.map((x) => ({ name: x.row.name, analyzer: x.row.analyzer })),
    fusion: readers.length > 1 ? 'combsum' : null,
    k1: params.k1,
    b: params.b,
    rm3: null,
    terms: Object.fromEntries(readers.map((x, i) => [x.row.name, [...termSets[i]!].map((term) => ({ term, weight: 1 }))])),
    documents: readers[0]!.liveDocs,
    pendingChanges: Math.max(...readers.map((x) => pendingChanges(db, x.row))),
    hits,
    total: searchTotal(ranked.length, o, readers, termSets),
    milliseconds: performance.now() - started,
    bridge: { name: info.name, from: info.from, to: info.to, translations: r.translations },
  };
}
