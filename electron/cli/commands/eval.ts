import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import type { Cli } from '../context.ts';
import { renderTable } from '../table.ts';
import type { EvalReport, StoredRunSummary } from '../../api/contract/eval.ts';
import { formatFixed, isSummed, parseMeasure } from '../../engine/eval/measure.ts';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

function fmt(measure: string, v: number): string {
  return isSummed(parseMeasure(measure)) ? String(v) : formatFixed(v);
}

export function renderEvalReport(r: EvalReport): string {
  const lines: string[] = [];
  if (r.perQuery) {
    lines.push(
      renderTable([...r.perQuery, { qid: 'all', values: r.summary }], [
        { header: 'query', value: (q) => q.qid },
        ...r.measures.map((m) => ({ header: m, value: (q: { values: Record<string, number> }) => fmt(m, q.values[m]!), align: 'right' as const })),
      ]),
    );
  } else {
    lines.push(renderTable(r.measures, [
      { header: 'measure', value: (m) => m },
      { header: 'value', value: (m) => fmt(m, r.summary[m]!), align: 'right' },
    ]));
  }
  const opts = [r.options.complete ? '-c' : '', r.options.depth !== undefined ? `-M ${r.options.depth}` : '', r.options.relLevel !== 1 ? `-l ${r.options.relLevel}` : '']
    .filter(Boolean)
    .join(' ');
  lines.push('', `${r.queries} queries evaluated (run ${r.runid}${opts ? `, ${opts}` : ''})`);
  if (r.unanswered.length > 0) {
    lines.push(
      r.options.complete
        ? `${r.unanswered.length} judged queries not in the run count as 0: ${r.unanswered.slice(0, 10).join(' ')}${r.unanswered.length > 10 ? ' …' : ''}`
        : `${r.unanswered.length} judged queries not in the run are left out (use -c to count them as 0): ${r.unanswered.slice(0, 10).join(' ')}${r.unanswered.length > 10 ? ' …' : ''}`,
    );
  }
  if (r.runOnly.length > 0) lines.push(`${r.runOnly.length} queries of the run have no judgements and are ignored`);
  return lines.join('\n');
}

interface EvalOptions {
  qrels: string;
  measure: string[];
  perQuery?: boolean;
  complete?: boolean;
  depth?: number;
  relLevel?: number;
  trec?: boolean;
  save?: boolean;
}

export function registerEvalCommands(program: Command, cli: Cli): void {
  program
    .command('eval <run>')
    .description('Evaluate a TREC run (file, .gz, or a run stored in the workspace) as NIST trec_eval 10 does')
    .requiredOption('--qrels <qrels>', 'a TREC qrels file, or the name of a query set whose qrels are in the workspace')
    .option('-m, --measure <measure>', 'a measure such as nDCG@10, RR@10, AP, R@1000, P@20, R(rel=2)@100 (repeatable)', collect, [])
    .option('-q, --per-query', 'print the value of each query too')
    .option('-c, --complete', 'judged queries the run did not answer count as 0 (trec_eval -c)')
    .option('-M, --depth <n>', 'only the first n documents of each ranking (trec_eval -M)', Number)
    .option('-l, --rel-level <n>', 'the grade from which a document is relevant (trec_eval -l, default 1)', Number)
    .option('--trec', "print in trec_eval's own format")
    .option('--save', 'keep the result with the stored run')
    .action(async (run: string, o: EvalOptions) => {
      const input = {
        run,
        qrels: o.qrels,
        measures: o.measure,
        perQuery: o.perQuery ?? false,
        complete: o.complete ?? false,
        save: o.save ?? false,
        ...(o.depth !== undefined ? { depth: o.depth } : {}),
        ...(o.relLevel !== undefined ? { relLevel: o.relLevel } : {}),
      };
      const { formatTrecEval, evalReport } = await import('../../engine/eval/report.ts');
      const render = (r: EvalReport) => (o.trec ? formatTrecEval(r) : renderEvalReport(r));
      if (existsSync(run) && existsSync(o.qrels) && !o.save) {
        // Two files need no workspace, as with trec_eval: nothing is opened or created.
        const [{ evalMethods }, { validationError }, { readQrels }, { readRun }, { noJob }] = await Promise.all([
          import('../../api/contract/eval.ts'),
          import('../../api/engine.ts'),
          import('../../engine/eval/qrels.ts'),
          import('../../engine/eval/run.ts'),
          import('../../engine/jobs/progress.ts'),
        ]);
        const parsed = evalMethods['eval.run'].input.safeParse(input);
        if (!parsed.success) throw validationError('eval.run', parsed.error);
        const p = parsed.data;
        const options = { complete: p.complete, ...(p.depth !== undefined ? { depth: p.depth } : {}), ...(p.relLevel !== undefined ? { relLevel: p.relLevel } : {}) };
        const { report } = evalReport(readRun(run), readQrels(o.qrels), p.measures, options, p.perQuery, noJob);
        const text = cli.options.json ? JSON.stringify(report, null, 2) : render(report);
        process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
        return;
      }
      await cli.call('eval.run', input, render);
    });

  registerExperimentCommands(program, cli);

  const runs = program.command('runs').description('Runs stored in the workspace, with their provenance');
  const renderRuns = (rows: StoredRunSummary[]) =>
    rows.length === 0
      ? 'No runs stored yet. Store one with: pont runs import FILE --name NAME, or run an experiment.'
      : renderTable(rows, [
          { header: 'name', value: (r) => r.name },
          { header: 'queries', value: (r) => r.queries, align: 'right' },
          { header: 'hits', value: (r) => r.hits, align: 'right' },
          { header: 'query set', value: (r) => r.querySet ?? '' },
          { header: 'pipeline', value: (r) => r.label ?? '' },
          { header: 'created', value: (r) => r.createdAt },
        ]);
  runs.command('list').description('List stored runs').action(() => cli.call('runs.list', {}, renderRuns));
  runs
    .command('show <name>')
    .description('Show a stored run and its provenance')
    .action((name: string) => cli.call('runs.show', { name }, (r) => `${renderRuns([r])}\n\n${JSON.stringify(r.provenance, null, 2)}`));
  runs
    .command('import <file>')
    .description('Store a TREC run file produced elsewhere')
    .requiredOption('--name <name>', 'name of the stored run')
    .option('--collection <name>', 'collection it searched')
    .option('--query-set <name>', 'query set it answered')
    .option('--description <text>', 'how it was produced')
    .option('--replace', 'replace a stored run of the same name')
    .action((path: string, o: { name: string; collection?: string; querySet?: string; description?: string; replace?: boolean }) =>
      cli.call(
        'runs.import',
        {
          path,
          name: o.name,
          replace: o.replace ?? false,
          ...(o.collection ? { collection: o.collection } : {}),
          ...(o.querySet ? { querySet: o.querySet } : {}),
          ...(o.description ? { description: o.description } : {}),
        },
        (r) => renderRuns([r]),
      ),
    );
  runs
    .command('export <name> <file>')
    .description('Write a stored run as a TREC run file (.gz to compress)')
    .action((name: string, path: string) => cli.call('runs.export', { name, path }, (r) => `Wrote ${r.hits} lines of ${r.name} to ${r.path}.`));
  runs
    .command('delete <name>')
    .description('Delete a stored run')
    .action((name: string) => cli.call('runs.delete', { name }, (r) => `Deleted run ${r.deleted}.`));
}

export function registerExperimentCommands(program: Command, cli: Cli): void {
  program
    .command('experiment <file>')
    .description('Run an experiment file (JSON): systems × query sets × measures, with significance tests, tables, CSV, LaTeX and plots')
    .action(async (file: string) => {
      const { renderExperiment } = await import('../../engine/experiments/table.ts');
      await cli.call('experiment.run', { file }, renderExperiment);
    });
}
