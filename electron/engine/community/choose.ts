import type Database from 'better-sqlite3';
import { primaryLanguage } from '../analysis/languages.ts';
import { neighboursOf, sameLanguage } from '../analysis/varieties.ts';
import { listBridges, type BridgeInfo } from '../bridge/store.ts';
import type { ModelManifest } from '../models/manifest.ts';
import { getCollection } from '../store/collections.ts';

/**
 * How Pont searches a collection for someone writing in a given variety: the best it has for that pair.
 *
 * - `same-language`: the query is in the collection's language; character n-grams (and words) need no bridge.
 * - `bridge`: a bridge learned for exactly this pair (variety → collection language), fused with the n-gram index.
 * - `neighbour-bridge`: none for the variety, but one for its nearest neighbour that has one (Catalan's for
 *   Occitan), per the table in analysis/varieties.ts.
 * - `ngrams`: nothing learned for the pair: character n-grams alone, which still match shared spellings.
 *
 * An encoder Pont trained for the pair (its manifest's training record names the variety and the language) whose
 * dense index of the collection exists is added to any of them.
 */
export type ChoiceKind = 'same-language' | 'bridge' | 'neighbour-bridge' | 'ngrams';

export interface SearchChoice {
  kind: ChoiceKind;
  /** The variety the user writes in, and the collection's language. */
  variety: string;
  language: string;
  bridge?: { name: string; from: string; to: string };
  encoder?: { model: string };
  /** The choice in plain English, for the command line (interfaces say it in their own language from the fields). */
  description: string;
}

const englishNames = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'code' });
const english = (tag: string) => englishNames.of(tag) ?? tag;

/** The newest ready bridge from `from` to `to`: a retrained bridge supersedes the one before it. */
function bridgeFor(bridges: readonly BridgeInfo[], from: string, to: string): BridgeInfo | undefined {
  return bridges
    .filter((b) => b.state === 'ready' && sameLanguage(b.from, from) && sameLanguage(b.to, to))
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || b.id - a.id)[0];
}

/** A model Pont trained for this pair, with a dense index of the collection to search. */
function encoderFor(db: Database.Database, collectionId: number, variety: string, language: string): string | undefined {
  const rows = db
    .prepare("SELECT m.name, m.manifest FROM models m JOIN dense_indexes d ON d.model = m.name WHERE d.collection_id = ? AND d.state = 'ready' ORDER BY m.imported_at DESC")
    .all(collectionId) as { name: string; manifest: string }[];
  return rows.find((r) => {
    const t = (JSON.parse(r.manifest) as ModelManifest).training;
    return t !== undefined && sameLanguage(t.to, language) && t.from.some((f) => sameLanguage(f, variety));
  })?.name;
}

export function describeChoice(c: Omit<SearchChoice, 'description'>): string {
  const base =
    c.kind === 'same-language'
      ? `${english(c.language)} words and spellings`
      : c.kind === 'bridge'
        ? `${english(c.bridge!.from)} → ${english(c.bridge!.to)} bridge`
        : c.kind === 'neighbour-bridge'
          ? `${english(c.bridge!.from)} → ${english(c.bridge!.to)} bridge (the nearest to ${english(c.variety)})`
          : `similar spellings (no bridge for ${english(c.variety)} → ${english(c.language)} yet)`;
  return c.encoder ? `${base} + ${c.encoder.model} encoder` : base;
}

export function chooseSearch(db: Database.Database, collection: string, variety: string): SearchChoice {
  const c = getCollection(db, collection);
  const language = c.lang;
  const tag = primaryLanguage(variety);
  const encoder = encoderFor(db, c.id, tag, language);
  const withEncoder = encoder ? { encoder: { model: encoder } } : {};
  const done = (choice: Omit<SearchChoice, 'description'>): SearchChoice => ({ ...choice, description: describeChoice(choice) });
  if (sameLanguage(tag, language)) return done({ kind: 'same-language', variety: tag, language, ...withEncoder });
  const bridges = listBridges(db);
  const own = bridgeFor(bridges, tag, language);
  if (own) return done({ kind: 'bridge', variety: tag, language, bridge: { name: own.name, from: own.from, to: own.to }, ...withEncoder });
  for (const n of neighboursOf(tag)) {
    if (sameLanguage(n, language)) break;
    const b = bridgeFor(bridges, n, language);
    if (b) return done({ kind: 'neighbour-bridge', variety: tag, language, bridge: { name: b.name, from: b.from, to: b.to }, ...withEncoder });
  }
  return done({ kind: 'ngrams', variety: tag, language, ...withEncoder });
}
