import { existsSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { HandlersFor } from '../define.ts';
import type { evalMethods } from '../contract/eval.ts';
import { qrelsOfQuerySet, readQrels } from '../../engine/eval/qrels.ts';
import { evalReport } from '../../engine/eval/report.ts';
import { readRun } from '../../engine/eval/run.ts';
import { deleteRun, findRun, getRunSummary, listRuns, loadRun, makeProvenance, runText, saveEvaluation, saveRun } from '../../engine/runs/store.ts';
import { PontError } from '../../engine/errors.ts';
import { loadExperiment } from '../../engine/experiments/definition.ts';
import { runExperiment } from '../../engine/experiments/runner.ts';
import { writeOutputs } from '../../engine/experiments/outputs.ts';

export const evalHandlers: HandlersFor<typeof evalMethods> = {
  'eval.run': (input, ctx) => {
    const db = ctx.workspace.db;
    const stored = !existsSync(input.run);
    if (stored && !findRun(db, input.run)) {
      throw new PontError('not_found', 'run.unknown', { name: input.run }, [{ field: 'run', reason: 'neither a file nor a run of the workspace (pont runs list)' }]);
    }
    const run = stored ? loadRun(db, input.run) : readRun(input.run);
    const qrels = existsSync(input.qrels) ? readQrels(input.qrels) : qrelsOfQuerySet(db, input.qrels);
    const options = {
      complete: input.complete,
      ...(input.depth !== undefined ? { depth: input.depth } : {}),
      ...(input.relLevel !== undefined ? { relLevel: input.relLevel } : {}),
    };
    const { report } = evalReport(run, qrels, input.measures, options, input.perQuery || input.save, ctx);
    if (input.save) {
      if (!stored) throw new PontError('invalid_input', 'run.not_stored', {}, [{ field: 'save', reason: 'the run is a file' }]);
      saveEvaluation(db, input.run, { qrels: qrels.source, options, measures: report.measures, summary: report.summary, perQuery: report.perQuery });
      if (!input.perQuery) delete report.perQuery;
    }
    return report;
  },

  'runs.list': (_input, { workspace }) => listRuns(workspace.db),

  'runs.show': ({ name }, { workspace }) => getRunSummary(workspace.db, name),

  'runs.import': (input, { workspace }) => {
    const run = readRun(input.path);
    const provenance = makeProvenance({
      importedFrom: input.path,
      label: input.description ?? `imported from ${input.path}`,
      ...(input.collection ? { collection: input.collection } : {}),
      ...(input.querySet ? { querySet: input.querySet } : {}),
    });
    return saveRun(workspace.db, input.name, run, provenance, input.replace);
  },

  'runs.export': ({ name, path }, { workspace }) => {
    const text = runText(workspace.db, name);
    writeFileSync(path, path.endsWith('.gz') ? gzipSync(text) : text);
    return { name, path, hits: getRunSummary(workspace.db, name).hits };
  },

  'runs.delete': ({ name }, { workspace }) => {
    deleteRun(workspace.db, name);
    return { deleted: name };
  },

  'experiment.run': async ({ file }, ctx) => {
    const exp = loadExperiment(file);
    const plots = { ...(exp.def.plots ? { plots: exp.def.plots } : {}), ...(exp.def.plotMeasure ? { plotMeasure: exp.def.plotMeasure } : {}) };
    // The output folder holds the results so far from the first finished unit on: a long experiment can be read
    // (or killed) at any time.
    const result = await runExperiment(exp, ctx.workspace, ctx, (partial) => writeOutputs({ ...partial, files: [] }, plots));
    const files = writeOutputs({ ...result, files: [] }, plots);
    return { ...result, files };
  },
};
