import { ProgressMeter, type JobContext } from '../jobs/progress.ts';
import { trainBridge } from '../bridge/train.ts';
import { findBridge, listBridges } from '../bridge/store.ts';
import { PontError } from '../errors.ts';
import { evaluate } from '../eval/evaluate.ts';
import { parseMeasure } from '../eval/measure.ts';
import { runFromResults } from '../eval/run.ts';
import type { Qrels } from '../eval/qrels.ts';
import { findPairSet } from '../pairs/store.ts';
import { buildPipeline } from '../pipeline/registry.ts';
import '../pipeline/kinds.ts';
import type { PipelineQuery } from '../pipeline/stage.ts';
import { getCollection } from '../store/collections.ts';
import type { Workspace } from '../store/workspace.ts';
import { choicePipeline } from './auto.ts';
import { chooseSearch, type SearchChoice } from './choose.ts';
import { judgementPairs, judgementQrels, listJudgements } from './feedback.ts';

/** What "improve search" did, measured on the community's own judgements before and after. */
export interface ImproveReport {
  collection: string;
  variety: string;
  measure: string;
  /** Judged queries the measure is averaged over. */
  queries: number;
  before: { choice: SearchChoice; value: number };
  after: { choice: SearchChoice; value: number };
  /** The training set made from the helpful judgements, and the bridge trained with it. */
  pairSet: string;
  pairs: number;
  bridge: string;
  seconds: number;
}

export const IMPROVE_MEASURE = 'RR@10';

async function measureChoice(ws: Workspace, collection: string, choice: SearchChoice, queries: PipelineQuery[], qrels: Qrels, ctx: JobContext): Promise<number> {
  const stage = buildPipeline(choicePipeline(choice, 100), 'improve');
  const results = await stage.run(queries, { workspace: ws, collection, signal: ctx.signal, progress: () => {} });
  const e = evaluate(runFromResults(results, 'community'), qrels, [parseMeasure(IMPROVE_MEASURE)], { complete: true });
  return e.summary[0]!;
}

/**
 * "Improve search for Occitan": trains a new bridge for (variety → the collection's language) on what the bridge
 * in use was trained on plus the community's helpful judgements, and measures RR@10 on all the community's
 * judgements of that collection before and after. The chooser prefers the newest bridge of a pair, so searches use
 * the new one at once; the old one stays, and deleting the new one goes back to it.
 */
export async function improveSearch(ws: Workspace, o: { collection: string; variety: string }, ctx: JobContext): Promise<ImproveReport> {
  const started = performance.now();
  const db = ws.db;
  const language = getCollection(db, o.collection).lang;
  const judgements = listJudgements(db, o.collection, o.variety);
  if (judgements.length === 0) {
    throw new PontError('not_found', 'feedback.no_judgements', { collection: o.collection, variety: o.variety }, [{ field: 'variety', reason: 'no judgements' }]);
  }
  const variety = judgements[0]!.variety;
  const qrels = judgementQrels(judgements, `community judgements (${variety}) of ${o.collection}`);
  const queries = [...new Map(judgements.map((j) => [j.qid, j.query]))].map(([qid, text]) => ({ qid, text }));
  const meter = new ProgressMeter(ctx.progress);
  meter.update({ phase: 'evaluating', done: 0, total: 2, unit: 'runs' }, true);
  const beforeChoice = chooseSearch(db, o.collection, variety);
  const before = await measureChoice(ws, o.collection, beforeChoice, queries, qrels, ctx);

  const pairSet = `community-${variety}-${o.collection}`;
  const made = await judgementPairs(db, { collection: o.collection, variety, name: pairSet }, ctx);
  const base = beforeChoice.bridge ? (findBridge(db, beforeChoice.bridge.name)?.provenance.trainingSets ?? []).map((s) => s.name).filter((n) => n !== pairSet && findPairSet(db, n)) : [];
  const taken = new Set(listBridges(db).map((b) => b.name));
  let n = 1;
  while (taken.has(`${variety}-${language}-community-${n}`)) n++;
  const bridge = `${variety}-${language}-community-${n}`;
  await trainBridge(db, { name: bridge, pairs: [...base, pairSet], from: variety, to: language }, ctx);

  meter.update({ phase: 'evaluating', done: 1, total: 2, unit: 'runs' }, true);
  const afterChoice = chooseSearch(db, o.collection, variety);
  const after = await measureChoice(ws, o.collection, afterChoice, queries, qrels, ctx);
  meter.update({ phase: 'done', done: 2, total: 2, unit: 'runs' }, true);
  return {
    collection: o.collection,
    variety,
    measure: IMPROVE_MEASURE,
    queries: queries.length,
    before: { choice: beforeChoice, value: before },
    after: { choice: afterChoice, value: after },
    pairSet,
    pairs: made.pairs,
    bridge,
    seconds: (performance.now() - started) / 1000,
  };
}
