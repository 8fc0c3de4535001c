import type { SearchHit, SearchResult } from '../lexical/search.ts';
import { makeSnippet } from '../lexical/snippet.ts';
import { loadModel } from '../models/loaded.ts';
import { linearFusion, prepareFusion } from '../pipeline/fusion.ts';
import type { Workspace } from '../store/workspace.ts';
import { searchDense } from './index.ts';
import { DEFAULT_HYBRID_ALPHA } from './stage.ts';
import { getDenseIndex } from './vectors.ts';

export interface HybridOptions {
  k: number;
  offset?: number;
  snippetChars?: number;
  /** The dense model whose index of the collection is fused with the term side. */
  dense: string;
  /** Weight of the term side in α·S_term + (1−α)·S_dense, after min-max normalisation of each. */
  alpha?: number;
}

/**
 * One query, term matching and dense retrieval fused (the interactive face of the `hybrid` stage). `term(k)` is the
 * term side's search (BM25, bridged BM25…) for its best k hits. Both sides retrieve at least 100 documents, so that
 * a document ranked low by one and high by the other can surface. Hits found only by the dense side have no matched
 * terms, and their snippet is the start of the text.
 */
export async function hybridSearch<R extends SearchResult>(
  ws: Workspace,
  collection: string,
  query: string,
  o: HybridOptions,
  term: (k: number) => R,
): Promise<R & { dense: { model: string; alpha: number } }> {
  const started = performance.now();
  const db = ws.db;
  const want = o.k + (o.offset ?? 0);
  const depth = Math.max(100, want);
  const lexical = term(depth);
  const index = getDenseIndex(db, collection, o.dense);
  const model = await loadModel(ws, o.dense);
  const [q] = await model.encode([query], 'query');
  const doc = db.prepare('SELECT ext_id, title, text FROM documents WHERE id = ?');
  const found = new Map<string, { title: string | null; text: string }>();
  const dense = searchDense(db, index, q!, depth).flatMap((h) => {
    const d = doc.get(h.docId) as { ext_id: string; title: string | null; text: string } | undefined;
    if (!d) return [];
    found.set(d.ext_id, d);
    return [{ docId: d.ext_id, score: h.score }];
  });
  const alpha = o.alpha ?? DEFAULT_HYBRID_ALPHA;
  const fused = linearFusion(
    prepareFusion(
      lexical.hits.map((h) => ({ docId: h.id, score: h.score })),
      dense,
      'minmax',
    ),
    alpha,
    want,
  ).slice(o.offset ?? 0, want);
  const byId = new Map(lexical.hits.map((h) => [h.id, h]));
  const hits = fused.map((f, i): SearchHit => {
    const rank = (o.offset ?? 0) + i + 1;
    const l = byId.get(f.docId);
    if (l) return { ...l, rank, score: f.score };
    const d = found.get(f.docId)!;
    return { rank, id: f.docId, score: f.score, title: d.title, titleHighlights: [], snippet: makeSnippet(d.text, [], o.snippetChars), matchedTerms: [], matches: [] };
  });
  return { ...lexical, hits, dense: { model: o.dense, alpha }, milliseconds: performance.now() - started };
}
