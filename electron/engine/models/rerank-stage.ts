import { z } from 'zod';
import { PontError } from '../errors.ts';
import { ProgressMeter, throwIfCancelled } from '../jobs/progress.ts';
import { pipelineSpec, registerStageKind, type PipelineSpec } from '../pipeline/registry.ts';
import type { Hit, PipelineQuery, ResultSet, Stage, StageContext } from '../pipeline/stage.ts';
import { artefactVersion } from '../pipeline/versions.ts';
import { getCollection } from '../store/collections.ts';
import { assertRole, loadModel } from './loaded.ts';
import { precisions } from './manifest.ts';
import { providerIds } from './providers.ts';

export const rerankParams = z.object({
  model: z.string().min(1),
  /** The first stage, e.g. `{"bm25": {}}`; without it the stage re-ranks the results it is given. */
  input: pipelineSpec.optional(),
  /** How many of the first stage's documents are re-scored; the rest follow them in their original order. */
  depth: z.number().int().min(1).max(10_000).default(100),
  /** Put the title before the text, as in MS MARCO–style training data. */
  title: z.boolean().default(true),
  provider: z.enum(['auto', ...providerIds]).optional(),
  precision: z.enum(precisions).optional(),
});

export type RerankParams = z.output<typeof rerankParams>;

/**
 * Neural re-ranking as a pipeline stage: `{"rerank": {"model": "mt5", "input": {"bm25": {}}, "depth": 100}}`, i.e.
 * `bm25 >> rerank(mt5)`. Any pack that scores pairs works: cross-encoder, seq2seq (mT5/monoT5), ColBERT MaxSim, or
 * a bi-encoder's inner product.
 */
export function rerankStage(p: RerankParams, buildChild: (spec: PipelineSpec) => Stage): Stage {
  const first = p.input ? buildChild(p.input) : undefined;
  const own = `rerank(${p.model}, depth=${p.depth})`;
  return {
    label: first ? `${first.label} >> ${own}` : own,
    provenance: { kind: 'rerank', model: p.model, depth: p.depth, title: p.title, ...(first ? { input: first.provenance } : {}) },
    async run(queries: readonly PipelineQuery[], ctx: StageContext, input?: ResultSet): Promise<ResultSet> {
      const candidates = first ? await first.run(queries, ctx, input) : input;
      if (!candidates) {
        throw new PontError('invalid_input', 'rerank.no_input', { stage: own, model: p.model }, [
          { field: 'rerank.input', reason: 'missing' },
        ]);
      }
      const model = await loadModel(ctx.workspace, p.model, { ...(p.provider ? { provider: p.provider } : {}), ...(p.precision ? { precision: p.precision } : {}) });
      assertRole(p.model, model.manifest.role, ['cross-encoder', 'seq2seq', 'multi-vector', 'dense', 'sparse'], 're-ranking');
      if (model.provider.warning) ctx.progress({ phase: 'loading model', done: 0, unit: 'queries', message: model.provider.warning });
      const collection = getCollection(ctx.workspace.db, ctx.collection);
      const textOf = ctx.workspace.db.prepare('SELECT title, text FROM documents WHERE collection_id = ? AND ext_id = ?');
      const meter = new ProgressMeter(ctx.progress);
      const out: ResultSet = new Map();
      for (const [i, q] of queries.entries()) {
        throwIfCancelled(ctx.signal, 're-ranking');
        meter.update({ phase: 're-ranking', done: i, total: queries.length, unit: 'queries' });
        const hits = candidates.get(q.qid) ?? [];
        const head = hits.slice(0, p.depth);
        const texts = head.map((h) => {
          const row = textOf.get(collection.id, h.docId) as { title: string | null; text: string } | undefined;
          if (!row) throw new PontError('not_found', 'rerank.unknown_document', { stage: own, doc: h.docId, collection: ctx.collection }, [{ field: 'docId', reason: h.docId }]);
          return p.title && row.title ? `${row.title}. ${row.text}` : row.text;
        });
        const scores = texts.length ? await model.score(q.text, texts) : [];
        const reranked: Hit[] = head.map((h, k) => ({ docId: h.docId, score: scores[k]! })).sort((a, b) => b.score - a.score);
        // Documents past the depth keep their order below the re-ranked ones, so recall at 1000 is unchanged.
        const floor = reranked.length ? reranked[reranked.length - 1]!.score : 0;
        const tail = hits.slice(p.depth).map((h, k) => ({ docId: h.docId, score: floor - 1 - k }));
        out.set(q.qid, [...reranked, ...tail]);
      }
      meter.update({ phase: 're-ranking', done: queries.length, total: queries.length, unit: 'queries' }, true);
      return out;
    },
  };
}

registerStageKind('rerank', rerankParams, rerankStage, (p, { workspace }, child) => ({
  ...p,
  ...(p.input ? { input: child(p.input) } : {}),
  version: artefactVersion(workspace.db, 'model', p.model),
}));
