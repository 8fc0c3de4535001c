import { z } from 'zod';
import { PontError } from '../errors.ts';
import type { Stage } from './stage.ts';

/**
 * Pipelines are declared as JSON (in experiment files, the UI and the API) and built here. A declaration is an
 * object with exactly one key, the stage kind, whose value holds that kind's parameters; composite stages take
 * nested declarations. Subsystems register their kinds (bm25, fuse, rerank…) when loaded.
 */
export type PipelineSpec = { [kind: string]: unknown };

interface StageKind<P> {
  params: z.ZodType<P>;
  build: (params: P, buildChild: (spec: PipelineSpec) => Stage) => Stage;
}

const kinds = new Map<string, StageKind<unknown>>();

export function registerStageKind<P>(kind: string, params: z.ZodType<P>, build: StageKind<P>['build']): void {
  if (kinds.has(kind)) throw new Error(`pipeline stage kind ${kind} registered twice`);
  kinds.set(kind, { params, build } as StageKind<unknown>);
}

export const pipelineSpec: z.ZodType<PipelineSpec> = z
  .record(z.string(), z.unknown())
  .refine((o) => Object.keys(o).length === 1, 'a pipeline stage is an object with exactly one key, its kind');

export function buildPipeline(spec: PipelineSpec, where = 'pipeline'): Stage {
  const entries = Object.entries(spec);
  if (entries.length !== 1) {
    throw new PontError('invalid_input', 'pipeline.stage_shape', { where }, [{ field: where, reason: 'expected one key' }]);
  }
  const [kind, raw] = entries[0]!;
  const k = kinds.get(kind);
  if (!k) {
    throw new PontError('invalid_input', 'pipeline.unknown_kind', { where, kind, known: [...kinds.keys()].sort().join(', ') }, [
      { field: where, reason: `unknown stage kind ${kind}` },
    ]);
  }
  const parsed = k.params.safeParse(raw);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({ field: [where, kind, ...i.path.map(String)].join('.'), reason: i.message }));
    throw new PontError('invalid_input', 'pipeline.bad_params', { where, kind, problems: details.map((d) => `${d.field}: ${d.reason}`).join('; ') }, details);
  }
  return k.build(parsed.data, (child) => buildPipeline(child, `${where}.${kind}`));
}

export function stageKinds(): string[] {
  return [...kinds.keys()].sort();
}
