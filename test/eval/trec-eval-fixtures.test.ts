// Reproduces every value NIST trec_eval 10.0 printed for the shared fixtures (../shared/fixtures/trec_eval), for
// every measure Pont supports, to the printed precision (glibc's half-even rounding of the exact double).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluate, judgeRanking, type EvaluationOptions } from '../../electron/engine/eval/evaluate.ts';
import { UNJUDGED } from '../../electron/engine/eval/judged-ranking.ts';
import { formatFixed, makeMeasure, measureToString, type Measure } from '../../electron/engine/eval/measure.ts';
import { readQrels } from '../../electron/engine/eval/qrels.ts';
import { readRun } from '../../electron/engine/eval/run.ts';
import { PontError } from '../../electron/engine/errors.ts';

const dir = join(process.cwd(), '..', 'shared', 'fixtures', 'trec_eval');
const present = existsSync(join(dir, 'manifest.json'));
if (!present) console.log(`skipping the trec_eval fixtures: ${dir} does not exist`);

interface Output {
  trec_eval: string;
  variant: string;
  args: string[];
  exit_status: number;
  file: string;
}
interface Fixture {
  name: string;
  qrels: string;
  run: string;
  outputs: Output[];
}

const readText = (file: string): string => {
  const bytes = readFileSync(join(dir, file));
  return (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
};

function optionsOf(args: string[]): EvaluationOptions {
  const o: EvaluationOptions = {};
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-c') o.complete = true;
    if (args[i] === '-M') o.depth = Number(args[++i]);
    if (args[i] === '-l') o.relLevel = Number(args[++i]);
  }
  return o;
}

/** trec_eval's measure names that map onto a Pont measure. */
function pontMeasure(trecName: string): Measure | undefined {
  const cut = /^(P|recall|ndcg_cut|map_cut|success)_(\d+)$/.exec(trecName);
  if (cut) {
    const family = { P: 'P', recall: 'R', ndcg_cut: 'nDCG', map_cut: 'AP', success: 'Success' } as const;
    return makeMeasure(family[cut[1] as keyof typeof family], Number(cut[2]));
  }
  const plain = { map: 'AP', recip_rank: 'RR', ndcg: 'nDCG', bpref: 'Bpref', Rprec: 'Rprec', infAP: 'infAP', num_ret: 'NumRet', num_rel: 'NumRel', num_rel_ret: 'NumRelRet' } as const;
  const name = plain[trecName as keyof typeof plain];
  return name ? makeMeasure(name) : undefined;
}

interface Line {
  measure: string;
  qid: string;
  value: string;
}
const parseOutput = (text: string): Line[] =>
  text
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [measure, qid, value] = l.split('\t');
      return { measure: measure!.trim(), qid: qid!, value: value! };
    });

let totalCompared = 0;
afterAll(() => {
  if (present) console.log(`trec_eval fixtures: ${totalCompared} printed values compared, all equal`);
});

const relChar = (g: number): string => (g === UNJUDGED ? '-' : g < 0 ? '.' : String(g));

/** Checks one trec_eval output against Pont; returns how many printed values were compared. */
function check(fx: Fixture, output: Output, lines: Line[]): number {
  const run = readRun(join(dir, fx.run));
  const qrels = readQrels(join(dir, fx.qrels));
  const options = optionsOf(output.args);
  const names = [...new Set(lines.map((l) => l.measure))];
  const measures = names.map(pontMeasure).filter((m): m is Measure => m !== undefined);
  const unj = [5, 10, 20].map((k) => makeMeasure('Judged', k));
  const extra = [makeMeasure('AP'), makeMeasure('Bpref'), makeMeasure('NumRet'), ...unj];
  const e = evaluate(run, qrels, [...measures, ...extra], options);
  const index = new Map(e.measures.map((m, i) => [measureToString(m), i]));
  const value = (m: Measure, qid: string): number => {
    const mi = index.get(measureToString(m))!;
    return qid === 'all' ? e.summary[mi]! : e.values[mi]![e.queries.indexOf(qid)]!;
  };
  const geometric = (m: Measure): number => Math.exp(e.values[index.get(measureToString(m))!]!.reduce((s, v) => s + Math.log(Math.max(v, 1e-5)), 0) / e.queries.length);
  let compared = 0;
  const mismatches: string[] = [];
  const expectEq = (l: Line, got: string) => {
    compared++;
    if (got !== l.value) mismatches.push(`${l.measure} ${l.qid}: trec_eval ${l.value}, Pont ${got}`);
  };
  const printedQueries = lines.filter((l) => l.qid !== 'all' && l.measure === names.find((n) => n !== 'relstring')).map((l) => l.qid);
  expect(printedQueries).toEqual(e.queries.filter((q) => printedQueries.includes(q)));
  for (const l of lines) {
    const m = pontMeasure(l.measure);
    const isCount = /^num_/.test(l.measure);
    if (m) {
      const v = value(m, l.qid);
      expectEq(l, isCount ? String(v) : formatFixed(v));
    } else if (l.measure === 'num_q') {
      expectEq(l, String(e.queries.length));
    } else if (l.measure === 'runid') {
      expectEq(l, e.runid);
    } else if (l.measure === 'gm_map') {
      expectEq(l, formatFixed(geometric(makeMeasure('AP'))));
    } else if (l.measure === 'gm_bpref') {
      expectEq(l, formatFixed(geometric(makeMeasure('Bpref'))));
    } else if (/^unj_\d+$/.test(l.measure) && l.qid !== 'all') {
      // trec_eval's unjudged share of the top k is the complement of Judged@k over what was retrieved.
      const k = Number(l.measure.slice(4));
      const retrieved = Math.min(k, value(makeMeasure('NumRet'), l.qid));
      expectEq(l, formatFixed(retrieved / k - value(makeMeasure('Judged', k), l.qid)));
    } else if (l.measure === 'relstring') {
      const q = run.queries.get(l.qid);
      const r = q ? judgeRanking(run, l.qid, q, qrels.queries.get(l.qid)!, options.depth ?? Infinity) : { grades: new Int32Array() };
      expectEq(l, `'${[...r.grades.subarray(0, 10)].map(relChar).join('')}'`);
    }
  }
  expect(mismatches.slice(0, 20)).toEqual([]);
  totalCompared += compared;
  return compared;
}

describe.runIf(present)('trec_eval 10.0 fixtures', () => {
  const manifest = present ? (JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { fixtures: Fixture[] }) : { fixtures: [] };
  for (const fx of manifest.fixtures) {
    for (const output of fx.outputs.filter((o) => o.trec_eval === 'v10.0')) {
      it(`${fx.name} ${output.variant}`, () => {
        if (output.exit_status === 0) {
          const compared = check(fx, output, parseOutput(readText(output.file)));
          expect(compared).toBeGreaterThan(0);
          return;
        }
        if (fx.name.startsWith('dup_')) {
          // trec_eval refuses a document retrieved or judged twice; so does Pont, naming the file and line.
          let error: unknown;
          try {
            evaluate(readRun(join(dir, fx.run)), readQrels(join(dir, fx.qrels)), [makeMeasure('AP')], optionsOf(output.args));
          } catch (e) {
            error = e;
          }
          expect(error).toBeInstanceOf(PontError);
          expect((error as PontError).details[0]).toMatchObject({ line: expect.any(Number), field: 'docno' });
          return;
        }
        // trec_eval 10 stops on a qrels query the run did not answer; Pont ignores it as trec_eval 9 does.
        expect(fx.name).toBe('missing');
        const v9 = fx.outputs.find((o) => o.trec_eval === 'v9.0.8' && o.variant === output.variant)!;
        expect(v9.exit_status).toBe(0);
        expect(check(fx, v9, parseOutput(readText(v9.file)))).toBeGreaterThan(0);
      });
    }
  }
});
