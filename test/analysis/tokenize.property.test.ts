import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAnalyzer } from '../../electron/engine/analysis/analyzer.ts';
import { forEachWordSpan, tokenize, wordsByPattern } from '../../electron/engine/analysis/tokenize.ts';

// Characters around the tokeniser's edge cases: separators and their neighbours, marks, digits of other scripts,
// apostrophes, letters outside the BMP (which take the regular expression's path), and plain ASCII.
const alphabet = [
  ...'aLl lL.,·-\'’ʼ 09 x',
  '\u0387',
  '\u2027',
  '\u0301',
  '\u0308',
  'é',
  'ß',
  'ﬁ',
  '²',
  '٣',
  'Ω',
  'ж',
  '\u00a0',
  '\u{1d400}',
  '\u{10400}',
  '\ud800',
];
const text = fc.array(fc.constantFrom(...alphabet), { maxLength: 40 }).map((a) => a.join(''));
const spans = (s: string) => {
  const out: [number, number][] = [];
  forEachWordSpan(s, (start, end) => out.push([start, end]));
  return out;
};

describe('word scanner', () => {
  it('cuts exactly the words the word pattern matches', () => {
    fc.assert(fc.property(text, (s) => {
      expect(spans(s)).toEqual(wordsByPattern(s));
    }), { numRuns: 5000 });
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (s) => {
      expect(spans(s)).toEqual(wordsByPattern(s));
    }), { numRuns: 2000 });
  });
  it('gives every analyser the concatenation of its per-word terms', () => {
    for (const spec of ['words', 'words:fr', 'words:ca+fold', 'chargram:3-5+fold']) {
      const a = parseAnalyzer(spec);
      fc.assert(
        fc.property(text, (s) => {
          const expected = tokenize(s).flatMap((t) => (t.clitic && a.dropsClitics ? [] : a.wordTerms(t.text)));
          expect(a.terms(s)).toEqual(expected);
        }),
        { numRuns: 500 },
      );
    }
  });
});

describe('character n-grams', () => {
  it('of a word, sliced from its code units, are those of its code points with their places (spans)', () => {
    // spans() takes the code-point path for every word; wordTerms() slices code units when the word has no
    // character outside the BMP. Lone surrogates and astral letters are in the alphabet.
    for (const spec of ['chargram:3-5', 'chargram:2-4+fold', 'chargram:1-1']) {
      const a = parseAnalyzer(spec);
      fc.assert(fc.property(text, (s) => {
        for (const [start, end] of spans(s)) {
          const word = s.slice(start, end);
          expect(a.wordTerms(word)).toEqual(a.spans(word).map((t) => t.term));
        }
      }), { numRuns: 1500 });
    }
  });
});
