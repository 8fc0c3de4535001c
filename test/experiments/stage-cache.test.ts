import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pack, storedForm, unpack } from '../../electron/engine/experiments/stage-cache.ts';
import type { Hit, ResultSet } from '../../electron/engine/pipeline/stage.ts';
import { decodeRun, encodeRun } from '../../electron/engine/runs/codec.ts';
import { rankedHits } from '../../electron/engine/runs/run-stage.ts';

// An experiment keeps each system's results encoded and reads them back as a view that makes a query's hits only
// when asked (issue 12: peak memory). The view must read exactly as the whole decoded form did: same queries in the
// same order, same ranked hits, and the same stored run when converted (which deletes each query as it goes).

const results = fc
  .uniqueArray(
    fc.tuple(
      fc.string({ maxLength: 6 }),
      // Few docnos and few scores: ties and repeated docnos are frequent.
      fc.array(fc.record({ docId: fc.constantFrom('a', 'b', 'c', 'd1', 'd2', 'é', '10'), score: fc.constantFrom(0, -0, 1.5, 2, 3.25, -1, Math.fround(0.1)) }), { maxLength: 12 }),
    ),
    { selector: (q) => q[0], maxLength: 8 },
  )
  .map((qs): ResultSet => new Map(qs));

/** What the cache handed out before the view: every query's hits made at once. */
function eager(blob: Uint8Array): ResultSet {
  const run = decodeRun(blob, 'cached');
  return new Map([...run.queries].map(([qid, q]): [string, Hit[]] => [qid, rankedHits(q)]));
}

const copy = (r: ResultSet): ResultSet => new Map([...r].map(([q, hits]) => [q, hits.map((h) => ({ ...h }))]));

describe('cached results read back query by query', () => {
  it('read as the eager form: size, order, get, has, iteration', () => {
    fc.assert(
      fc.property(results, (r) => {
        const blob = pack(copy(r));
        const view = unpack(blob);
        const slow = eager(blob);
        expect(view.size).toBe(slow.size);
        expect([...view.keys()]).toEqual([...slow.keys()]);
        expect([...view]).toEqual([...slow]);
        expect([...view.values()]).toEqual([...slow.values()]);
        for (const qid of slow.keys()) {
          expect(view.has(qid)).toBe(true);
          expect(view.get(qid)).toEqual(slow.get(qid));
        }
        expect(view.get('\u0000absent')).toBeUndefined();
        const seen: string[] = [];
        view.forEach((hits, qid) => {
          seen.push(qid);
          expect(hits).toEqual(slow.get(qid));
        });
        expect(seen).toEqual([...slow.keys()]);
      }),
    );
  });

  it('give the same stored run, byte for byte, and are consumed as they are read', () => {
    fc.assert(
      fc.property(results, (r) => {
        const blob = pack(copy(r));
        const view = unpack(blob);
        expect(encodeRun(storedForm(view, 'x'))).toEqual(encodeRun(storedForm(eager(blob), 'x')));
        expect(view.size).toBe(0);
        const other = unpack(blob);
        const [first] = other.keys();
        const n = other.size;
        if (first !== undefined) {
          expect(other.delete(first)).toBe(true);
          expect(other.has(first)).toBe(false);
          expect(other.size).toBe(n - 1);
        }
      }),
    );
  });
});
