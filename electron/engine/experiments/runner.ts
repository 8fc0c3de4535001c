import { evaluate } from '../eval/evaluate.ts';
import { measureToString, parseMeasures } from '../eval/measure.ts';
import { emptyQrels, qrelsOfQuerySet, readQrels, type Qrels } from '../eval/qrels.ts';
import { runFromResults } from '../eval/run.ts';
import { readTextFile } from '../eval/text-lines.ts';
import { PontError } from '../errors.ts';
import { throwIfCancelled, type JobContext } from '../jobs/progress.ts';
import type { FuseStage } from '../pipeline/fuse.ts';
import type { CrossValidation } from '../pipeline/fuse-tuning.ts';
import type { PipelineSpec } from '../pipeline/registry.ts';
import { StageCache } from './stage-cache.ts';
import type { PipelineQuery } from '../pipeline/stage.ts';
import '../pipeline/kinds.ts';
import { makeProvenance, saveRun, softwareVersion } from '../runs/store.ts';
import type { Workspace } from '../store/workspace.ts';
import { compare, correctFamily, type Comparison } from './compare.ts';
import { querySetName, relativeTo, type ExperimentGroup, type LoadedExperiment, type QuerySetRef } from './definition.ts';

export interface SystemResult {
  name: string;
  label: string;
  pipeline: PipelineSpec;
  /** The stored run, when runs are kept. */
  run: string | null;
  means: Record<string, number>;
  /** Per measure, the value of each query, in the order of the query set's `qids`. */
  perQuery: Record<string, number[]>;
  crossValidation?: { fold: number; alpha: number; trainMean: number; queries: number }[];
  seconds: number;
}

export interface ComparisonRow extends Comparison {
  system: string;
  measure: string;
}

export interface QuerySetResult {
  name: string;
  collection: string;
  qrels: string;
  qids: string[];
  systems: SystemResult[];
  /** Each system against the baseline. */
  comparisons: ComparisonRow[];
}

export interface VarietyResult {
  /** The reference variety's query set, and the other one, asking the same topics. */
  reference: string;
  other: string;
  pairBy: 'qid' | 'relevant';
  /** The topics both ask and both judge: [reference qid, other qid]. */
  pairs: [string, string][];
  comparisons: ComparisonRow[];
}

export interface ExperimentResult {
  name: string;
  file: string;
  output: string;
  date: string;
  softwareVersion: string;
  measures: string[];
  baseline: string;
  correction: 'none' | 'bonferroni' | 'holm';
  test: 'randomisation' | 't';
  significance: number;
  permutations: number;
  seed: number;
  /** The collections and the query sets that search each, as declared (one group in the single-collection form). */
  groups: { collection: string; querySets: string[] }[];
  /** Every query set of every group, in the order declared; comparisons are corrected within one query set. */
  querySets: QuerySetResult[];
  varieties?: VarietyResult;
  /** Files written to the output folder. */
  files: string[];
}

interface LoadedQuerySet {
  name: string;
  collection: string;
  queries: PipelineQuery[];
  qrels: Qrels;
  /** What a fuse stage should tune on: a query set name or a qrels file. */
  qrelsRef: string;
}

function readQueriesFile(file: string): PipelineQuery[] {
  const out: PipelineQuery[] = [];
  const text = readTextFile(file, 'queries file');
  let line = 0;
  for (const raw of text.split('\n')) {
    line++;
    if (!raw.trim()) continue;
    const tab = raw.indexOf('\t');
    if (tab <= 0) throw new PontError('bad_data', 'queries.bad_line', { file, line }, [{ file, line, reason: 'expected qid<TAB>text' }]);
    out.push({ qid: raw.slice(0, tab).trim(), text: raw.slice(tab + 1).replace(/\r$/, '') });
  }
  return out;
}

/** Only judgements of queries the set asks: a judged topic the set lacks must not count as a failure. */
function restrictQrels(qrels: Qrels, queries: readonly PipelineQuery[]): Qrels {
  const out = emptyQrels(qrels.source);
  for (const q of queries) {
    const docs = qrels.queries.get(q.qid);
    if (docs) out.queries.set(q.qid, docs);
    const dup = qrels.duplicates.get(q.qid);
    if (dup) out.duplicates.set(q.qid, dup);
  }
  return out;
}

function loadQuerySet(exp: LoadedExperiment, ref: QuerySetRef, group: ExperimentGroup, field: string, ws: Workspace): LoadedQuerySet {
  const name = querySetName(ref);
  const collection = (typeof ref === 'string' ? undefined : ref.collection) ?? group.collection;
  if (typeof ref !== 'string' && ref.queries) {
    if (!ref.qrels) throw new PontError('invalid_input', 'experiment.no_qrels', { file: exp.file, name }, [{ file: exp.file, field, reason: 'qrels missing' }]);
    const qrelsFile = relativeTo(exp, ref.qrels);
    const queries = readQueriesFile(relativeTo(exp, ref.queries));
    return { name, collection, queries, qrels: restrictQrels(readQrels(qrelsFile), queries), qrelsRef: qrelsFile };
  }
  const set = ws.db.prepare('SELECT id FROM query_sets WHERE name = ?').pluck().get(name) as number | undefined;
  if (set === undefined) {
    throw new PontError('not_found', 'experiment.no_query_set', { file: exp.file, name }, [
      { file: exp.file, field, reason: `"${name}" does not exist; import it with pont queries import, or give queries and qrels files` },
    ]);
  }
  const queries = ws.db.prepare('SELECT qid, text FROM queries WHERE query_set_id = ? ORDER BY qid').all(set) as PipelineQuery[];
  const qrels = typeof ref !== 'string' && ref.qrels ? readQrels(relativeTo(exp, ref.qrels)) : qrelsOfQuerySet(ws.db, name);
  return { name, collection, queries, qrels: restrictQrels(qrels, queries), qrelsRef: typeof ref !== 'string' && ref.qrels ? relativeTo(exp, ref.qrels) : name };
}

/** Fusion stages tuned by cross-validation tune on the query set being evaluated, unless told otherwise. */
function withQrels(spec: PipelineSpec, qrelsRef: string): PipelineSpec {
  const [kind, params] = Object.entries(spec)[0]!;
  if (!params || typeof params !== 'object' || Array.isArray(params)) return spec;
  const p = { ...(params as Record<string, unknown>) };
  if (Array.isArray(p.systems)) p.systems = p.systems.map((s) => (s && typeof s === 'object' ? withQrels(s as PipelineSpec, qrelsRef) : s));
  if (kind === 'fuse' && (p.alpha === undefined || p.alpha === 'cv') && p.qrels === undefined) p.qrels = qrelsRef;
  return { [kind]: p };
}

/** Runs every system on every query set, evaluates, compares with the baseline and between varieties. */
export async function runExperiment(exp: LoadedExperiment, ws: Workspace, job: JobContext): Promise<Omit<ExperimentResult, 'files'>> {
  const def = exp.def;
  const measures = parseMeasures(def.measures);
  const measureNames = measures.map(measureToString);
  const systemNames = Object.keys(def.systems);
  const baseline = def.baseline ?? systemNames[0]!;
  // Everything the experiment reads is checked before the first run: a typo in the last group fails at once.
  const field = (g: number, f: string) => (def.groups ? `groups.${g}.${f}` : f);
  const sets = exp.groups.flatMap((group, g) =>
    group.querySets.map((ref) => {
      const set = loadQuerySet(exp, ref, group, field(g, 'querySets'), ws);
      if (!ws.db.prepare('SELECT 1 FROM collections WHERE name = ?').get(set.collection)) {
        throw new PontError('not_found', 'experiment.no_collection', { file: exp.file, name: set.collection }, [
          { file: exp.file, field: field(g, 'collection'), reason: `"${set.collection}" does not exist` },
        ]);
      }
      return set;
    }),
  );
  const totalSteps = sets.length * systemNames.length;
  let step = 0;
  const querySets: QuerySetResult[] = [];
  const qrelsBySet = new Map<string, Qrels>();
  for (const set of sets) {
    const systems: SystemResult[] = [];
    const cache = new StageCache();
    // With -c semantics every system is evaluated on the same judged queries, in byte order.
    let qids: string[] = [];
    for (const name of systemNames) {
      throwIfCancelled(job.signal, 'the experiment');
      job.progress({ phase: `${set.name}: ${name}`, done: step, total: totalSteps, unit: 'runs' });
      const spec = withQrels(def.systems[name]!, set.qrelsRef);
      const stage = cache.build(spec, `systems.${name}`);
      const started = performance.now();
      const results = await stage.run(set.queries, {
        workspace: ws,
        collection: set.collection,
        querySet: set.name,
        signal: job.signal,
        progress: (p) => job.progress({ ...p, phase: `${set.name}: ${name}: ${p.phase}` }),
      });
      const seconds = (performance.now() - started) / 1000;
      const run = runFromResults(results, name, `${name} on ${set.name}`);
      const e = evaluate(run, set.qrels, measures, { complete: true, ...(def.depth ? { depth: def.depth } : {}), ...(def.relLevel !== undefined ? { relLevel: def.relLevel } : {}) });
      qids = e.queries;
      let stored: string | null = null;
      if (def.storeRuns) {
        stored = `${exp.name}.${name}.${set.name}`.replace(/[^\p{L}\p{N}._-]/gu, '_');
        saveRun(
          ws.db,
          stored,
          run,
          makeProvenance({ pipeline: def.systems[name], label: stage.label, stages: stage.provenance, collection: set.collection, querySet: set.name, experiment: exp.file }),
          true,
        );
      }
      const cv: CrossValidation | undefined = (stage as FuseStage).crossValidation;
      systems.push({
        name,
        label: stage.label,
        pipeline: def.systems[name]!,
        run: stored,
        means: Object.fromEntries(measureNames.map((m, i) => [m, e.summary[i]!])),
        perQuery: Object.fromEntries(measureNames.map((m, i) => [m, Array.from(e.values[i]!)])),
        ...(cv ? { crossValidation: cv.folds.map((f) => ({ fold: f.fold, alpha: f.alpha, trainMean: f.trainMean, queries: f.test.length })) } : {}),
        seconds,
      });
      step++;
    }
    const base = systems.find((s) => s.name === baseline)!;
    const comparisons: ComparisonRow[] = [];
    for (const m of measureNames) {
      const others = systems.filter((s) => s !== base);
      const family = others.map((s) => compare(s.perQuery[m]!, base.perQuery[m]!, { permutations: def.permutations, seed: def.seed }));
      correctFamily(family, { correction: def.correction, test: def.test, level: def.significance }).forEach((c, i) =>
        comparisons.push({ system: others[i]!.name, measure: m, ...c }),
      );
    }
    querySets.push({ name: set.name, collection: set.collection, qrels: set.qrels.source, qids, systems, comparisons });
    qrelsBySet.set(set.name, set.qrels);
  }
  job.progress({ phase: 'done', done: totalSteps, total: totalSteps, unit: 'runs' });
  return {
    name: exp.name,
    file: exp.file,
    output: relativeTo(exp, def.output),
    date: new Date().toISOString(),
    softwareVersion,
    measures: measureNames,
    baseline,
    correction: def.correction,
    test: def.test,
    significance: def.significance,
    permutations: def.permutations,
    seed: def.seed,
    groups: exp.groups.map((g) => ({ collection: g.collection, querySets: g.querySets.map(querySetName) })),
    querySets,
    ...(def.varieties ? { varieties: compareVarieties(querySets, qrelsBySet, def.varieties, measureNames, def) } : {}),
  };
}

/** Topics asked in both varieties. By relevant documents, a topic pairs only when its set is unique on both sides. */
function pairTopics(ref: QuerySetResult, other: QuerySetResult, qrels: Map<string, Qrels>, pairBy: 'qid' | 'relevant'): [string, string][] {
  if (pairBy === 'qid') {
    const otherQids = new Set(other.qids);
    return ref.qids.filter((q) => otherQids.has(q)).map((q) => [q, q]);
  }
  const key = (set: QuerySetResult) => {
    const byKey = new Map<string, string | null>();
    const judged = qrels.get(set.name)!;
    for (const qid of set.qids) {
      const relevant = [...(judged.queries.get(qid) ?? [])].filter(([, g]) => g > 0).map(([d]) => d).sort();
      if (relevant.length === 0) continue;
      const k = relevant.join('\u0000');
      byKey.set(k, byKey.has(k) ? null : qid);
    }
    return byKey;
  };
  const a = key(ref);
  const b = key(other);
  const pairs: [string, string][] = [];
  for (const [k, qa] of a) {
    const qb = b.get(k);
    if (qa !== null && qb !== undefined && qb !== null) pairs.push([qa, qb]);
  }
  return pairs;
}

/**
 * The same topics asked in two varieties: for each system and measure, the other variety's per-query values
 * against the reference variety's, over the topics both ask.
 */
function compareVarieties(
  sets: QuerySetResult[],
  qrels: Map<string, Qrels>,
  v: { sets: [string, string]; pairBy: 'qid' | 'relevant' },
  measures: string[],
  def: LoadedExperiment['def'],
): VarietyResult {
  const [refName, otherName] = v.sets;
  const ref = sets.find((s) => s.name === refName)!;
  const other = sets.find((s) => s.name === otherName)!;
  const pairs = pairTopics(ref, other, qrels, v.pairBy);
  if (pairs.length === 0) {
    throw new PontError('invalid_input', 'experiment.no_shared_topic', { a: refName, b: otherName, pairBy: v.pairBy }, [
      { field: 'varieties', reason: v.pairBy === 'qid' ? 'no shared qids; try "pairBy": "relevant"' : 'no shared set of relevant documents' },
    ]);
  }
  const refIndex = new Map(ref.qids.map((q, i) => [q, i]));
  const otherIndex = new Map(other.qids.map((q, i) => [q, i]));
  const comparisons: ComparisonRow[] = [];
  for (const m of measures) {
    const family = ref.systems.map((s) => {
      const o = other.systems.find((x) => x.name === s.name)!;
      const a = pairs.map(([, q]) => o.perQuery[m]![otherIndex.get(q)!]!);
      const b = pairs.map(([q]) => s.perQuery[m]![refIndex.get(q)!]!);
      return compare(a, b, { permutations: def.permutations, seed: def.seed });
    });
    correctFamily(family, { correction: def.correction, test: def.test, level: def.significance }).forEach((c, i) =>
      comparisons.push({ system: ref.systems[i]!.name, measure: m, ...c }),
    );
  }
  return { reference: refName, other: otherName, pairBy: v.pairBy, pairs, comparisons };
}
