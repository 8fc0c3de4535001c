// Compares one system's per-query values between two experiment outputs (per-query.csv), query set by query set:
// the mean of each, the difference, W/T/L and the paired randomisation test (10,000 permutations, seed 42), e.g.
// the bridge of an earlier run against today's, so a change's effect on each pair gets a p-value.
//   scripts/node.sh node scripts/research/compare-runs.ts BEFORE.csv[,BEFORE.csv…] AFTER.csv[,AFTER.csv…] [SYSTEM] [MEASURE]
import { readFileSync } from 'node:fs';
import { pairedRandomisationTest } from '../../electron/engine/stats/paired.ts';

const [before, after, system = 'bridge', measure = 'RR@10'] = process.argv.slice(2) as [string, string, string?, string?];
function read(files: string): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const f of files.split(',')) {
    for (const line of readFileSync(f, 'utf8').split('\n').slice(1)) {
      const [set, qid, sys, m, v] = line.split(',');
      if (sys !== system || m !== measure) continue;
      let s = out.get(set!);
      if (!s) out.set(set!, (s = new Map()));
      s.set(qid!, Number(v));
    }
  }
  return out;
}
const a = read(before);
const b = read(after);
console.log(['query set', 'queries', 'before', 'after', 'delta', 'p', 'W/T/L'].join('\t'));
for (const [set, bs] of [...b].sort()) {
  const as = a.get(set);
  if (!as) continue;
  const qids = [...bs.keys()].filter((q) => as.has(q));
  const x = qids.map((q) => as.get(q)!);
  const y = qids.map((q) => bs.get(q)!);
  const mean = (v: number[]) => v.reduce((s, t) => s + t, 0) / v.length;
  const r = pairedRandomisationTest(y, x, { permutations: 10_000, seed: 42 });
  const w = qids.filter((_, i) => y[i]! > x[i]!).length;
  const l = qids.filter((_, i) => y[i]! < x[i]!).length;
  console.log([set, qids.length, mean(x).toFixed(4), mean(y).toFixed(4), (mean(y) - mean(x)).toFixed(4), r.p.toFixed(4), `${w}/${qids.length - w - l}/${l}`].join('\t'));
}
