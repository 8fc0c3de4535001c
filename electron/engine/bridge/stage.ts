import { z } from 'zod';
import { getIndex } from '../lexical/store.ts';
import { perQuerySetLabel, perQuerySetName, resolvePerQuerySet } from '../pipeline/per-query-set.ts';
import { registerStageKind } from '../pipeline/registry.ts';
import { artefactVersion, keyName, lexicalVersions } from '../pipeline/versions.ts';
import type { PipelineQuery, ResultSet, Stage, StageContext } from '../pipeline/stage.ts';
import { rankEach } from '../lexical/stage.ts';
import { bridgeApplies, bridgeBm25, bridgedRetrieve, bridgeIndexes, defaultBridgeQuery } from './retrieve.ts';
import { loadBridge } from './store.ts';

export const bridgeStageParams = z.object({
  /**
   * The bridge; `{querySet}` is replaced by the name of the query set being run, so that one experiment can give
   * each variety its own bridge (`"bridge-{querySet}"`); or a bridge per query set (`{"l10n-oc-fr": "l10n-ca-fr"}`).
   */
  bridge: perQuerySetName,
  /** Indexes of the collection to use (a word index and an n-gram index); by default its ready ones. */
  index: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
  k1: z.number().min(0).max(10).default(bridgeBm25.k1),
  b: z.number().min(0).max(1).default(bridgeBm25.b),
  k: z.number().int().min(1).max(100_000).default(1000),
  top: z.number().int().min(1).max(100).default(defaultBridgeQuery.top),
  originalWeight: z.number().min(0).max(10).default(defaultBridgeQuery.originalWeight),
  wordWeight: z.number().min(0).max(10).default(defaultBridgeQuery.wordWeight),
  lengthWeight: z.number().min(0).max(10).default(defaultBridgeQuery.lengthWeight),
  channelWeight: z.number().min(0).max(10).default(defaultBridgeQuery.channelWeight),
  markWeight: z.number().min(0).max(10).default(defaultBridgeQuery.markWeight),
});

export type BridgeStageParams = z.output<typeof bridgeStageParams>;

/** Bridged BM25 as a pipeline stage: `{"bridge": {"bridge": "oc-fr", "k": 1000}}`. */
export function bridgeStage(p: BridgeStageParams): Stage {
  const provenance: Record<string, unknown> = { kind: 'bridge', bridge: p.bridge, index: p.index ?? null, k1: p.k1, b: p.b, k: p.k, top: p.top, originalWeight: p.originalWeight, wordWeight: p.wordWeight, lengthWeight: p.lengthWeight, channelWeight: p.channelWeight, markWeight: p.markWeight };
  return {
    label: `bridge(${perQuerySetLabel(p.bridge)}, k1=${p.k1}, b=${p.b}, top=${p.top}, original=${p.originalWeight}, words=${p.wordWeight}, length=${p.lengthWeight}, channel=${p.channelWeight}, marks=${p.markWeight})`,
    provenance,
    async run(queries: readonly PipelineQuery[], ctx: StageContext): Promise<ResultSet> {
      const db = ctx.workspace.db;
      const name = resolvePerQuerySet(p.bridge, ctx, 'bridge');
      const { info, model } = loadBridge(db, name);
      // The bridge actually used, with what it was trained on, goes into every run's provenance.
      (provenance.bridges ??= {} as Record<string, unknown>) as Record<string, unknown>;
      (provenance.bridges as Record<string, unknown>)[name] = { from: info.from, to: info.to, params: info.params, provenance: info.provenance };
      const names = p.index === undefined ? undefined : [p.index].flat();
      const ix = bridgeIndexes(db, ctx.collection, names?.map((n) => getIndex(db, ctx.collection, n)));
      const used = bridgeApplies(info.to, ix.lang) ? model : null;
      (provenance.bridges as Record<string, unknown>)[name] = { ...((provenance.bridges as Record<string, object>)[name] ?? {}), applies: used !== null };
      return rankEach(queries, ctx, (text) => bridgedRetrieve(ix, used, text, p.k, p).docs);
    },
  };
}

registerStageKind('bridge', bridgeStageParams, (p) => bridgeStage(p), (p, { workspace, collection, querySet }) => ({
  ...p,
  versions: { bridge: artefactVersion(workspace.db, 'bridge', keyName(p.bridge, querySet)), indexes: lexicalVersions(workspace.db, collection) },
}));
