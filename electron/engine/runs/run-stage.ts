import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { perQuerySetLabel, perQuerySetName, resolvePerQuerySet } from '../pipeline/per-query-set.ts';
import { registerStageKind } from '../pipeline/registry.ts';
import { artefactVersion, keyName } from '../pipeline/versions.ts';
import type { Hit, ResultSet, Stage } from '../pipeline/stage.ts';
import { rankOrder, readRun, type Run, type RunQuery } from '../eval/run.ts';
import { PontError } from '../errors.ts';
import { loadRun } from './store.ts';

export const runStageParams = z
  .object({
    /** A TREC run file (optionally gzip) produced elsewhere… */
    file: z.string().min(1).optional(),
    /**
     * …or a run stored in the workspace; per query set as a bridge is (`"exp.system.{querySet}"`: the runs an
     * experiment stored, one per query set, so that another experiment can test them against another baseline).
     */
    name: perQuerySetName.optional(),
  })
  .refine((p) => (p.file === undefined) !== (p.name === undefined), 'give either "file" or "name"');

/** A run's ranking of one query as hits, in trec_eval's order (score, then docno descending). */
export function rankedHits(r: RunQuery): Hit[] {
  return Array.from(rankOrder(r), (k): Hit => ({ docId: r.docnos[k]!, score: r.scores[k]! }));
}

/**
 * A stage that answers from an existing run: `{"run": {"file": "x.trec"}}`. It lets experiments compare and fuse
 * runs produced by other tools (Anserini, PISA, a dense retriever on a GPU box) with Pont's own systems.
 */
export function runStage(p: z.output<typeof runStageParams>): Stage {
  const cached = new Map<string, Run>();
  return {
    label: p.file ? `run(${p.file})` : `run(${perQuerySetLabel(p.name!)})`,
    provenance: { kind: 'run', ...(p.file ? { file: resolve(p.file) } : { name: p.name }) },
    async run(queries, ctx): Promise<ResultSet> {
      const name = p.file ?? resolvePerQuerySet(p.name!, ctx, 'name');
      let run = cached.get(name);
      if (!run) {
        if (p.file && !existsSync(p.file)) throw new PontError('not_found', 'run.file_missing', { file: p.file }, [{ file: p.file, reason: 'no such file' }]);
        run = p.file ? readRun(p.file) : loadRun(ctx.workspace.db, name);
        cached.set(name, run);
      }
      const out: ResultSet = new Map();
      for (const q of queries) {
        const r = run.queries.get(q.qid);
        if (!r) {
          out.set(q.qid, []);
          continue;
        }
        out.set(q.qid, rankedHits(r));
      }
      return out;
    },
  };
}

registerStageKind('run', runStageParams, runStage, (p, { workspace, querySet }) =>
  p.name === undefined ? p : { ...p, version: artefactVersion(workspace.db, 'run', keyName(p.name, querySet)) },
);
