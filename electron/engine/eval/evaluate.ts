import { PontError } from '../errors.ts';
import { throwIfCancelled, type JobContext } from '../jobs/progress.ts';
import { averagePrecision, inferredAP } from './ap.ts';
import { bpref } from './bpref.ts';
import { numRelevant, numRelevantRetrieved, numRetrieved } from './counts.ts';
import { UNJUDGED, type JudgedRanking } from './judged-ranking.ts';
import { judgedAt } from './judged.ts';
import { isSummed, measureToString, type Measure } from './measure.ts';
import { ndcg } from './ndcg.ts';
import { precisionAt } from './precision.ts';
import { duplicateJudgementError, type Qrels } from './qrels.ts';
import { recallAt } from './recall.ts';
import { rPrecision } from './rprec.ts';
import { reciprocalRank } from './rr.ts';
import { rankOrder, type Run, type RunQuery } from './run.ts';
import { successAt } from './success.ts';
import { compareBytes } from './text-lines.ts';

export interface EvaluationOptions {
  /** trec_eval `-M`: only the first `depth` documents of each ranking exist, for every measure. */
  depth?: number;
  /** trec_eval `-l`: the grade from which a document is relevant, for measures without their own `rel=`. */
  relLevel?: number;
  /**
   * trec_eval `-c`: queries of the qrels that the run did not answer count, with 0 for every measure. Without it
   * they are left out, as trec_eval 9, pytrec_eval and ir_measures do (trec_eval 10 stops with an error instead).
   */
  complete?: boolean;
}

export interface Evaluation {
  measures: Measure[];
  /** The evaluated queries, in byte order as trec_eval prints them. */
  queries: string[];
  /** `values[m][q]`: measure m on query q. */
  values: Float64Array[];
  /** Per measure: the mean over queries, or the sum for counts (NumRet, NumRel, NumRelRet). */
  summary: number[];
  /** Queries of the run the qrels do not mention (never evaluated), and queries of the qrels the run did not answer. */
  runOnly: string[];
  unanswered: string[];
  runid: string;
}

export function measureValue(r: JudgedRanking, m: Measure, level: number): number {
  const l = m.rel ?? level;
  switch (m.name) {
    case 'nDCG':
      return ndcg(r, m.cutoff);
    case 'AP':
      return averagePrecision(r, l, m.cutoff);
    case 'RR':
      return reciprocalRank(r, l, m.cutoff);
    case 'P':
      return precisionAt(r, l, m.cutoff!);
    case 'R':
      return recallAt(r, l, m.cutoff!);
    case 'Success':
      return successAt(r, l, m.cutoff!);
    case 'Judged':
      return judgedAt(r, m.cutoff!);
    case 'Rprec':
      return rPrecision(r, l);
    case 'Bpref':
      return bpref(r, l);
    case 'infAP':
      return inferredAP(r, l);
    case 'NumRet':
      return numRetrieved(r, m.cutoff);
    case 'NumRel':
      return numRelevant(r, l);
    case 'NumRelRet':
      return numRelevantRetrieved(r, l, m.cutoff);
  }
}

const noRun: RunQuery = { docnos: [], scores: [], lines: [], duplicates: null };

/** Grades of one query's judged documents, highest first. */
function judgedGrades(docs: Map<string, number>): Int32Array {
  const out = new Int32Array(docs.size);
  let i = 0;
  for (const g of docs.values()) out[i++] = g;
  return out.sort().reverse();
}

export type Judge = (qid: string, q: RunQuery, docs: Map<string, number>, depth: number, gradeDepth?: number) => JudgedRanking;

/**
 * Turns rankings of one run into grades, query after query, as deep as `gradeDepth`. A query known to retrieve
 * some docno twice is checked over its whole (depth-cut) ranking, since only duplicates there are errors.
 */
export function makeJudge(run: Run): Judge {
  const seen = new Set<string>();
  return (qid, q, docs, depth, gradeDepth = Infinity) => {
    const order = rankOrder(q, depth);
    if (q.duplicates !== null) {
      seen.clear();
      for (let i = 0; i < order.length; i++) {
        const k = order[i]!;
        if (seen.size === seen.add(q.docnos[k]!).size) throw duplicateError(run, qid, q, k);
      }
    }
    const n = Math.min(order.length, gradeDepth);
    const grades = new Int32Array(n);
    for (let i = 0; i < n; i++) grades[i] = docs.get(q.docnos[order[i]!]!) ?? UNJUDGED;
    return { grades, retrieved: order.length, judged: judgedGrades(docs) };
  };
}

/** How deep the measures read a ranking: their largest cutoff, or all of it when one has none (or needs R). */
export function gradeDepthOf(measures: readonly Measure[]): number {
  let d = 0;
  for (const m of measures) {
    if (m.name === 'NumRet' || m.name === 'NumRel') continue;
    if (m.cutoff === undefined) return Infinity;
    d = Math.max(d, m.cutoff);
  }
  return d;
}

function duplicateError(run: Run, qid: string, q: RunQuery, k: number): PontError {
  const docno = q.docnos[k]!;
  const line = q.lines[k];
  return new PontError('bad_data', 'run.duplicate', { where: `${run.source}${line ? `, line ${line}` : ''}`, doc: docno, qid }, [
    { file: run.source, ...(line ? { line } : {}), field: 'docno', reason: `${docno} appears twice in the ranking of query ${qid}` },
  ]);
}

/** One query's ranking as measures read it; refuses a document retrieved twice within the depth, as trec_eval. */
export function judgeRanking(run: Run, qid: string, q: RunQuery, docs: Map<string, number>, depth: number): JudgedRanking {
  return makeJudge(run)(qid, q, docs, depth);
}

/**
 * Scores a run against qrels, query by query, exactly as trec_eval 10 does (see docs/evaluation.md for the rules
 * and the one place where it follows trec_eval 9 instead).
 */
export function evaluate(run: Run, qrels: Qrels, measures: readonly Measure[], options: EvaluationOptions = {}, job?: JobContext): Evaluation {
  const depth = options.depth ?? Infinity;
  const level = options.relLevel ?? 1;
  const queries = [...qrels.queries.keys()].filter((qid) => options.complete || run.queries.has(qid)).sort(compareBytes);
  const values = measures.map(() => new Float64Array(queries.length));
  const judge = makeJudge(run);
  const gradeDepth = gradeDepthOf(measures);
  for (let qi = 0; qi < queries.length; qi++) {
    const qid = queries[qi]!;
    if (job && (qi & 255) === 0) {
      throwIfCancelled(job.signal, 'the evaluation');
      job.progress({ phase: 'evaluating', done: qi, total: queries.length, unit: 'queries' });
    }
    const dup = duplicateJudgementError(qrels, qid);
    if (dup) throw dup;
    const ranking = judge(qid, run.queries.get(qid) ?? noRun, qrels.queries.get(qid)!, depth, gradeDepth);
    for (let mi = 0; mi < measures.length; mi++) values[mi]![qi] = measureValue(ranking, measures[mi]!, level);
  }
  const summary = measures.map((m, mi) => {
    let sum = 0;
    for (const v of values[mi]!) sum += v;
    return isSummed(m) || queries.length === 0 ? sum : sum / queries.length;
  });
  return {
    measures: [...measures],
    queries,
    values,
    summary,
    runOnly: [...run.queries.keys()].filter((q) => !qrels.queries.has(q)).sort(compareBytes),
    unanswered: [...qrels.queries.keys()].filter((q) => !run.queries.has(q)).sort(compareBytes),
    runid: run.runid,
  };
}

/** The values of one measure by query id. */
export function perQuery(e: Evaluation, m: Measure): Map<string, number> {
  const key = measureToString(m);
  const mi = e.measures.findIndex((x) => measureToString(x) === key);
  if (mi < 0) throw new PontError('invalid_input', 'evaluation.no_measure', { measure: key }, [{ field: 'measure', reason: `${key} was not computed` }]);
  return new Map(e.queries.map((q, qi) => [q, e.values[mi]![qi]!]));
}
