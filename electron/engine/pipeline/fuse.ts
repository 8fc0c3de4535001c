import { z } from 'zod';
import { existsSync } from 'node:fs';
import { registerStageKind, pipelineSpec, type PipelineSpec } from './registry.ts';
import type { PipelineQuery, ResultSet, Stage, StageContext } from './stage.ts';
import { qrelsOfQuerySet, readQrels, type Qrels } from '../eval/qrels.ts';
import { parseMeasure } from '../eval/measure.ts';
import { PontError } from '../errors.ts';
import { linearFusion, prepareFusion, reciprocalRankFusion, type FusionInput, type Normalisation } from './fusion.ts';
import { LazyResults } from './lazy-results.ts';
import { crossValidateAlpha, defaultAlphaGrid, type CrossValidation } from './fuse-tuning.ts';

// Fusion stages: `{"fuse": {"systems": [A, B], "alpha": "cv"}}` (linear, α tuned by cross-validation) and
// `{"rrf": {"systems": [A, B, …]}}`. The arithmetic is in fusion.ts, the tuning in fuse-tuning.ts.

function resolveQrels(qrels: string, ctx: StageContext): Qrels {
  return existsSync(qrels) ? readQrels(qrels) : qrelsOfQuerySet(ctx.workspace.db, qrels);
}

export const fuseParams = z.object({
  systems: z.array(pipelineSpec).length(2, 'linear fusion combines exactly two systems: S = α·S_a + (1−α)·S_b'),
  /** A fixed weight of the first system, or "cv" to choose it by k-fold cross-validation over queries. */
  alpha: z.union([z.number().min(0).max(1), z.literal('cv')]).default('cv'),
  normalisation: z.enum(['minmax', 'zscore', 'none']).default('minmax'),
  /** Cross-validation: folds, the measure to maximise, the qrels (a file or a query set), the α tried, the seed. */
  folds: z.number().int().min(2).max(100).default(5),
  measure: z.string().default('nDCG@10'),
  qrels: z.string().min(1).optional(),
  grid: z.array(z.number().min(0).max(1)).min(1).default(defaultAlphaGrid),
  seed: z.number().int().default(42),
  depth: z.number().int().min(1).max(100_000).default(1000),
});

export type FuseParams = z.output<typeof fuseParams>;

export interface FuseStage extends Stage {
  /** After a run with α = "cv": the α chosen for each fold and the queries it was applied to. */
  crossValidation?: CrossValidation;
}

/** Both systems' results as fusion inputs; the results themselves (the larger form) are garbage once this returns. */
async function fusionInputs(a: Stage, b: Stage, queries: readonly PipelineQuery[], ctx: StageContext, how: Normalisation): Promise<Map<string, FusionInput>> {
  const ra = await a.run(queries, ctx);
  const rb = await b.run(queries, ctx);
  const inputs = new Map<string, FusionInput>();
  for (const q of queries) {
    inputs.set(q.qid, prepareFusion(ra.get(q.qid) ?? [], rb.get(q.qid) ?? [], how));
    // Each query's hits are garbage once prepared: on a query set of thousands, the whole results never pile up.
    ra.delete(q.qid);
    rb.delete(q.qid);
  }
  return inputs;
}

export function fuseStage(p: FuseParams, buildChild: (spec: PipelineSpec) => Stage): FuseStage {
  const [a, b] = p.systems.map(buildChild) as [Stage, Stage];
  const measure = parseMeasure(p.measure);
  if (p.alpha === 'cv' && !p.qrels) {
    throw new PontError('invalid_input', 'fuse.needs_qrels', {}, [
      { field: 'fuse.qrels', reason: 'required when alpha is "cv"' },
    ]);
  }
  const provenance: Record<string, unknown> = {
    kind: 'fuse',
    alpha: p.alpha,
    normalisation: p.normalisation,
    systems: [a.provenance, b.provenance],
    ...(p.alpha === 'cv' ? { folds: p.folds, measure: p.measure, qrels: p.qrels, grid: p.grid, seed: p.seed } : {}),
  };
  const stage: FuseStage = {
    label: `fuse(${a.label}, ${b.label}, α=${p.alpha === 'cv' ? `cv${p.folds}(${p.measure})` : p.alpha}, ${p.normalisation})`,
    provenance,
    async run(queries: readonly PipelineQuery[], ctx: StageContext): Promise<ResultSet> {
      const inputs = await fusionInputs(a, b, queries, ctx, p.normalisation);
      const alphaOf = new Map<string, number>();
      if (p.alpha === 'cv') {
        const cv = crossValidateAlpha(inputs, resolveQrels(p.qrels!, ctx), measure, { folds: p.folds, grid: p.grid, seed: p.seed, depth: p.depth });
        stage.crossValidation = cv;
        provenance.crossValidation = cv.folds.map((f) => ({ fold: f.fold, alpha: f.alpha, trainMean: f.trainMean, queries: f.test.length }));
        for (const f of cv.folds) for (const qid of f.test) alphaOf.set(qid, f.alpha);
        provenance.alphaForUnjudged = cv.alphaForUnjudged;
      }
      const unjudged = stage.crossValidation?.alphaForUnjudged;
      // Fused as the consumer reads each query: the fused hits of a whole query set never exist at once, and a
      // query's inputs go when the consumer deletes it.
      return new LazyResults(inputs, (input, qid) => linearFusion(input, p.alpha === 'cv' ? (alphaOf.get(qid) ?? unjudged!) : p.alpha, p.depth));
    },
  };
  return stage;
}

export const rrfParams = z.object({
  systems: z.array(pipelineSpec).min(2),
  k: z.number().min(0).default(60),
  depth: z.number().int().min(1).max(100_000).default(1000),
});

export function rrfStage(p: z.output<typeof rrfParams>, buildChild: (spec: PipelineSpec) => Stage): Stage {
  const systems = p.systems.map(buildChild);
  return {
    label: `rrf(${systems.map((s) => s.label).join(', ')}, k=${p.k})`,
    provenance: { kind: 'rrf', k: p.k, depth: p.depth, systems: systems.map((s) => s.provenance) },
    async run(queries, ctx) {
      const results: ResultSet[] = [];
      for (const s of systems) results.push(await s.run(queries, ctx));
      // Fused as the consumer reads each query; deleting a query releases it from every system's results.
      return new LazyResults(
        new Map(queries.map((q) => [q.qid, q.qid])),
        (qid) => reciprocalRankFusion(results.map((r) => r.get(qid) ?? []), p.k, p.depth),
        (qid) => results.forEach((r) => r.delete(qid)),
      );
    },
  };
}

const withCanonicalSystems = <P extends { systems: PipelineSpec[] }>(p: P, _ctx: unknown, child: (s: PipelineSpec) => unknown) => ({ ...p, systems: p.systems.map(child) });
registerStageKind('fuse', fuseParams, fuseStage, withCanonicalSystems);
registerStageKind('rrf', rrfParams, rrfStage, withCanonicalSystems);
