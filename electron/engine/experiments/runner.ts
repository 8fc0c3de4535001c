import { createHash } from 'node:crypto';
import { evaluate } from '../eval/evaluate.ts';
import { measureToString, parseMeasures } from '../eval/measure.ts';
import { emptyQrels, qrelsOfQuerySet, readQrels, type Qrels } from '../eval/qrels.ts';
import { readTextFile } from '../eval/text-lines.ts';
import { PontError } from '../errors.ts';
import { ProgressMeter, throwIfCancelled, type JobContext } from '../jobs/progress.ts';
import type { FuseStage } from '../pipeline/fuse.ts';
import type { CrossValidation } from '../pipeline/fuse-tuning.ts';
import { stageKey, type PipelineSpec } from '../pipeline/registry.ts';
import { StageCache, storedForm } from './stage-cache.ts';
import { ExperimentUnits } from './units.ts';
import { rankedHits } from '../runs/run-stage.ts';
import type { PipelineQuery } from '../pipeline/stage.ts';
import '../pipeline/kinds.ts';
import { loadRun, makeProvenance, saveRun, softwareVersion } from '../runs/store.ts';
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
  /** While it runs (the files written after each unit): the (query set, system) units finished so far. */
  unfinished?: { units: number; of: number };
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

/** The queries and judgements a unit was computed and evaluated on: a set edited since is a new unit. */
function querySetDigest(set: LoadedQuerySet): string {
  const h = createHash('sha256');
  for (const q of set.queries) h.update(`${q.qid}\t${q.text}\n`);
  for (const [qid, docs] of set.qrels.queries) for (const [doc, rel] of docs) h.update(`${qid}\t${doc}\t${rel}\n`);
  return h.digest('hex');
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

/** Each system against the baseline, on each measure; the family corrected is the systems on one measure. */
function compareWithBaseline(systems: SystemResult[], baseline: string, measureNames: string[], def: LoadedExperiment['def']): ComparisonRow[] {
  const base = systems.find((s) => s.name === baseline)!;
  const comparisons: ComparisonRow[] = [];
  for (const m of measureNames) {
    const others = systems.filter((s) => s !== base);
    const family = others.map((s) => compare(s.perQuery[m]!, base.perQuery[m]!, { permutations: def.permutations, seed: def.seed }));
    correctFamily(family, { correction: def.correction, test: def.test, level: def.significance }).forEach((c, i) =>
      comparisons.push({ system: others[i]!.name, measure: m, ...c }),
    );
  }
  return comparisons;
}

/** The results so far: finished query sets, then the systems done of the one in progress (not compared yet). */
export type PartialListener = (partial: Omit<ExperimentResult, 'files'>) => void;

/**
 * Runs every system on every query set, evaluates, compares with the baseline and between varieties. Each
 * (query set, system) unit is committed to the workspace as it finishes (with its run), `onPartial` gets the results
 * so far after each, and running the same experiment again resumes after the last finished unit.
 */
export async function runExperiment(exp: LoadedExperiment, ws: Workspace, job: JobContext, onPartial: PartialListener = () => {}): Promise<Omit<ExperimentResult, 'files'>> {
  const def = exp.def;
  const measures = parseMeasures(def.measures);
  const measureNames = measures.map(measureToString);
  const systemNames = Object.keys(def.systems);
  const baseline = def.baseline ?? systemNames[0]!;
  const evalOptions = { complete: true, ...(def.depth ? { depth: def.depth } : {}), ...(def.relLevel !== undefined ? { relLevel: def.relLevel } : {}) };
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
  const units = new ExperimentUnits(ws.db, exp.file);
  // Each unit's identity: what its system computes on this collection, and how it is evaluated.
  const plan = sets.map((set) => {
    const ctx = { workspace: ws, collection: set.collection, querySet: set.name };
    const digest = querySetDigest(set);
    return systemNames.map((name) => {
      const spec = withQrels(def.systems[name]!, set.qrelsRef);
      const key = stageKey(spec, ctx, `systems.${name}`);
      const unitKey = JSON.stringify({ key, querySet: digest, measures: measureNames, evalOptions, storeRuns: def.storeRuns, version: softwareVersion });
      return { name, spec, key, unitKey, done: units.find(set.name, name, unitKey, measureNames) };
    });
  });
  const totalUnits = sets.length * systemNames.length;
  const toRun = plan.flatMap((p, i) => p.filter((u) => !u.done).map(() => sets[i]!.queries.length));
  const total = toRun.reduce((a, b) => a + b, 0);
  const meter = new ProgressMeter(job.progress, 500);
  let done = 0;
  let unitsDone = 0;

  const header = () => ({
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
  });
  const querySets: QuerySetResult[] = [];
  const qrelsBySet = new Map<string, Qrels>();
  for (const [si, set] of sets.entries()) {
    const systems: SystemResult[] = [];
    const cache = new StageCache({ workspace: ws, collection: set.collection, querySet: set.name }, (key) => {
      const name = units.storedRun(set.name, key);
      if (!name) return undefined;
      const run = loadRun(ws.db, name);
      return new Map(set.queries.map((q) => [q.qid, run.queries.has(q.qid) ? rankedHits(run.queries.get(q.qid)!) : []]));
    });
    // With -c semantics every system is evaluated on the same judged queries, in byte order.
    let qids: string[] = [];
    for (const unit of plan[si]!) {
      const { name } = unit;
      unitsDone++;
      if (unit.done) {
        systems.push(unit.done.system);
        qids = unit.done.qids;
        continue;
      }
      throwIfCancelled(job.signal, 'the experiment');
      const phase = `${set.name} (${set.collection}) · ${name} · unit ${unitsDone}/${totalUnits}`;
      meter.update({ phase, done, total, unit: 'queries' }, true);
      const stage = cache.build(unit.spec, `systems.${name}`);
      const started = performance.now();
      const run = storedForm(
        await stage.run(set.queries, {
          workspace: ws,
          collection: set.collection,
          querySet: set.name,
          signal: job.signal,
          progress: (p) => meter.update({ phase, done: done + Math.min(p.unit === 'queries' ? p.done : 0, set.queries.length), total, unit: 'queries', message: p.phase }),
        }),
        name,
        `${name} on ${set.name}`,
      );
      const seconds = (performance.now() - started) / 1000;
      const e = evaluate(run, set.qrels, measures, evalOptions);
      qids = e.queries;
      const cv: CrossValidation | undefined = (stage as FuseStage).crossValidation;
      const stored = def.storeRuns ? `${exp.name}.${name}.${set.name}`.replace(/[^\p{L}\p{N}._-]/gu, '_') : null;
      const system: SystemResult = {
        name,
        label: stage.label,
        pipeline: def.systems[name]!,
        run: stored,
        means: Object.fromEntries(measureNames.map((m, i) => [m, e.summary[i]!])),
        perQuery: Object.fromEntries(measureNames.map((m, i) => [m, Array.from(e.values[i]!)])),
        ...(cv ? { crossValidation: cv.folds.map((f) => ({ fold: f.fold, alpha: f.alpha, trainMean: f.trainMean, queries: f.test.length })) } : {}),
        seconds,
      };
      // The run and the unit in one transaction: after a crash either both are there or neither.
      ws.db.transaction(() => {
        let runId: number | null = null;
        if (stored) {
          const provenance = makeProvenance({ pipeline: def.systems[name], label: stage.label, stages: stage.provenance, collection: set.collection, querySet: set.name, experiment: exp.file });
          saveRun(ws.db, stored, run, provenance, true);
          runId = ws.db.prepare('SELECT id FROM runs WHERE name = ?').pluck().get(stored) as number;
        }
        units.save(set.name, unit.unitKey, unit.key, runId, qids, system, measureNames);
      })();
      systems.push(system);
      done += set.queries.length;
      onPartial({
        ...header(),
        querySets: [...querySets, { name: set.name, collection: set.collection, qrels: set.qrels.source, qids, systems: [...systems], comparisons: [] }],
        unfinished: { units: unitsDone, of: totalUnits },
      });
    }
    const comparisons = compareWithBaseline(systems, baseline, measureNames, def);
    querySets.push({ name: set.name, collection: set.collection, qrels: set.qrels.source, qids, systems, comparisons });
    qrelsBySet.set(set.name, set.qrels);
    if (si < sets.length - 1) onPartial({ ...header(), querySets: [...querySets], unfinished: { units: unitsDone, of: totalUnits } });
  }
  meter.update({ phase: 'done', done: total, total, unit: 'queries' }, true);
  const result = {
    ...header(),
    querySets,
    ...(def.varieties ? { varieties: compareVarieties(querySets, qrelsBySet, def.varieties, measureNames, def) } : {}),
  };
  units.clear();
  return result;
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
