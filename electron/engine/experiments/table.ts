import { formatFixed } from '../eval/measure.ts';
import type { ComparisonRow, ExperimentResult, QuerySetResult, VarietyResult } from './runner.ts';

/** Terminal tables: means with deltas and markers, then the tests behind the markers. */

const fmtP = (p: number): string => (Number.isNaN(p) ? 'n/a' : p < 0.0001 ? '<0.0001' : formatFixed(p));
const signed = (x: number): string => `${x >= 0 ? '+' : '−'}${formatFixed(Math.abs(x))}`;

export function markerLegend(r: Pick<ExperimentResult, 'test' | 'correction' | 'significance' | 'permutations' | 'seed'>): string {
  const test = r.test === 't' ? 'paired t-test' : `paired randomisation test (${r.permutations.toLocaleString('en-US')} permutations, seed ${r.seed}, two-sided)`;
  const corr = r.correction === 'none' ? 'no correction' : `${r.correction === 'holm' ? 'Holm' : 'Bonferroni'} correction`;
  return `† p < ${r.significance} by the ${test}, ${corr}`;
}

function renderGrid(headers: string[], rows: string[][], rightFrom = 1): string {
  const widths = headers.map((h, i) => Math.max([...h].length, ...rows.map((r) => [...r[i]!].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i >= rightFrom ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function meansTable(set: QuerySetResult, measures: string[], baseline: string): string {
  const rows = set.systems.map((s) => [
    s.name + (s.name === baseline ? ' (baseline)' : ''),
    ...measures.map((m) => {
      const c = set.comparisons.find((x) => x.system === s.name && x.measure === m);
      return c ? `${formatFixed(s.means[m]!)} ${signed(c.delta)}${c.significant ? '†' : ' '}` : `${formatFixed(s.means[m]!)}         `;
    }),
  ]);
  return renderGrid(['system', ...measures], rows);
}

function testsTable(rows: ComparisonRow[], label: (r: ComparisonRow) => string): string {
  return renderGrid(
    ['system', 'measure', 'delta', 'rel.', 't-test p', 'rand. p', 'adj. p', 'W/T/L'],
    rows.map((r) => [
      label(r),
      r.measure,
      signed(r.delta) + (r.significant ? '†' : ' '),
      r.relative === null ? 'n/a' : `${r.relative >= 0 ? '+' : '−'}${(Math.abs(r.relative) * 100).toFixed(1)}%`,
      fmtP(r.tTestP),
      fmtP(r.randomisationP),
      fmtP(r.adjustedP),
      `${r.wins}/${r.ties}/${r.losses}`,
    ]),
    2,
  );
}

function varietyTable(v: VarietyResult, r: ExperimentResult): string {
  return [
    `Varieties: ${v.other} against ${v.reference} on the ${v.pairs.length} topics both ask (paired by ${v.pairBy === 'qid' ? 'topic id' : 'identical relevant documents'})`,
    renderGrid(
      ['system', 'measure', v.reference, v.other, 'delta', 't-test p', 'rand. p', 'adj. p', 'W/T/L'],
      v.comparisons.map((c) => [
        c.system,
        c.measure,
        formatFixed(c.reference),
        formatFixed(c.mean),
        signed(c.delta) + (c.significant ? '†' : ' '),
        fmtP(c.tTestP),
        fmtP(c.randomisationP),
        fmtP(c.adjustedP),
        `${c.wins}/${c.ties}/${c.losses}`,
      ]),
      2,
    ),
    markerLegend(r),
  ].join('\n');
}

/** A system's mean on a measure, with the marker of its comparison with the baseline in that query set. */
export function markedMean(set: QuerySetResult, system: string, measure: string): { value: string; significant: boolean } {
  const s = set.systems.find((x) => x.name === system)!;
  const c = set.comparisons.find((x) => x.system === system && x.measure === measure);
  return { value: formatFixed(s.means[measure]!), significant: c?.significant ?? false };
}

/** One row per query set and system, one column per measure: the experiment at a glance, across every group. */
export function summaryRows(r: Pick<ExperimentResult, 'querySets' | 'measures'>): { set: QuerySetResult; system: string; cells: { value: string; significant: boolean }[] }[] {
  return r.querySets.flatMap((set) => set.systems.map((s) => ({ set, system: s.name, cells: r.measures.map((m) => markedMean(set, s.name, m)) })));
}

/** The summary as a Markdown table (for notes and reports). */
export function summaryMarkdown(r: ExperimentResult): string {
  const lines = [
    `| query set | collection | queries | system | ${r.measures.join(' | ')} |`,
    `|---|---|---:|---|${r.measures.map(() => '---:').join('|')}|`,
    ...summaryRows(r).map(
      ({ set, system, cells }) =>
        `| ${set.name} | ${set.collection} | ${set.qids.length} | ${system}${system === r.baseline ? ' (baseline)' : ''} | ${cells.map((c) => `${c.value}${c.significant ? '†' : ''}`).join(' | ')} |`,
    ),
  ];
  return `${lines.join('\n')}\n\n${markerLegend(r)}, against ${r.baseline} within each query set.\n`;
}

function summaryTable(r: ExperimentResult): string {
  return renderGrid(
    ['query set', 'system', ...r.measures],
    summaryRows(r).map(({ set, system, cells }) => [set.name, system, ...cells.map((c) => `${c.value}${c.significant ? '†' : ' '}`)]),
    2,
  );
}

export function renderExperiment(r: ExperimentResult): string {
  const out: string[] = [`Experiment ${r.name}`, ''];
  if (r.unfinished) {
    out.push(`Unfinished: ${r.unfinished.units} of ${r.unfinished.of} (query set, system) units done; running the experiment again resumes it.`, '');
  }
  for (const set of r.querySets) {
    out.push(`${set.name}: ${set.qids.length} queries on ${set.collection}, baseline ${r.baseline}`);
    out.push(meansTable(set, r.measures, r.baseline));
    out.push(markerLegend(r), '');
    if (set.comparisons.length > 0) out.push(testsTable(set.comparisons, (c) => c.system), '');
    for (const s of set.systems) {
      if (s.crossValidation) {
        out.push(`${s.name}: α per fold (tuned on the other folds): ${s.crossValidation.map((f) => `fold ${f.fold} α=${f.alpha} (${f.queries} queries)`).join(', ')}`);
      }
    }
    if (set.systems.some((s) => s.crossValidation)) out.push('');
  }
  if (r.varieties) out.push(varietyTable(r.varieties, r), '');
  if (r.querySets.length > 1) out.push(`Summary: ${r.querySets.length} query sets on ${new Set(r.querySets.map((s) => s.collection)).size} collections`, summaryTable(r), markerLegend(r), '');
  if (r.files.length > 0) out.push(`Written to ${r.output}: ${r.files.join(', ')}`);
  return out.join('\n');
}
