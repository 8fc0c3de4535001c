import type Database from 'better-sqlite3';
import { defaultIndexName } from '../analysis/analyzer.ts';
import type { JobContext } from '../jobs/progress.ts';
import { getCollection } from '../store/collections.ts';
import { buildIndex, type BuildReport } from './builder.ts';

/**
 * The analysers a collection is indexed with by default: words in the collection's language (stemmed, for
 * same-language queries) and accent-folded character 3–5-grams (the cross-variety workhorse; see docs/lexical.md
 * for the l10n-dev measurements behind this choice).
 */
export function defaultAnalyzers(lang: string): string[] {
  return [`words:${lang}`, 'chargram:3-5+fold'];
}

/** Builds (or brings up to date) the default indexes of a collection, so that it can be searched at once. */
export async function buildDefaultIndexes(db: Database.Database, collection: string, ctx: JobContext): Promise<BuildReport[]> {
  const c = getCollection(db, collection);
  const out: BuildReport[] = [];
  for (const analyzer of defaultAnalyzers(c.lang)) {
    out.push(await buildIndex(db, { collection, name: defaultIndexName(analyzer), analyzer, titleWeight: 2, rebuild: false, memoryMb: 256 }, ctx));
  }
  return out;
}
