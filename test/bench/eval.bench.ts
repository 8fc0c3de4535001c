// Evaluation speed: scoring 7,000 queries × 1,000 documents against qrels, as trec_eval would. The baseline,
// measured in the same run, is the time to parse that run's text: evaluating should cost a fraction of reading.
import { evaluate } from '../../electron/engine/eval/evaluate.ts';
import { parseMeasures } from '../../electron/engine/eval/measure.ts';
import { parseQrels } from '../../electron/engine/eval/qrels.ts';
import { parseRun } from '../../electron/engine/eval/run.ts';
import { Prng } from '../../electron/engine/stats/prng.ts';
import { pairedRandomisationTest } from '../../electron/engine/stats/paired.ts';
import { markdownTable, percentile, writeResults } from './report.ts';

const queries = 7000;
const depth = 1000;
const rng = new Prng(1);

/** The run and qrels as text, built in a function so the 7M line strings are garbage once joined. */
function generate(): { run: string; qrels: string } {
  const runLines: string[] = [];
  const qrelsLines: string[] = [];
  for (let q = 0; q < queries; q++) {
    const qid = `q${q}`;
    // Scores with 3 decimals, so that ties are frequent, as in real runs.
    let score = 30;
    for (let r = 0; r < depth; r++) {
      score -= Math.round(rng.next() * 30) / 1000;
      runLines.push(`${qid} Q0 doc${Math.floor(rng.next() * 1e6)}-${r} ${r + 1} ${score.toFixed(3)} bench\n`);
    }
    for (let j = 0; j < 10; j++) qrelsLines.push(`${qid} 0 doc${Math.floor(rng.next() * 1e6)}-${Math.floor(rng.next() * 200)} ${Math.floor(rng.next() * 3)}\n`);
  }
  return { run: runLines.join(''), qrels: qrelsLines.join('') };
}
const generated = generate();
const runText = generated.run;
const qrels = parseQrels(generated.qrels, 'bench.qrels');
const measures = parseMeasures(['AP', 'nDCG@10', 'nDCG@20', 'RR@10', 'RR', 'R@100', 'R@1000', 'P@20', 'AP@1000', 'Success@5', 'Judged@10', 'Rprec', 'Bpref']);

function time(f: () => void, repeats: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < repeats; i++) {
    globalThis.gc?.();
    const t = performance.now();
    f();
    out.push(performance.now() - t);
  }
  return out.sort((a, b) => a - b);
}

const run = parseRun(runText, 'bench.run');
const parse = time(() => parseRun(runText, 'bench.run'), 5);
const evalAll = time(() => evaluate(run, qrels, measures, { complete: true }), 5);
const evalOne = time(() => evaluate(run, qrels, parseMeasures(['RR@10']), { complete: true }), 5);
const a = Float64Array.from({ length: queries }, () => rng.next());
const b = Float64Array.from({ length: queries }, () => rng.next());
const randomisation = time(() => pairedRandomisationTest(a, b, { permutations: 10_000 }), 3);

const median = (xs: number[]) => percentile(xs, 50);
const rows = [
  ['parse the run text (baseline)', median(parse).toFixed(0), '1.00'],
  [`evaluate ${measures.length} measures`, median(evalAll).toFixed(0), (median(evalAll) / median(parse)).toFixed(2)],
  ['evaluate RR@10 alone', median(evalOne).toFixed(0), (median(evalOne) / median(parse)).toFixed(2)],
  ['randomisation test, 7,000 queries, 10,000 permutations', median(randomisation).toFixed(0), (median(randomisation) / median(parse)).toFixed(2)],
];
console.log(`${queries.toLocaleString('en-US')} queries × ${depth.toLocaleString('en-US')} documents (${(runText.length / 1e6).toFixed(0)} MB of run text), median of 5\n`);
console.log(markdownTable(['step', 'ms', '× parse'], rows));
console.log(`\nresults: ${writeResults('eval', { queries, depth, parseMs: parse, evaluateAllMs: evalAll, evaluateOneMs: evalOne, randomisationMs: randomisation })}`);
