import { z } from 'zod';
import { defineMethod } from '../define.ts';
import { name, path } from './schemas.ts';
import type { EvalReport } from '../../engine/eval/report.ts';
import type { StoredRunSummary } from '../../engine/runs/store.ts';
import type { ExperimentResult } from '../../engine/experiments/runner.ts';

export type { EvalReport, ExperimentResult, StoredRunSummary };

const measureList = z.array(z.string().min(1)).max(200).default([]);

export const evalMethods = {
  'eval.run': defineMethod({
    summary: 'Evaluate a run (a TREC run file, or a run stored in the workspace) against qrels (a file, or a query set)',
    job: true,
    input: z.object({
      run: z.string().min(1),
      qrels: z.string().min(1),
      measures: measureList,
      perQuery: z.boolean().default(false),
      /** trec_eval -c: judged queries the run did not answer count as 0. */
      complete: z.boolean().default(false),
      /** trec_eval -M: only the first N documents of each ranking. */
      depth: z.number().int().min(1).optional(),
      /** trec_eval -l: the grade from which a document is relevant. */
      relLevel: z.number().int().min(-1_000_000).max(1_000_000).optional(),
      /** Keep the result with the stored run (only for stored runs). */
      save: z.boolean().default(false),
    }),
  }).returns<EvalReport>(),

  'runs.list': defineMethod({
    summary: 'List the runs stored in the workspace, with their provenance',
    input: z.object({}).default({}),
  }).returns<StoredRunSummary[]>(),

  'runs.show': defineMethod({
    summary: 'Show a stored run: its provenance and size',
    input: z.object({ name }),
  }).returns<StoredRunSummary>(),

  'runs.import': defineMethod({
    summary: 'Store a TREC run file (optionally gzip) produced elsewhere, with where it came from',
    input: z.object({
      path,
      name,
      collection: name.optional(),
      querySet: name.optional(),
      description: z.string().max(2000).optional(),
      replace: z.boolean().default(false),
    }),
  }).returns<StoredRunSummary>(),

  'runs.export': defineMethod({
    summary: 'Write a stored run as a TREC run file (gzip when the name ends in .gz)',
    input: z.object({ name, path }),
  }).returns<{ name: string; path: string; hits: number }>(),

  'runs.delete': defineMethod({
    summary: 'Delete a stored run and its evaluations',
    input: z.object({ name }),
  }).returns<{ deleted: string }>(),

  'experiment.run': defineMethod({
    summary: 'Run an experiment file: every system on every query set, evaluated, compared with the baseline, written out',
    job: true,
    input: z.object({ file: path }),
  }).returns<ExperimentResult>(),
};
