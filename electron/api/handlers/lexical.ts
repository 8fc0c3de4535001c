import type { HandlersFor } from '../define.ts';
import type { IndexSummary, lexicalMethods } from '../contract/lexical.ts';
import { defaultIndexName } from '../../engine/analysis/analyzer.ts';
import { PontError } from '../../engine/errors.ts';
import { pendingChanges } from '../../engine/lexical/changes.ts';
import { defaultBm25 } from '../../engine/lexical/bm25.ts';
import { resolveIndexes, search } from '../../engine/lexical/search.ts';
import { getIndex, listIndexes } from '../../engine/lexical/store.ts';
import { getCollection } from '../../engine/store/collections.ts';

// A plain search (`pont search`, the search box) loads only the lexical search path; bridges, the variety chooser,
// pipelines, run files and job threads are imported by the calls that use them (CLI start-up, issue 12).
export const lexicalHandlers: HandlersFor<typeof lexicalMethods> = {
  'index.build': async (input, { workspace, signal, progress, jobThreads }) => {
    const c = getCollection(workspace.db, input.collection);
    const analyzer = input.analyzer ?? `words:${c.lang}`;
    const { runJob } = await import('../threads.ts');
    return runJob(
      workspace,
      'index.build',
      {
        collection: input.collection,
        name: input.name ?? defaultIndexName(analyzer),
        analyzer,
        titleWeight: input.titleWeight,
        rebuild: input.rebuild,
        memoryMb: input.memoryMb,
        ...(input.workers !== undefined ? { workers: input.workers } : {}),
      },
      { signal, progress },
      jobThreads ?? false,
    );
  },

  'index.list': ({ collection }, { workspace }) => {
    const db = workspace.db;
    const c = collection ? getCollection(db, collection) : undefined;
    const stats = db.prepare('SELECT count(*) AS segments, coalesce(sum(live_docs), 0) AS documents FROM lexical_segments WHERE index_id = ?');
    return listIndexes(db, c?.id).map((r): IndexSummary => {
      const s = stats.get(r.id) as { segments: number; documents: number };
      return {
        collection: r.collection,
        name: r.name,
        analyzer: r.analyzer,
        analyzerVersion: r.analyzer_version,
        titleWeight: r.title_weight,
        state: r.state,
        documents: s.documents,
        segments: s.segments,
        pendingChanges: pendingChanges(db, r),
        createdAt: r.created_at,
        updatedAt: r.updated_at,
      };
    });
  },

  'index.drop': ({ collection, name }, { workspace }) => {
    const row = getIndex(workspace.db, collection, name);
    workspace.db.prepare('DELETE FROM lexical_indexes WHERE id = ?').run(row.id);
    return { collection, dropped: name };
  },

  search: async ({ collection, query, index, bridge, dense, alpha, ...o }, { workspace }) => {
    const indexes = index === undefined ? undefined : [index].flat();
    const auto = o.variety && !bridge && !indexes && !o.rm3 && !o.fusion ? o.variety : undefined;
    if (bridge && (o.rm3 || o.fusion)) throw new PontError('invalid_input', 'bridge.no_rm3', {}, [{ field: o.rm3 ? 'rm3' : 'fusion', reason: 'not with bridge' }]);
    const [community, choose] = auto ? await Promise.all([import('../../engine/community/auto.ts'), import('../../engine/community/choose.ts')]) : [];
    const bridged = bridge ? (await import('../../engine/bridge/search.ts')).bridgedSearch : undefined;
    const term = (k: number, offset: number) => {
      const p = { ...o, k, offset };
      if (auto) return community!.autoSearch(workspace.db, collection, query, { ...p, variety: auto });
      if (bridge) return bridged!(workspace.db, collection, query, { ...p, indexes, bridge });
      return search(workspace.db, collection, query, { ...p, indexes });
    };
    // The chooser adds the encoder Pont trained for the user's variety, when the collection has its dense index.
    const model = dense ?? (auto ? choose!.chooseSearch(workspace.db, collection, auto).encoder?.model : undefined);
    if (!model) return term(o.k, o.offset);
    // Dense retrieval brings ONNX Runtime: loaded only when a search uses it, so a plain search starts light.
    const { hybridSearch } = await import('../../engine/dense/hybrid-search.ts');
    return hybridSearch(workspace, collection, query, { k: o.k, offset: o.offset, snippetChars: o.snippetChars, dense: model, ...(alpha !== undefined ? { alpha } : {}) }, (k) => term(k, 0));
  },

  run: async (input, { workspace, signal, progress }) => {
    const started = performance.now();
    const db = workspace.db;
    const c = getCollection(db, input.collection);
    const set = db.prepare('SELECT id, collection_id FROM query_sets WHERE name = ?').get(input.queries) as { id: number; collection_id: number } | undefined;
    if (!set) throw new PontError('not_found', 'query_set.missing', { name: input.queries }, [{ field: 'queries', reason: 'not found' }]);
    if (set.collection_id !== c.id) {
      const other = db.prepare('SELECT name FROM collections WHERE id = ?').pluck().get(set.collection_id) as string;
      throw new PontError('invalid_input', 'query_set.belongs_elsewhere', { name: input.queries, other, collection: input.collection }, [{ field: 'queries', reason: 'other collection' }]);
    }
    const queries = db.prepare('SELECT qid, text FROM queries WHERE query_set_id = ? ORDER BY qid').all(set.id) as { qid: string; text: string }[];
    const [{ bm25Stage }, { buildPipeline }, { bridgeStage }, { bridgeBm25, bridgeIndexes, defaultBridgeQuery }, { writeTrecRun }] = await Promise.all([
      import('../../engine/lexical/stage.ts'),
      import('../../engine/pipeline/registry.ts'),
      import('../../engine/bridge/stage.ts'),
      import('../../engine/bridge/retrieve.ts'),
      import('../../engine/runs/trec-run.ts'),
    ]);
    const bm = input.bridge ? bridgeBm25 : defaultBm25;
    const common = { ...(input.index ? { index: input.index } : {}), k1: input.k1 ?? bm.k1, b: input.b ?? bm.b, k: input.k };
    const term = input.bridge
      ? { bridge: { ...common, ...defaultBridgeQuery, bridge: input.bridge } }
      : { bm25: { ...common, rm3: input.rm3 ?? false, fusion: input.fusion ?? 'combsum' } };
    const termStage = input.bridge ? bridgeStage(term.bridge!) : bm25Stage(term.bm25!);
    const dense = input.dense ? { model: input.dense, alpha: input.alpha ?? (await import('../../engine/dense/stage.ts')).DEFAULT_HYBRID_ALPHA } : null;
    const stage = dense ? buildPipeline({ hybrid: { term, ...dense, k: input.k, depth: input.k } }) : termStage;
    const results = await stage.run(queries, { workspace, collection: input.collection, querySet: input.queries, signal, progress });
    const prov = termStage.provenance as { k1: number; b: number; rm3?: RunReportRm3 };
    const names = input.index === undefined ? undefined : [input.index].flat();
    const indexes = input.bridge
      ? (() => {
          const ix = bridgeIndexes(db, input.collection, names?.map((n) => getIndex(db, input.collection, n)));
          return [ix.words, ix.grams].flatMap((r) => (r ? [r.row.name] : []));
        })()
      : resolveIndexes(db, input.collection, names).map((i) => i.name);
    const tag = input.tag ?? (input.bridge ? `pont-bridge-${input.bridge}` : `pont-bm25${prov.rm3 ? '-rm3' : ''}`) + (dense ? '+dense' : '');
    await writeTrecRun(input.output, results, tag);
    return {
      collection: input.collection,
      queries: input.queries,
      indexes,
      output: input.output,
      tag,
      k: input.k,
      k1: prov.k1,
      b: prov.b,
      rm3: prov.rm3 ?? null,
      ...(input.bridge ? { bridge: input.bridge } : {}),
      dense,
      queriesRun: queries.length,
      seconds: (performance.now() - started) / 1000,
    };
  },
};

type RunReportRm3 = { fbDocs: number; fbTerms: number; originalWeight: number } | null;
