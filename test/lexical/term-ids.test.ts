import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TermIds } from '../../electron/engine/lexical/term-ids.ts';

// Terms kept in their entry (up to 8 code units below 256) and compared by their string (longer, wider, astral),
// many of them sharing prefixes, so that packed terms of different lengths and hashes of long ones meet in the slots.
const unit = fc.constantFrom('a', 'b', 'é', 'ŝ', 'σ', '·', '\u00ff', '\u0100', '𝔪', 'z');
const term = fc.array(unit, { minLength: 1, maxLength: 12 }).map((us) => us.join(''));

describe('term ids by code units', () => {
  it('give each distinct term one id, the same after growing and when built from the list', () => {
    fc.assert(
      fc.property(fc.array(term, { maxLength: 300 }), (terms) => {
        const ids = new TermIds();
        const list: string[] = [];
        const byMap = new Map<string, number>();
        for (const t of terms) {
          const id = ids.idOf(t, list, list.length);
          if (id === list.length) list.push(t);
          if (!byMap.has(t)) byMap.set(t, byMap.size);
          expect(id).toBe(byMap.get(t));
        }
        expect(ids.size).toBe(byMap.size);
        const rebuilt = new TermIds(list);
        for (const [t, id] of byMap) expect(rebuilt.idOf(t, list, -1)).toBe(id);
        expect(rebuilt.size).toBe(list.length);
      }),
      { numRuns: 200, seed: 5 },
    );
  });

  it('tell apart terms that differ in any unit, in either half of their entry', () => {
    // Every 8-unit term over three letters: 81 of them share each first half, and as many each second half.
    const letters = ['a', 'b', 'é'];
    const list = Array.from({ length: 3 ** 8 }, (_, n) => Array.from({ length: 8 }, (_, i) => letters[Math.floor(n / 3 ** i) % 3]).join(''));
    const ids = new TermIds();
    list.forEach((t, i) => expect(ids.idOf(t, list, i)).toBe(i));
    list.forEach((t, i) => expect(ids.idOf(t, list, -1)).toBe(i));
    // The same letters, one more of them: compared by string, never taken for a packed term.
    const longer = list.map((t) => `${t}a`);
    const all = [...list, ...longer];
    longer.forEach((t, i) => expect(ids.idOf(t, all, list.length + i)).toBe(list.length + i));
    expect(ids.size).toBe(2 * list.length);
  });
});
