import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAnalyzer } from '../../electron/engine/analysis/analyzer.ts';
import { concatSegments } from '../../electron/engine/lexical/concat.ts';
import { Inverter, type DocInput } from '../../electron/engine/lexical/inverter.ts';

const vocab = ['aiga', 'font', 'lenga', 'occitana', "l'aiga", 'Mar', 'mar', 'col·lecció', '3.5', 'ﬁn', 'èsser'];
const doc = fc.record({
  title: fc.option(fc.array(fc.constantFrom(...vocab), { maxLength: 4 }).map((w) => w.join(' '))),
  // Long enough lists for several 128-posting blocks per term across the ranges.
  text: fc.array(fc.constantFrom(...vocab), { maxLength: 12 }).map((w) => w.join(' ')),
});

function invert(spec: string, docs: readonly DocInput[]) {
  const inv = new Inverter(parseAnalyzer(spec), 2);
  for (const d of docs) inv.add(d);
  return inv.finish();
}

describe('joining encoded segments', () => {
  it('gives the segment one inverter makes of all the ranges', () => {
    fc.assert(
      fc.property(fc.array(doc, { minLength: 1, maxLength: 700 }), fc.array(fc.nat(), { maxLength: 4 }), fc.constantFrom('words', 'words:fr', 'chargram:2-3'), (raw, cuts, spec) => {
        const docs = raw.map((d, i) => ({ id: 3 * i + 1, title: d.title, text: d.text }));
        const at = [...new Set(cuts.map((c) => c % docs.length))].sort((a, b) => a - b);
        const ranges = [0, ...at, docs.length].flatMap((from, i, all) => (i + 1 < all.length && all[i + 1]! > from ? [docs.slice(from, all[i + 1])] : []));
        const whole = invert(spec, docs);
        expect(concatSegments(ranges.map((r) => invert(spec, r)))).toEqual(whole);
        // One inverter for every range, as a build's worker keeps it (vocabulary and arrays carried over).
        const inv = new Inverter(parseAnalyzer(spec), 2);
        expect(concatSegments(ranges.map((r) => (r.forEach((d) => inv.add(d)), inv.finish())))).toEqual(whole);
      }),
      { numRuns: 60 },
    );
  });
});
