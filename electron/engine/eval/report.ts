import { evaluate, type Evaluation, type EvaluationOptions } from './evaluate.ts';
import { formatFixed, isSummed, measureToString, parseMeasures } from './measure.ts';
import type { Qrels } from './qrels.ts';
import type { Run } from './run.ts';
import type { JobContext } from '../jobs/progress.ts';

/** What `pont eval` and the `eval.run` method answer: plain data, ready for JSON. */
export interface EvalReport {
  run: string;
  runid: string;
  qrels: string;
  options: { depth?: number; relLevel: number; complete: boolean };
  measures: string[];
  /** Mean over queries (sum for counts), by measure. */
  summary: Record<string, number>;
  queries: number;
  perQuery?: { qid: string; values: Record<string, number> }[];
  /** Queries the run answered that the qrels do not judge (ignored), and judged queries the run did not answer. */
  runOnly: string[];
  unanswered: string[];
}

export const defaultMeasures = ['AP', 'nDCG@10', 'RR@10', 'P@20', 'R@100', 'R@1000', 'Judged@10'];

export function evalReport(
  run: Run,
  qrels: Qrels,
  measureTexts: readonly string[],
  options: EvaluationOptions,
  perQuery: boolean,
  job?: JobContext,
): { report: EvalReport; evaluation: Evaluation } {
  const measures = parseMeasures(measureTexts.length > 0 ? measureTexts : defaultMeasures);
  const e = evaluate(run, qrels, measures, options, job);
  const names = measures.map(measureToString);
  const report: EvalReport = {
    run: run.source,
    runid: e.runid,
    qrels: qrels.source,
    options: { ...(options.depth !== undefined ? { depth: options.depth } : {}), relLevel: options.relLevel ?? 1, complete: options.complete ?? false },
    measures: names,
    summary: Object.fromEntries(names.map((n, i) => [n, e.summary[i]!])),
    queries: e.queries.length,
    runOnly: e.runOnly,
    unanswered: e.unanswered,
  };
  if (perQuery) {
    report.perQuery = e.queries.map((qid, qi) => ({ qid, values: Object.fromEntries(names.map((n, mi) => [n, e.values[mi]![qi]!])) }));
  }
  return { report, evaluation: e };
}

/** trec_eval's own output format (`-q` style), for diffing against it line by line. */
export function formatTrecEval(report: EvalReport): string {
  const counts = new Set(report.measures.filter((n) => isSummed(parseMeasures([n])[0]!)));
  const fmt = (n: string, v: number) => (counts.has(n) ? String(v) : formatFixed(v));
  const line = (n: string, qid: string, v: string) => `${n.padEnd(22)}\t${qid}\t${v}\n`;
  let out = '';
  for (const q of report.perQuery ?? []) for (const n of report.measures) out += line(n, q.qid, fmt(n, q.values[n]!));
  out += line('runid', 'all', report.runid);
  out += line('num_q', 'all', String(report.queries));
  for (const n of report.measures) out += line(n, 'all', fmt(n, report.summary[n]!));
  return out;
}
