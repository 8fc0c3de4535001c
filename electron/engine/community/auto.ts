import type Database from 'better-sqlite3';
import { z } from 'zod';
import { bridgedSearch } from '../bridge/search.ts';
import { PontError } from '../errors.ts';
import { reciprocalRankFusion } from '../pipeline/fusion.ts';
import { search, type SearchOptions, type SearchResult } from '../lexical/search.ts';
import { buildPipeline, registerStageKind, type PipelineSpec } from '../pipeline/registry.ts';
import type { PipelineQuery, ResultSet, Stage, StageContext } from '../pipeline/stage.ts';
import { getQuerySet } from '../store/collections.ts';
import { chooseSearch, type SearchChoice } from './choose.ts';

export interface AutoSearchResult extends SearchResult {
  /** What the search used for this variety and collection, and why (see choose.ts). */
  choice: SearchChoice;
}

/**
 * A bridged ranking is fused with the plain n-gram ranking by reciprocal rank fusion (k = 60, no weight to tune): on
 * the demo, whose bridges are learned from few pairs, the bridge alone lost to n-grams (RR@10 demo-oc 0.575 against
 * 0.739) and the fusion beat both (0.849; resources/experiments/demo-auto.json, docs/app.md).
 */
export const RRF_K = 60;

/** One search as the chooser decides for the user's variety: the pair's (or a neighbour's) bridge fused with n-grams, or n-grams. */
export function autoSearch(db: Database.Database, collection: string, query: string, o: SearchOptions & { variety: string }): AutoSearchResult {
  const started = performance.now();
  const choice = chooseSearch(db, collection, o.variety);
  if (!choice.bridge) return { ...search(db, collection, query, o), choice };
  const offset = o.offset ?? 0;
  const want = o.k + offset;
  const { rm3: _rm3, fusion: _fusion, ...plain } = o;
  const deep = { ...plain, k: Math.max(50, 2 * want), offset: 0 };
  const bridged = bridgedSearch(db, collection, query, { ...deep, bridge: choice.bridge.name });
  const grams = search(db, collection, query, deep);
  const ranking = (r: SearchResult) => r.hits.map((h) => ({ docId: h.id, score: h.score }));
  const fused = reciprocalRankFusion([ranking(bridged), ranking(grams)], RRF_K, want).slice(offset);
  // The bridged search's hit says which translations matched; the n-gram search's, for documents only it found.
  const byId = new Map([...grams.hits, ...bridged.hits].map((h) => [h.id, h]));
  const hits = fused.map((f, i) => ({ ...byId.get(f.docId)!, rank: offset + i + 1, score: f.score }));
  const total = hits.length < o.k ? { value: offset + hits.length, exact: true } : { value: Math.max(bridged.total.value, grams.total.value), exact: false };
  return { ...bridged, hits, total, fusion: 'rrf', choice, milliseconds: performance.now() - started };
}

/** The pipeline the chooser's decision stands for: the bridge fused with n-grams, or n-grams; and the pair's encoder. */
export function choicePipeline(choice: SearchChoice, k: number): PipelineSpec {
  const lexical: PipelineSpec = choice.bridge ? { rrf: { systems: [{ bridge: { bridge: choice.bridge.name, k } }, { bm25: { k } }], k: RRF_K, depth: k } } : { bm25: { k } };
  return choice.encoder ? { rrf: { systems: [lexical, { dense: { model: choice.encoder.model, k } }], depth: k } } : lexical;
}

export const autoStageParams = z.object({
  /** The variety the queries are written in; by default the language of the query set being run. */
  variety: z.string().min(1).optional(),
  k: z.number().int().min(1).max(100_000).default(1000),
});

/**
 * `{"auto": {}}` in an experiment: for each run, the pipeline the chooser picks for (the query set's variety →
 * the collection's language), recorded in the provenance, so an experiment measures what users get.
 */
export function autoStage(p: z.output<typeof autoStageParams>): Stage {
  const provenance: Record<string, unknown> = { kind: 'auto', variety: p.variety ?? null, k: p.k, chosen: {} };
  return {
    label: `auto(${p.variety ?? 'variety of the query set'}, k=${p.k})`,
    provenance,
    async run(queries: readonly PipelineQuery[], ctx: StageContext): Promise<ResultSet> {
      const db = ctx.workspace.db;
      const variety = p.variety ?? (ctx.querySet ? getQuerySet(db, ctx.querySet).lang : undefined);
      if (!variety) throw new PontError('invalid_input', 'auto.needs_variety', {}, [{ field: 'auto.variety', reason: 'no variety and no query set' }]);
      const choice = chooseSearch(db, ctx.collection, variety);
      const spec = choicePipeline(choice, p.k);
      (provenance.chosen as Record<string, unknown>)[`${variety} → ${ctx.collection}`] = { choice, pipeline: spec };
      return buildPipeline(spec, 'auto').run(queries, ctx);
    },
  };
}

registerStageKind('auto', autoStageParams, (p) => autoStage(p));
