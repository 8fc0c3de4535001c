import { fuseParams, fuseStage, rrfParams, rrfStage } from '../pipeline/fuse.ts';
import { buildPipeline, stageKey, type KeyContext, type PipelineSpec } from '../pipeline/registry.ts';
import type { ResultSet, Stage } from '../pipeline/stage.ts';
import { LazyResults } from '../pipeline/lazy-results.ts';
import { rankedHits } from '../runs/run-stage.ts';
import { decodeRun, encodeRun } from '../runs/codec.ts';
import { addRetrieved, emptyRun, markDuplicates, type Run } from '../eval/run.ts';
import { PontError } from '../errors.ts';

/**
 * Results as the run an experiment evaluates and stores: scores rounded to float32, which is what a stored run holds,
 * so that `pont eval` of the stored run (or trec_eval of its export) gives the experiment's numbers, and a fusion
 * reads the same input whether its systems were just computed or read back after an interruption.
 */
export function storedForm(results: ResultSet, runid: string, source = runid): Run {
  const run = emptyRun(source, runid);
  // The results are consumed as they are converted: the two forms of a whole query set (millions of hits) never
  // live at once.
  for (const [qid, hits] of results) {
    for (const h of hits) addRetrieved(run, qid, h.docId, Math.fround(h.score));
    results.delete(qid);
  }
  return markDuplicates(run);
}

/**
 * Results kept encoded (a few bytes a hit instead of an object): the cache holds them for a whole query set. They
 * come back ranked as trec_eval ranks (equal scores by docno), however the stage ordered ties.
 */
export function pack(results: ResultSet): Uint8Array {
  return encodeRun(storedForm(results, 'cached'));
}

/** Read back query by query: the hits of one query exist only while a consumer reads it. */
export function unpack(blob: Uint8Array): ResultSet {
  return new LazyResults(decodeRun(blob, 'cached').queries, (q) => rankedHits(q));
}

/**
 * Builds pipelines for one query set so that a pipeline declared several times (word BM25 alone, then again inside
 * a fusion; `{"bm25": {}}` and the default index named) runs once: results are kept by canonical stage key
 * (`stageKey`), encoded. `stored` gives results computed by an earlier, interrupted run of the experiment. Fusion
 * stages get cached children; other kinds are built by the registry as usual.
 */
export class StageCache {
  private readonly results = new Map<string, Promise<Uint8Array>>();
  private readonly ctx: KeyContext;
  private readonly stored: (key: string) => ResultSet | undefined;

  constructor(ctx: KeyContext, stored: (key: string) => ResultSet | undefined = () => undefined) {
    this.ctx = ctx;
    this.stored = stored;
  }

  key(spec: PipelineSpec, where: string): string {
    return stageKey(spec, this.ctx, where);
  }

  build(spec: PipelineSpec, where: string): Stage {
    const [kind, params] = Object.entries(spec)[0] ?? [];
    const child = (s: PipelineSpec) => this.build(s, `${where}.${kind}`);
    // Invalid parameters fall through to the registry, which reports them with their field names.
    const fuse = kind === 'fuse' ? fuseParams.safeParse(params) : undefined;
    const rrf = kind === 'rrf' ? rrfParams.safeParse(params) : undefined;
    const stage = fuse?.success ? fuseStage(fuse.data, child) : rrf?.success ? rrfStage(rrf.data, child) : buildPipeline(spec, where);
    // The fuse stage records its cross-validation on itself: a cached copy would not, so fusion is never shared.
    if (kind === 'fuse') return stage;
    const key = this.key(spec, where);
    const { results, stored } = this;
    return {
      label: stage.label,
      provenance: stage.provenance,
      async run(queries, ctx, input) {
        if (input) throw new PontError('internal', 'internal.cached_stage_input');
        let r = results.get(key);
        if (!r) {
          const earlier = stored(key);
          r = earlier ? Promise.resolve(pack(earlier)) : stage.run(queries, ctx).then(pack);
          results.set(key, r);
          r.catch(() => results.delete(key));
        }
        return unpack(await r);
      },
    };
  }
}
