import { z } from 'zod';
import { PontError } from '../errors.ts';
import type { Stage } from './stage.ts';
import type { Workspace } from '../store/workspace.ts';

/**
 * Pipelines are declared as JSON (in experiment files, the UI and the API) and built here. A declaration is an
 * object with exactly one key, the stage kind, whose value holds that kind's parameters; composite stages take
 * nested declarations. Subsystems register their kinds (bm25, fuse, rerank…) when loaded.
 */
export type PipelineSpec = { [kind: string]: unknown };

/** Where a pipeline will run: what its defaults (the collection's default index…) resolve against. */
export interface KeyContext {
  workspace: Workspace;
  collection: string;
  /** The query set the pipeline will run, which per-query-set names (a bridge, a model per variety) resolve by. */
  querySet?: string;
}

/**
 * A kind's parameters in the form that identifies its results: defaults filled in (zod does that), names resolved,
 * the version of every named artefact the results come from (an index's generation, a model's checksum, a bridge's
 * last training), nested pipelines replaced by their own canonical form (`child`). Kinds whose parsed parameters
 * already say it all need none. An artefact that cannot be found gives no version: building the stage reports it.
 */
export type Canonical<P> = (params: P, ctx: KeyContext, child: (spec: PipelineSpec) => unknown) => unknown;

interface StageKind<P> {
  params: z.ZodType<P>;
  build: (params: P, buildChild: (spec: PipelineSpec) => Stage) => Stage;
  canonical?: Canonical<P>;
}

const kinds = new Map<string, StageKind<unknown>>();

export function registerStageKind<P>(kind: string, params: z.ZodType<P>, build: StageKind<P>['build'], canonical?: Canonical<P>): void {
  if (kinds.has(kind)) throw new Error(`pipeline stage kind ${kind} registered twice`);
  kinds.set(kind, { params, build, ...(canonical ? { canonical } : {}) } as StageKind<unknown>);
}

export const pipelineSpec: z.ZodType<PipelineSpec> = z
  .record(z.string(), z.unknown())
  .refine((o) => Object.keys(o).length === 1, 'a pipeline stage is an object with exactly one key, its kind');

function parseStage(spec: PipelineSpec, where: string): { kind: string; k: StageKind<unknown>; params: unknown } {
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
  return { kind, k, params: parsed.data };
}

export function buildPipeline(spec: PipelineSpec, where = 'pipeline'): Stage {
  const { kind, k, params } = parseStage(spec, where);
  return k.build(params, (child) => buildPipeline(child, `${where}.${kind}`));
}

function canonicalSpec(spec: PipelineSpec, ctx: KeyContext, where: string): unknown {
  const { kind, k, params } = parseStage(spec, where);
  const child = (c: PipelineSpec) => canonicalSpec(c, ctx, `${where}.${kind}`);
  return { [kind]: k.canonical ? k.canonical(params, ctx, child) : params };
}

/** JSON with object keys sorted, so that equal values print alike whatever order they were declared in. */
function sortedJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(sortedJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, x]) => `${JSON.stringify(key)}:${sortedJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * What a pipeline computes, as a string: two declarations with the same key give the same results on `ctx`'s
 * collection (`{"bm25": {}}` and the same default index named, with k1 and b spelt out, are one key).
 */
export function stageKey(spec: PipelineSpec, ctx: KeyContext, where = 'pipeline'): string {
  return sortedJson(canonicalSpec(spec, ctx, where));
}

export function stageKinds(): string[] {
  return [...kinds.keys()].sort();
}
