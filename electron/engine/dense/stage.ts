import { z } from 'zod';
import { ProgressMeter, throwIfCancelled } from '../jobs/progress.ts';
import { fuseParams, fuseStage, rrfParams, rrfStage } from '../pipeline/fuse.ts';
import { perQuerySetLabel, perQuerySetName, resolvePerQuerySet } from '../pipeline/per-query-set.ts';
import { pipelineSpec, registerStageKind } from '../pipeline/registry.ts';
import { artefactVersion, denseIndexVersion, keyName } from '../pipeline/versions.ts';
import type { PipelineQuery, ResultSet, Stage, StageContext } from '../pipeline/stage.ts';
import { PontError } from '../errors.ts';
import { loadModel } from '../models/loaded.ts';
import { adaptQuery, getAdapter } from '../training/adapter.ts';
import { searchDenseMany } from './index.ts';
import { getDenseIndex } from './vectors.ts';

export const denseStageParams = z.object({
  /** The model; per query set as a bridge is (`"lopo-{querySet}"`, or a model per query set). */
  model: perQuerySetName,
  k: z.number().int().min(1).max(10_000).default(1000),
  /** A query adapter trained for this model (`pont train adapter`): maps query vectors, documents stay as indexed. */
  adapter: z.string().min(1).optional(),
  /** Scan every vector rather than search the HNSW graph; `ef`: candidates the graph search explores. */
  exact: z.boolean().default(false),
  ef: z.number().int().min(1).max(10_000).optional(),
});

/** Dense retrieval as a pipeline stage: `{"dense": {"model": "bge-m3", "k": 1000}}` over the collection's index. */
export function denseStage(p: z.output<typeof denseStageParams>): Stage {
  return {
    label: `dense(${perQuerySetLabel(p.model)}${p.adapter ? ` + ${p.adapter}` : ''}, k=${p.k}${p.exact ? ', exact' : ''})`,
    provenance: { kind: 'dense', model: p.model, k: p.k, exact: p.exact, ...(p.adapter ? { adapter: p.adapter } : {}), ...(p.ef ? { ef: p.ef } : {}) },
    async run(queries: readonly PipelineQuery[], ctx: StageContext): Promise<ResultSet> {
      const db = ctx.workspace.db;
      const name = resolvePerQuerySet(p.model, ctx, 'model');
      const index = getDenseIndex(db, ctx.collection, name);
      const model = await loadModel(ctx.workspace, name);
      const adapter = p.adapter ? getAdapter(db, p.adapter) : undefined;
      if (adapter && adapter.model !== name) {
        throw new PontError('invalid_input', 'adapter.other_model', { adapter: adapter.name, trained: adapter.model, model: name }, [{ field: 'adapter', reason: `for ${adapter.model}` }]);
      }
      const extIds = db.prepare('SELECT id, ext_id FROM documents WHERE id IN (SELECT value FROM json_each(?))').raw();
      const out: ResultSet = new Map();
      const meter = new ProgressMeter(ctx.progress);
      // Queries go to the index in batches: an exact scan reads the vectors once per batch, not once per query.
      const slice = 512;
      for (let i = 0; i < queries.length; i += slice) {
        throwIfCancelled(ctx.signal, 'dense retrieval');
        const batch = queries.slice(i, i + slice);
        const encoded = await model.encode(
          batch.map((q) => q.text),
          'query',
        );
        const vectors = adapter ? encoded.map((v) => adaptQuery(adapter, v)) : encoded;
        const found = searchDenseMany(db, index, vectors, p.k, { exact: p.exact, ...(p.ef ? { ef: p.ef } : {}) });
        // The batch's documents are looked up at once: at depth 1000 a query set has millions of hits.
        const ids = [...new Set(found.flatMap((hits) => hits.map((h) => h.docId)))];
        const ext = new Map(extIds.all(JSON.stringify(ids)) as [number, string][]);
        batch.forEach((q, j) =>
          out.set(
            q.qid,
            // A document deleted since the index last caught up still has its vector: leave it out.
            found[j]!.flatMap((h) => {
              const docId = ext.get(h.docId);
              return docId === undefined ? [] : [{ docId, score: h.score }];
            }),
          ),
        );
        meter.update({ phase: 'retrieving', done: Math.min(queries.length, i + slice), total: queries.length, unit: 'queries' });
      }
      return out;
    },
  };
}

/** α of the term side in `α·S_term + (1−α)·S_dense` when none is given: equal weight after min-max normalisation. */
export const DEFAULT_HYBRID_ALPHA = 0.5;

export const hybridParams = fuseParams
  .omit({ systems: true })
  .extend({
    /** The term-matching side: any pipeline, by default BM25 on the collection's default index; e.g. a lexical bridge. */
    term: pipelineSpec.default({ bm25: {} }),
    model: denseStageParams.shape.model,
    adapter: denseStageParams.shape.adapter,
    /** Dense hits per query. */
    k: z.number().int().min(1).max(10_000).default(1000),
    exact: z.boolean().default(false),
    fusion: z.enum(['linear', 'rrf']).default('linear'),
    alpha: z.union([z.number().min(0).max(1), z.literal('cv')]).default(DEFAULT_HYBRID_ALPHA),
    /** The RRF constant, for fusion "rrf". */
    rrfK: rrfParams.shape.k,
  });

/**
 * Term matching and dense retrieval fused, as in Shi et al.: `{"hybrid": {"model": "M"}}` is
 * `fuse(bm25, dense(M), α = 0.5)`; `"alpha": "cv"` tunes α by cross-validation, `"fusion": "rrf"` fuses by rank.
 * It is shorthand over the `fuse` and `rrf` stages, so runs record the same provenance as the long form.
 */
export function hybridStage(p: z.output<typeof hybridParams>, buildChild: (spec: Record<string, unknown>) => Stage): Stage {
  const { term, model, adapter, k, exact, fusion, rrfK, ...fuse } = p;
  const systems = [term, { dense: { model, k, exact, ...(adapter ? { adapter } : {}) } }];
  return fusion === 'rrf' ? rrfStage({ systems, k: rrfK, depth: fuse.depth }, buildChild) : fuseStage({ ...fuse, systems }, buildChild);
}

registerStageKind('dense', denseStageParams, (p) => denseStage(p), (p, { workspace, collection, querySet }) => {
  const model = keyName(p.model, querySet);
  const db = workspace.db;
  return { ...p, versions: { model: artefactVersion(db, 'model', model), index: denseIndexVersion(db, collection, model), adapter: artefactVersion(db, 'adapter', p.adapter) } };
});
// The same key as the fusion it stands for: both sides in their canonical forms.
registerStageKind('hybrid', hybridParams, hybridStage, (p, _ctx, child) => ({
  ...p,
  term: child(p.term),
  dense: child({ dense: { model: p.model, k: p.k, exact: p.exact, ...(p.adapter ? { adapter: p.adapter } : {}) } }),
}));
