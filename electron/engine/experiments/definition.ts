import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { PontError } from '../errors.ts';
import { measureToString, parseMeasure } from '../eval/measure.ts';
import { pipelineSpec } from '../pipeline/registry.ts';

const querySetRef = z.union([
  z.string().min(1),
  z.object({
    /** A query set of the workspace, or a name for the one given by files. */
    name: z.string().min(1),
    /** Queries (TSV qid<TAB>text) and qrels files, when the query set is not in the workspace. */
    queries: z.string().min(1).optional(),
    qrels: z.string().min(1).optional(),
    /** The collection it searches, when it differs from the experiment's. */
    collection: z.string().min(1).optional(),
  }),
]);

/** One collection and the query sets that search it. */
const group = z
  .object({
    collection: z.string().min(1),
    querySets: z.array(querySetRef).min(1),
  })
  .strict();

export const experimentSchema = z
  .object({
    name: z.string().regex(/^[\p{L}\p{N}][\p{L}\p{N}._-]*$/u, 'letters, digits, ".", "_" and "-"').optional(),
    description: z.string().optional(),
    /** One collection and its query sets, or (`groups`) several collections, each with its own query sets. */
    collection: z.string().min(1).optional(),
    querySets: z.array(querySetRef).min(1).optional(),
    groups: z.array(group).min(1).optional(),
    /** Systems by name, in the order of the table: each a pipeline declaration such as {"bm25": {"index": "words-fr"}}. */
    systems: z.record(z.string().regex(/^[\p{L}\p{N}][\p{L}\p{N}._+-]*$/u, 'letters, digits, ".", "_", "+" and "-"'), pipelineSpec),
    measures: z.array(z.string()).min(1),
    baseline: z.string().optional(),
    correction: z.enum(['none', 'bonferroni', 'holm']).default('holm'),
    /** Which test sets the significance markers; both p-values are always reported. */
    test: z.enum(['randomisation', 't']).default('randomisation'),
    significance: z.number().gt(0).lt(1).default(0.05),
    permutations: z.number().int().min(1000).max(10_000_000).default(10_000),
    seed: z.number().int().default(42),
    /** Evaluation options as trec_eval's -M and -l; queries the system does not answer always count as 0 (-c). */
    depth: z.number().int().min(1).optional(),
    relLevel: z.number().int().optional(),
    /** Where the table, CSV, JSON, LaTeX, plots and run files go (relative to the experiment file). */
    output: z.string().min(1),
    /** Per-query scatter plots: pairs of systems [x, y], and the measure (default: each system against the baseline). */
    plots: z.array(z.tuple([z.string(), z.string()])).optional(),
    plotMeasure: z.string().optional(),
    /**
     * Variety experiments: two query sets asking the same topics in two varieties, compared per query. Topics pair
     * by qid, or (`"pairBy": "relevant"`) by identical sets of relevant documents when each variety has its own ids.
     */
    varieties: z
      .union([
        z.tuple([z.string(), z.string()]).transform((sets) => ({ sets, pairBy: 'qid' as const })),
        z.object({ sets: z.tuple([z.string(), z.string()]), pairBy: z.enum(['qid', 'relevant']).default('qid') }).strict(),
      ])
      .optional(),
    /** Keep each run in the workspace, with its provenance (default true). */
    storeRuns: z.boolean().default(true),
  })
  .strict();

export type ExperimentDefinition = z.output<typeof experimentSchema>;

export type QuerySetRef = z.output<typeof querySetRef>;
export type ExperimentGroup = z.output<typeof group>;

export interface LoadedExperiment {
  file: string;
  dir: string;
  name: string;
  def: ExperimentDefinition;
  /** The (collection, query sets) groups, whichever form declared them: the single form is one group. */
  groups: ExperimentGroup[];
}

export function querySetName(ref: QuerySetRef): string {
  return typeof ref === 'string' ? ref : ref.name;
}

/** The groups of either form, or the problems that keep the declaration from having any. */
function declaredGroups(def: ExperimentDefinition): { groups: ExperimentGroup[]; problems: { field: string; reason: string }[] } {
  if (def.groups) {
    const problems = (['collection', 'querySets'] as const)
      .filter((f) => def[f] !== undefined)
      .map((field) => ({ field, reason: 'give either "collection" and "querySets", or "groups" of them, not both' }));
    return { groups: def.groups, problems };
  }
  const problems = (['collection', 'querySets'] as const)
    .filter((f) => def[f] === undefined)
    .map((field) => ({ field, reason: `required (or declare "groups": [{"collection": …, "querySets": […]}, …])` }));
  return { groups: def.collection && def.querySets ? [{ collection: def.collection, querySets: def.querySets }] : [], problems };
}

/** Validates an experiment declaration; every problem names the file and the field. */
export function parseExperiment(raw: unknown, file: string): LoadedExperiment {
  const parsed = experimentSchema.safeParse(raw);
  const fail = (details: { field: string; reason: string }[]) =>
    new PontError('invalid_input', 'experiment.invalid', { file, problems: details.map((d) => `${d.field}: ${d.reason}`).join('; ') }, details.map((d) => ({ file, ...d })));
  if (!parsed.success) throw fail(parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(file)', reason: i.message })));
  const def = parsed.data;
  const problems: { field: string; reason: string }[] = [];
  const systems = Object.keys(def.systems);
  if (systems.length === 0) problems.push({ field: 'systems', reason: 'declare at least one system' });
  for (const [i, m] of def.measures.entries()) {
    try {
      parseMeasure(m);
    } catch (e) {
      problems.push({ field: `measures.${i}`, reason: (e as Error).message });
    }
  }
  if (def.baseline !== undefined && !systems.includes(def.baseline)) problems.push({ field: 'baseline', reason: `"${def.baseline}" is not one of the systems (${systems.join(', ')})` });
  for (const [i, pair] of (def.plots ?? []).entries()) {
    for (const s of pair) if (!systems.includes(s)) problems.push({ field: `plots.${i}`, reason: `"${s}" is not one of the systems` });
  }
  if (def.plotMeasure !== undefined) {
    const canonical = def.measures.map((m) => {
      try {
        return measureToString(parseMeasure(m));
      } catch {
        return m;
      }
    });
    try {
      if (!canonical.includes(measureToString(parseMeasure(def.plotMeasure)))) problems.push({ field: 'plotMeasure', reason: 'must be one of the measures' });
    } catch (e) {
      problems.push({ field: 'plotMeasure', reason: (e as Error).message });
    }
  }
  const { groups, problems: groupProblems } = declaredGroups(def);
  problems.push(...groupProblems);
  const sets: string[] = [];
  const where = (g: number) => (def.groups ? `groups.${g}.querySets` : 'querySets');
  for (const [g, { querySets }] of groups.entries()) {
    for (const ref of querySets) {
      const set = querySetName(ref);
      // Runs, tables and plots are named by query set, so a name may appear once in the whole experiment.
      if (sets.includes(set)) problems.push({ field: where(g), reason: `query set "${set}" is listed twice` });
      sets.push(set);
    }
  }
  for (const v of def.varieties?.sets ?? []) if (!sets.includes(v)) problems.push({ field: 'varieties', reason: `"${v}" is not one of the query sets` });
  if (problems.length > 0) throw fail(problems);
  const dir = dirname(resolve(file));
  const name = def.name ?? resolve(file).replace(/^.*[\\/]/, '').replace(/\.json$/i, '');
  return { file, dir, name, def, groups };
}

export function loadExperiment(file: string): LoadedExperiment {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new PontError('not_found', 'experiment.unreadable', { file, reason: (e as Error).message }, [{ file, reason: 'cannot read' }]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    const line = jsonErrorLine(text, (e as Error).message);
    throw new PontError('invalid_input', 'experiment.bad_json', { where: `${file}${line ? `, line ${line}` : ''}`, file, reason: (e as Error).message }, [
      { file, ...(line ? { line } : {}), reason: 'not valid JSON' },
    ]);
  }
  return parseExperiment(raw, file);
}

/** The line of a JSON syntax error: V8 gives a position, or only a snippet around the error, depending on the error. */
function jsonErrorLine(text: string, message: string): number | undefined {
  const pos = /position (\d+)/.exec(message) ?? /line (\d+) column/.exec(message);
  if (pos) return message.includes('line ') && !message.includes('position') ? Number(pos[1]) : text.slice(0, Number(pos[1])).split('\n').length;
  const snippet = /"(?:\.\.\.)?([\s\S]*?)(?:\.\.\.)?" is not valid JSON/.exec(message)?.[1];
  if (!snippet) return undefined;
  const at = text.indexOf(snippet);
  return at < 0 ? undefined : text.slice(0, at + Math.floor(snippet.length / 2)).split('\n').length;
}

/** Paths in an experiment file are relative to the file. */
export function relativeTo(exp: LoadedExperiment, path: string): string {
  return isAbsolute(path) ? path : resolve(exp.dir, path);
}
