import type Database from 'better-sqlite3';
import { PontError } from '../errors.ts';
import type { Bm25Params } from '../lexical/bm25.ts';
import { fuse } from '../lexical/fusion.ts';
import type { IndexReader } from '../lexical/reader.ts';
import { readIndex } from '../lexical/search.ts';
import { listIndexes, type IndexRow } from '../lexical/store.ts';
import { prepareQuery, topK, TopK, type ScoredDoc, type WeightedTerm } from '../lexical/topk.ts';
import { getCollection } from '../store/collections.ts';
import { channelLogProb } from './channel.ts';
import { lengthApplies, letters, lengthLogProb, type LengthModel } from './length.ts';
import { finalMark, markTable } from './marks.ts';
import { BridgeModel, bridgeAnalyzer, type Translation, type WordTranslation } from './model.ts';
import { psqTopK, type PsqConcept } from './psq.ts';

export interface BridgeQueryParams {
  /** Translations used per query word. */
  top: number;
  /** Weight of the untranslated query's n-grams against its translations' (1 each word) in the n-gram query. */
  originalWeight: number;
  /** Weight of the word-index run against the n-gram run's 1 when the two are fused. */
  wordWeight: number;
  /** Weight of the length model's log-probability (length.ts) added to the fused score; 0: not used. */
  lengthWeight: number;
  /** Weight of the noisy channel's log P(q | d) per query word (channel.ts), where the length model applies; 0: not used. */
  channelWeight: number;
  /** Weight of log P(query's final mark | document's) (marks.ts), where the length model applies; 0: not used. */
  markWeight: number;
}

/**
 * BM25 parameters of bridged searches: stronger length normalisation than plain BM25's b = 0.4. A translated query
 * matches many words of long documents by chance (function words, a word's secondary translations); on l10n-dev
 * (150 queries each of gd-en, af-nl, ca-fr) b = 0.75 gave MRR@10 +0.012, +0.016 and +0.019 over 0.4, b = 1 less.
 */
export const bridgeBm25: Bm25Params = { k1: 0.9, b: 0.75 };

/**
 * Chosen on the validation split of l10n-train (docs/bridge.md), never on l10n-dev: the word run at 0.6 beat 1 and
 * 0.4 on the six pairs measured, and length weights 0.06–0.1 were tied on the mean (0.1 the better on gd-en); the
 * channel and the final marks at 0.2 each (with the length at 0.1) had the best mean of seven pairs among the weights
 * tried that lost no pair of 250 pseudo-queries or more.
 */
export const defaultBridgeQuery: BridgeQueryParams = { top: 5, originalWeight: 0.2, wordWeight: 0.6, lengthWeight: 0.1, channelWeight: 0.2, markWeight: 0.2 };

/** A word index (for the structured query) and a character n-gram index (for spellings) of a collection. */
export interface BridgeIndexes {
  words: IndexReader | null;
  grams: IndexReader | null;
  /** The collection's language: a bridge into other languages does not apply to it. */
  lang?: string;
  /** A document's title and text, which the length model and the channel read. */
  docText?: (docId: number) => string;
  /** The collection's mean document length in those letters (a sample's), which says whether a length model applies. */
  meanLetters?: () => number;
}

/** Documents read for a collection's typical length: enough for a mean, cheap on every search. */
const LENGTH_SAMPLE = 1000;
const sampledMeans = new Map<string, number>();

/** The mean length of a collection's first documents, kept while the collection's size and documents stay the same. */
function meanLetters(db: Database.Database, collectionId: number, docText: (id: number) => string): number {
  const ids = db.prepare('SELECT id FROM documents WHERE collection_id = ? ORDER BY id LIMIT ?').pluck().all(collectionId, LENGTH_SAMPLE) as number[];
  const key = `${db.name}:${collectionId}:${ids.length}:${ids[0]}:${ids.at(-1)}`;
  let mean = sampledMeans.get(key);
  if (mean === undefined) {
    mean = ids.length ? ids.reduce((s, id) => s + letters(docText(id)), 0) / ids.length : 0;
    sampledMeans.set(key, mean);
  }
  return mean;
}

/**
 * Whether a bridge translates into the collection's language (`fr` in `ca,fr`; `ca` serves `ca-valencia`). A bridge
 * that does not is not used: its translations would match only the few words the languages happen to share (on
 * l10n-dev, Asturian through a bridge pooled from pairs into French and Catalan lost 0.13 MRR@10 to plain n-grams).
 */
export function bridgeApplies(to: string, lang: string | undefined): boolean {
  if (lang === undefined) return true;
  const primary = (t: string) => t.split('-')[0]!.toLowerCase();
  return to.split(',').some((t) => primary(t) === primary(lang));
}

/**
 * The indexes a bridged search uses: among those named (or else the collection's ready ones), the first word index
 * and the first n-gram index, accent-folded ones first.
 */
export function bridgeIndexes(db: Database.Database, collection: string, rows?: readonly IndexRow[]): BridgeIndexes {
  const all = rows ?? listIndexes(db, getCollection(db, collection).id).filter((i) => i.state === 'ready');
  const pick = (prefix: string) => {
    const of = all.filter((i) => i.analyzer.startsWith(prefix));
    const row = of.find((i) => i.analyzer.endsWith('+fold')) ?? of[0];
    return row ? readIndex(db, row) : null;
  };
  const text = db.prepare('SELECT title, text FROM documents WHERE id = ?');
  const docText = (id: number) => {
    const d = text.get(id) as { title: string | null; text: string } | undefined;
    return d ? `${d.title ?? ''} ${d.text}` : '';
  };
  const c = getCollection(db, collection);
  // Measured once for these indexes (a stage searches a whole query set with them), on the first bridged query.
  let mean: number | undefined;
  const out = { words: pick('words'), grams: pick('chargram'), lang: c.lang, docText, meanLetters: () => (mean ??= meanLetters(db, c.id, docText)) };
  if (!out.words && !out.grams) {
    throw new PontError('not_found', 'bridge.no_index', { collection }, [
      { field: 'index', reason: 'no word or n-gram index' },
    ]);
  }
  return out;
}

export interface BridgedResult {
  docs: ScoredDoc[];
  /** Each query word with the translations used. */
  translations: WordTranslation[];
  /** The weighted n-gram query (translations' and the query's own n-grams). */
  gramQuery: WeightedTerm[];
}

/**
 * Adds `penalty(doc)` (never positive) to each score of `ranked` (best first) and keeps the best k. Once a
 * document's score is below the k-th adjusted one no later document can enter: only documents that may still rank
 * are read, with the ranking of adjusting them all (test/bridge/length.test.ts, test/bridge/channel.test.ts).
 */
export function rankWithPenalty(ranked: readonly ScoredDoc[], k: number, penalty: (docId: number) => number): ScoredDoc[] {
  const heap = new TopK(k);
  for (const d of ranked) {
    if (d.score < heap.threshold) break;
    heap.offer(d.docId, d.score + penalty(d.docId));
  }
  return heap.sorted();
}

/** Adds weight × the length model's log-probability to each score of `ranked` (best first) and keeps the best k. */
export function rankByLength(ranked: readonly ScoredDoc[], k: number, weight: number, m: LengthModel, queryLetters: number, docLetters: (docId: number) => number): ScoredDoc[] {
  return rankWithPenalty(ranked, k, (id) => weight * lengthLogProb(m, queryLetters, docLetters(id)));
}

/** Translates the query's words through the bridge (each occurrence once; repeated words count in the weight). */
export function translateQuery(model: BridgeModel, text: string, top: number): { t: WordTranslation; count: number }[] {
  const counts = new Map<string, number>();
  for (const w of bridgeAnalyzer().terms(text)) counts.set(w, (counts.get(w) ?? 0) + 1);
  return [...counts].map(([w, count]) => ({ t: model.translate(w, top), count }));
}

/**
 * Keeps the translations the collection can match (some word index term of theirs occurs in it), renormalised: a
 * bridge pooled from pairs into several languages then serves each collection with the translations into its own
 * language, and no probability is spent on words no document has. Without a word index nothing is dropped.
 */
function inCollection(ix: BridgeIndexes, t: WordTranslation, top: number): Translation[] {
  const words = ix.words;
  if (!words) return t.translations.slice(0, top);
  const kept = t.translations.filter((x) => words.analyzer.terms(x.target).some((term) => words.df(term) > 0)).slice(0, top);
  const z = kept.reduce((a, x) => a + x.p, 0);
  return kept.map((x) => ({ target: x.target, p: x.p / z }));
}

/**
 * Bridged BM25: the query as a probabilistic structured query over the word index, and its translations' character
 * n-grams, blended with its own n-grams, as a weighted query over the n-gram index; the two runs are fused by
 * CombSUM of min–max normalised scores. A word the bridge cannot translate keeps only its own spelling.
 */
export function bridgedRetrieve(ix: BridgeIndexes, model: BridgeModel | null, text: string, k: number, p: BridgeQueryParams & Bm25Params): BridgedResult {
  // Without a bridge that applies, the query's own n-grams alone: plain n-gram BM25.
  if (!model) ix = { ...ix, words: null };
  // Every translation first, then the collection's best `top`: a pooled bridge's best five may all be in another language.
  const words = translateQuery(model ?? new BridgeModel(new Map()), text, Infinity).map(({ t, count }) => ({ t: { ...t, translations: inCollection(ix, t, p.top) }, count }));
  const runs: ScoredDoc[][] = [];
  const lengths = model?.lengths && p.lengthWeight > 0 && ix.docText && ix.meanLetters && lengthApplies(model.lengths, ix.meanLetters()) ? model.lengths : null;
  // Fusing two runs, or ranking by length, needs a run deeper than the k returned; one run alone is cut at k.
  const depth = (ix.words && ix.grams) || lengths ? Math.max(k, 100) : k;
  if (ix.words) {
    const a = ix.words.analyzer;
    const concepts: PsqConcept[] = words.map(({ t, count }) => {
      const ts = t.translations.length > 0 ? t.translations : [{ target: t.word, p: 1 }];
      return { weight: count, terms: ts.flatMap((x) => a.terms(x.target).map((term) => ({ term, p: x.p }))) };
    });
    runs.push(psqTopK(ix.words, concepts, depth, p));
  }
  const gramQuery: WeightedTerm[] = [];
  if (ix.grams) {
    const a = ix.grams.analyzer;
    for (const { t, count } of words) {
      const ts = t.translations.length > 0 ? t.translations : [{ target: t.word, p: 1 }];
      for (const x of ts) for (const term of a.terms(x.target)) gramQuery.push({ term, weight: count * x.p });
      for (const term of a.terms(t.word)) gramQuery.push({ term, weight: count * p.originalWeight });
    }
    runs.push(topK(ix.grams, prepareQuery(ix.grams, gramQuery), depth, p));
  }
  if (!lengths) {
    const docs = runs.length === 1 ? runs[0]!.slice(0, k) : fuse(runs, 'combsum', k, [p.wordWeight, 1]);
    return { docs, translations: words.map((w) => w.t), gramQuery };
  }
  // The length model's, the channel's and the final marks' log-probabilities are added to scores on the fused runs' scale (min–max
  // normalised, so a single run is normalised too); their weights were chosen on a validation split of l10n-train
  // (docs/bridge.md). Both speak of collections of strings like the training pairs, so both apply only there.
  const fused = fuse(runs, 'combsum', depth, runs.length === 2 ? [p.wordWeight, 1] : [1]);
  const channel = p.channelWeight > 0 ? model!.channel : null;
  const analyzer = bridgeAnalyzer();
  const queryWords = channel ? analyzer.terms(text) : [];
  const queryLetters = letters(text);
  const known = (w: string) => model!.table.has(w);
  const marks = p.markWeight > 0 && model!.marks ? markTable(model!.marks) : null;
  const queryMark = finalMark(text);
  const docs = rankWithPenalty(fused, k, (id) => {
    const doc = ix.docText!(id);
    let penalty = p.lengthWeight * lengthLogProb(lengths, queryLetters, letters(doc));
    if (channel) penalty += p.channelWeight * channelLogProb(channel, known, queryWords, analyzer.terms(doc));
    if (marks) penalty += p.markWeight * marks.logProb(queryMark, finalMark(doc));
    return penalty;
  });
  return { docs, translations: words.map((w) => w.t), gramQuery };
}
