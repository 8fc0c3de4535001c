import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsKernel, int8Kernel, simdAvailable } from '../../electron/engine/dense/int8-kernel.ts';

describe('the int8 inner-product kernel', () => {
  it('runs on WebAssembly SIMD here', () => {
    expect(simdAvailable()).toBe(true);
    expect(int8Kernel(384, 1)).not.toBeInstanceOf(JsKernel);
  });

  it('gives the plain loop’s similarities, for every dimension and after growing', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        (dimension, rows, seed) => {
          const fast = int8Kernel(dimension, 1);
          const slow = new JsKernel(dimension, 1);
          // Grown past the first memory page, so the codes already written must survive the move.
          const more = rows + Math.ceil(70_000 / dimension);
          let x = seed;
          const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
          for (const k of [fast, slow]) k.reserve(rows);
          for (let i = 0; i < rows * dimension; i++) fast.codes[i] = slow.codes[i] = (next() % 255) - 127;
          for (const k of [fast, slow]) k.reserve(more);
          const queries = [0, 1].map(() => Float32Array.from({ length: dimension }, () => (next() / 2 ** 32 - 0.5) * 0.02));
          for (let r = 0; r < rows; r++) {
            // Alternating queries: the kernel copies the query it is given whenever it changes.
            for (const q of queries) {
              const want = slow.sim(q, r);
              expect(Math.abs(fast.sim(q, r) - want)).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(want)));
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
