import { z } from 'zod';
import { ProgressMeter, throwIfCancelled } from '../jobs/progress.ts';
import { registerStageKind } from '../pipeline/registry.ts';
import type { Hit, PipelineQuery, ResultSet, Stage, StageContext } from '../pipeline/stage.ts';
import { defaultBm25 } from './bm25.ts';
import type { ScoredDoc } from './topk.ts';
import { fuse, type FusionMethod } from './fusion.ts';
import { readIndex, resolveIndexes, retrieve, rm3Params } from './search.ts';
import { LazyResults } from '../pipeline/lazy-results.ts';
import type { Rm3Params } from './rm3.ts';

export const bm25StageParams = z.object({
  /** An index of the pipeline's collection, or several to fuse; by default its character n-gram index. */
  index: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
  k1: z.number().min(0).max(10).default(defaultBm25.k1),
  b: z.number().min(0).max(1).default(defaultBm25.b),
  k: z.number().int().min(1).max(100_000).default(1000),
  rm3: z
    .union([z.boolean(), z.object({ fbDocs: z.number().int().min(1).optional(), fbTerms: z.number().int().min(1).optional(), originalWeight: z.number().min(0).max(1).optional() })])
    .default(false),
  fusion: z.enum(['combsum', 'rrf']).default('combsum'),
});

export type Bm25StageParams = z.output<typeof bm25StageParams>;

/** BM25 retrieval (optionally with RM3) as a pipeline stage: `{"bm25": {"index": "words-fr", "k1": 0.9, "b": 0.4}}`. */
export function bm25Stage(p: Bm25StageParams): Stage {
  const rm3: Rm3Params | undefined = rm3Params(p.rm3);
  return {
    label: `bm25(${[p.index ?? 'default'].flat().join('+')}, k1=${p.k1}, b=${p.b}${rm3 ? `, rm3(${rm3.fbDocs},${rm3.fbTerms},${rm3.originalWeight})` : ''})`,
    provenance: { kind: 'bm25', index: p.index ?? null, k1: p.k1, b: p.b, k: p.k, rm3: rm3 ?? null, fusion: p.fusion },
    async run(queries: readonly PipelineQuery[], ctx: StageContext): Promise<ResultSet> {
      const db = ctx.workspace.db;
      const rows = resolveIndexes(db, ctx.collection, typeof p.index === 'string' ? [p.index] : p.index);
      const readers = rows.map((r) => readIndex(db, r));
      const fusion: FusionMethod | null = rows.length > 1 ? p.fusion : null;
      return rankEach(queries, ctx, (text) => {
        const lists = readers.map((reader) => retrieve(db, reader, text, { k1: p.k1, b: p.b, k: fusion ? Math.max(p.k, 100) : p.k, rm3 }).docs);
        return fusion ? fuse(lists, fusion, p.k) : lists[0]!;
      });
    },
  };
}

/** External ids a run keeps (about 100 bytes each), which covers every document of a collection of that size. */
const EXT_IDS_KEPT = 250_000;

/**
 * Runs a retrieval function over every query, reporting progress and letting cancellation through between batches,
 * and turns the ranked documents.id lists into hits by external id.
 */
export async function rankEach(queries: readonly PipelineQuery[], ctx: StageContext, rank: (text: string) => readonly ScoredDoc[]): Promise<ResultSet> {
  const extIdOf = ctx.workspace.db.prepare('SELECT ext_id FROM documents WHERE id = ?').pluck();
  // A run retrieves the same documents for many queries: each id is looked up once and its string shared, up to
  // EXT_IDS_KEPT of them. 6,980 queries × 1,000 over 8.8M passages retrieve millions of distinct documents, whose
  // ids kept as strings took most of a gigabyte; past the bound they are looked up again.
  const extIds = new Map<number, string | undefined>();
  const extId = (docId: number): string | undefined => {
    if (extIds.has(docId)) return extIds.get(docId);
    const id = extIdOf.get(docId) as string | undefined;
    if (extIds.size >= EXT_IDS_KEPT) extIds.clear();
    extIds.set(docId, id);
    return id;
  };
  // Each query's ranking as two typed arrays (16 bytes a hit), made into hit objects (~60 bytes) by external id when a
  // consumer reads the query: a query set of 3,000 × 1,000 never exists as 3M objects at once (docs/evaluation.md,
  // issue 12).
  const ranked = new Map<string, { ids: Float64Array; scores: Float64Array }>();
  const meter = new ProgressMeter(ctx.progress);
  for (const [i, q] of queries.entries()) {
    if (i % 50 === 0) {
      throwIfCancelled(ctx.signal, 'retrieval');
      meter.update({ phase: 'retrieving', done: i, total: queries.length, unit: 'queries' });
      // Let cancellation and progress events through between batches of queries.
      await new Promise((r) => setImmediate(r));
    }
    const docs = rank(q.text);
    const ids = new Float64Array(docs.length);
    const scores = new Float64Array(docs.length);
    docs.forEach((d, j) => {
      ids[j] = d.docId;
      scores[j] = d.score;
    });
    ranked.set(q.qid, { ids, scores });
  }
  meter.update({ phase: 'retrieving', done: queries.length, total: queries.length, unit: 'queries' }, true);
  return new LazyResults(ranked, ({ ids, scores }) => {
    const hits: Hit[] = [];
    ids.forEach((docId, j) => {
      // A document deleted since it was ranked is left out.
      const id = extId(docId);
      if (id !== undefined) hits.push({ docId: id, score: scores[j]! });
    });
    return hits;
  });
}

// The default index and a single index name resolve to the list of indexes searched, which is what the results depend on.
registerStageKind('bm25', bm25StageParams, (p) => bm25Stage(p), (p, { workspace, collection }) => {
  const rows = resolveIndexes(workspace.db, collection, typeof p.index === 'string' ? [p.index] : p.index);
  return { ...p, index: rows.map((r) => r.name), versions: rows.map((r) => `${r.id}:${r.generation}`) };
});
