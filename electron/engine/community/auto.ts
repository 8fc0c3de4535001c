import type Database from 'better-sqlite3';
import { z } from 'zod';
import { bridgedSearch } from '../bridge/search.ts';
import { PontError } from '../errors.ts';
import { search, type SearchOptions, type SearchResult } from '../lexical/search.ts';
import { buildPipeline, registerStageKind, type PipelineSpec } from '../pipeline/registry.ts';
import type { PipelineQuery, ResultSet, Stage, StageContext } from '../pipeline/stage.ts';
import { getQuerySet } from '../store/collections.ts';
import { chooseSearch, type SearchChoice } from './choose.ts';

export interface AutoSearchResult extends SearchResult {
  /** What the search used for this variety and collection, and why (see choose.ts). */
  choice: SearchChoice;
}

/** One search as the chooser decides for the user's variety: through the pair's (or a neighbour's) bridge, or n-grams. */
export function autoSearch(db: Database.Database, collection: string, query: string, o: SearchOptions & { variety: string }): AutoSearchResult {
  const choice = chooseSearch(db, collection, o.variety);
  const { rm3: _rm3, fusion: _fusion, ...plain } = o;
  const result = choice.bridge ? bridgedSearch(db, collection, query, { ...plain, bridge: choice.bridge.name }) : search(db, collection, query, o);
  return { ...result, choice };
}

/** The pipeline the chooser's decision stands for: bridged or plain BM25, fused by RRF with the pair's encoder. */
export function choicePipeline(choice: SearchChoice, k: number): PipelineSpec {
  const lexical: PipelineSpec = choice.bridge ? { bridge: { bridge: choice.bridge.name, k } } : { bm25: { k } };
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
