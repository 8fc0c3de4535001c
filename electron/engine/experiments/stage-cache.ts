import { fuseParams, fuseStage, rrfParams, rrfStage } from '../pipeline/fuse.ts';
import { buildPipeline, type PipelineSpec } from '../pipeline/registry.ts';
import type { ResultSet, Stage } from '../pipeline/stage.ts';
import { PontError } from '../errors.ts';

/**
 * Builds pipelines for one query set so that a sub-pipeline declared several times (word BM25 alone, then again
 * inside a fusion) runs once: results are kept by the declaration's JSON. Fusion stages get cached children;
 * other kinds are built by the registry as usual.
 */
export class StageCache {
  private readonly results = new Map<string, Promise<ResultSet>>();

  build(spec: PipelineSpec, where: string): Stage {
    const [kind, params] = Object.entries(spec)[0] ?? [];
    const child = (s: PipelineSpec) => this.build(s, `${where}.${kind}`);
    // Invalid parameters fall through to the registry, which reports them with their field names.
    const fuse = kind === 'fuse' ? fuseParams.safeParse(params) : undefined;
    const rrf = kind === 'rrf' ? rrfParams.safeParse(params) : undefined;
    const stage = fuse?.success ? fuseStage(fuse.data, child) : rrf?.success ? rrfStage(rrf.data, child) : buildPipeline(spec, where);
    const key = JSON.stringify(spec);
    const results = this.results;
    // The fuse stage records its cross-validation on itself: a cached copy would not, so fusion is never shared.
    if (kind === 'fuse') return stage;
    return {
      label: stage.label,
      provenance: stage.provenance,
      run(queries, ctx, input) {
        if (input) throw new PontError('internal', 'internal.cached_stage_input');
        let r = results.get(key);
        if (!r) {
          r = stage.run(queries, ctx);
          results.set(key, r);
          r.catch(() => results.delete(key));
        }
        return r;
      },
    };
  }
}
