import { z } from 'zod';
import { ProgressMeter, throwIfCancelled } from '../jobs/progress.ts';
import { registerStageKind } from '../pipeline/registry.ts';
import type { PipelineQuery, ResultSet, Stage, StageContext } from '../pipeline/stage.ts';
import { PontError } from '../errors.ts';
import { loadModel } from '../models/loaded.ts';
import { adaptQuery, getAdapter } from '../training/adapter.ts';
import { searchDense } from './index.ts';
import { getDenseIndex } from './vectors.ts';

export const denseStageParams = z.object({
  model: z.string().min(1),
  k: z.number().int().min(1).max(10_000).default(1000),
  /** A query adapter trained for this model (`pont train adapter`): maps query vectors, documents stay as indexed. */
  adapter: z.string().min(1).optional(),
});

/** Dense retrieval as a pipeline stage: `{"dense": {"model": "bge-m3", "k": 1000}}` over the collection's index. */
export function denseStage(p: z.output<typeof denseStageParams>): Stage {
  return {
    label: `dense(${p.model}${p.adapter ? ` + ${p.adapter}` : ''}, k=${p.k})`,
    provenance: { kind: 'dense', model: p.model, k: p.k, ...(p.adapter ? { adapter: p.adapter } : {}) },
    async run(queries: readonly PipelineQuery[], ctx: StageContext): Promise<ResultSet> {
      const db = ctx.workspace.db;
      const index = getDenseIndex(db, ctx.collection, p.model);
      const model = await loadModel(ctx.workspace, p.model);
      const adapter = p.adapter ? getAdapter(db, p.adapter) : undefined;
      if (adapter && adapter.model !== p.model) {
        throw new PontError('invalid_input', 'adapter.other_model', { adapter: adapter.name, trained: adapter.model, model: p.model }, [{ field: 'adapter', reason: `for ${adapter.model}` }]);
      }
      const extId = db.prepare('SELECT ext_id FROM documents WHERE id = ?').pluck();
      const out: ResultSet = new Map();
      const meter = new ProgressMeter(ctx.progress);
      const slice = 64;
      for (let i = 0; i < queries.length; i += slice) {
        throwIfCancelled(ctx.signal, 'dense retrieval');
        const batch = queries.slice(i, i + slice);
        const encoded = await model.encode(batch.map((q) => q.text), 'query');
        const vectors = adapter ? encoded.map((v) => adaptQuery(adapter, v)) : encoded;
        batch.forEach((q, j) => out.set(q.qid, searchDense(db, index, vectors[j]!, p.k).map((h) => ({ docId: extId.get(h.docId) as string, score: h.score }))));
        meter.update({ phase: 'retrieving', done: Math.min(queries.length, i + slice), total: queries.length, unit: 'queries' });
      }
      return out;
    },
  };
}

registerStageKind('dense', denseStageParams, (p) => denseStage(p));
