import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { finalMark, MarkEstimator, markTable } from '../../electron/engine/bridge/marks.ts';

describe('final marks of translations', () => {
  it('classes a string by its last visible character, an ellipsis however written', () => {
    expect(['Insert', 'Page 2', 'Range:', 'Plage :', 'Save As...', 'Desar com…', 'Quit?  ', '(Default)', '', 'Ŀ', 'x 𝔸'].map(finalMark)).toEqual(['a', 'a', ':', ':', '…', '…', '?', ')', '', 'a', 'a']);
    expect(finalMark('a 😀')).toBe('😀');
  });

  it('gives each high mark a distribution over low marks (the unseen ones share the add-one mass), never above 0', () => {
    const pair = fc.tuple(fc.constantFrom('Open', 'Open:', 'Open…', 'Open.', 'Open?', '(x)'), fc.constantFrom('Obrir', 'Obrir:', 'Obrir…', 'Obrir.', 'Obrir?', '(x)'));
    fc.assert(
      fc.property(fc.array(pair, { minLength: 1, maxLength: 200 }), (pairs) => {
        const e = new MarkEstimator();
        for (const [h, l] of pairs) e.add(l, h);
        const m = e.model()!;
        const t = markTable(m);
        const lows = new Set(Object.keys(m.counts).map((k) => k.split('\t')[1]!));
        for (const h of ['a', ':', '…', '.', '?', ')', '!']) {
          const seen = [...lows].reduce((a, l) => a + Math.exp(t.logProb(l, h)), 0);
          // One share of the add-one mass stands for every mark never seen on a low side.
          expect(seen + Math.exp(t.logProb('¤', h))).toBeCloseTo(1, 10);
          for (const l of [...lows, '¤']) expect(t.logProb(l, h)).toBeLessThanOrEqual(0);
        }
      }),
    );
  });

  it('prefers a document that keeps the query\'s mark', () => {
    const e = new MarkEstimator();
    for (let i = 0; i < 30; i++) {
      e.add('Interval:', 'Range:');
      e.add('Interval', 'Range');
    }
    e.add('Interval', 'Range:');
    const t = markTable(e.model()!);
    expect(t.logProb(':', ':')).toBeGreaterThan(t.logProb(':', 'a'));
    expect(t.logProb('a', 'a')).toBeGreaterThan(t.logProb('a', ':'));
    expect(new MarkEstimator().model()).toBeNull();
  });
});
