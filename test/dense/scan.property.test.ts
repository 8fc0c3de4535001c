import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dot } from '../../electron/engine/dense/ann.ts';
import { searchDense, searchDenseMany } from '../../electron/engine/dense/index.ts';
import { unit } from '../../electron/engine/dense/quantise.ts';
import { scanDense } from '../../electron/engine/dense/scan.ts';
import { createDenseIndex, dropDenseIndex, removeVector, sqliteVecScan, writeVector } from '../../electron/engine/dense/vectors.ts';
import { ensureCollection } from '../../electron/engine/store/collections.ts';
import { Workspace } from '../../electron/engine/store/workspace.ts';
import { clusteredVectors } from './clustered.ts';

const scenario = fc.record({
  seed: fc.nat(),
  n: fc.integer({ min: 0, max: 400 }),
  dimension: fc.constantFrom(4, 16, 64),
  clusters: fc.integer({ min: 1, max: 12 }),
  deletions: fc.array(fc.nat(), { maxLength: 40 }),
  updates: fc.array(fc.nat(), { maxLength: 20 }),
  /** Some documents share a vector (catalogues repeat strings): equal scores, ordered by document id. */
  duplicates: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 10 }),
  k: fc.integer({ min: 1, max: 60 }),
  queries: fc.integer({ min: 1, max: 6 }),
  block: fc.integer({ min: 1, max: 130 }),
});

/** The slow path: every live vector scored, sorted by score, ties by document id. */
function exact(live: Map<number, Float32Array>, q: Float32Array, k: number): { docId: number; score: number }[] {
  return [...live]
    .map(([docId, v]) => ({ docId, score: dot(v, q) }))
    .sort((a, b) => b.score - a.score || a.docId - b.docId)
    .slice(0, k);
}

describe('exact dense scan', () => {
  let dir: string;
  let ws: Workspace;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pont-scan-'));
    ws = Workspace.open(dir);
  });
  afterAll(() => {
    ws.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives the exact ranking for every query of a batch, whatever the block size, after deletions and updates', () => {
    const db = ws.db;
    const c = ensureCollection(db, 'scan', 'en');
    fc.assert(
      fc.property(scenario, (s) => {
        const index = createDenseIndex(db, c.id, `m${s.seed}-${s.dimension}`, 'x', s.dimension);
        try {
          const vectors = clusteredVectors(s.n, s.dimension, s.seed, s.clusters);
          const row = (m: Float32Array, i: number) => m.slice(i * s.dimension, (i + 1) * s.dimension);
          const live = new Map<number, Float32Array>();
          db.transaction(() => {
            for (let i = 0; i < s.n; i++) {
              writeVector(db, index, i + 1, row(vectors, i));
              live.set(i + 1, row(vectors, i));
            }
            if (s.n > 0) {
              for (const d of s.deletions) {
                const id = (d % s.n) + 1;
                expect(removeVector(db, index, id)).toBe(live.delete(id));
              }
              const fresh = clusteredVectors(s.updates.length, s.dimension, s.seed + 1, s.clusters);
              s.updates.forEach((u, i) => {
                const id = (u % s.n) + 1;
                writeVector(db, index, id, row(fresh, i));
                live.set(id, row(fresh, i));
              });
              for (const [a, b] of s.duplicates) {
                const from = live.get((a % s.n) + 1);
                if (!from) continue;
                writeVector(db, index, (b % s.n) + 1, from);
                live.set((b % s.n) + 1, from);
              }
            }
          })();
          const queries = clusteredVectors(s.queries, s.dimension, s.seed + 2, s.clusters);
          const qs = Array.from({ length: s.queries }, (_, i) => row(queries, i));
          const scanned = scanDense(db, index, qs, s.k, s.block);
          const many = searchDenseMany(
            db,
            index,
            qs.map((vector) => ({ kind: 'dense' as const, vector })),
            s.k,
          );
          qs.forEach((q, i) => {
            const truth = exact(live, q, s.k);
            expect(scanned[i]).toEqual(truth);
            // The search normalises the query first, as it does every model's vectors.
            const normalised = exact(live, unit(q), s.k);
            expect(many[i]).toEqual(normalised);
            expect(searchDense(db, index, { kind: 'dense', vector: q }, s.k, { exact: true })).toEqual(normalised);
            // sqlite-vec's scan (float32 cosine distances) agrees up to rounding: the same scores, and the same
            // documents wherever two scores are not within rounding of each other.
            const vec = sqliteVecScan(db, index, q, s.k);
            expect(vec.length).toBe(truth.length);
            vec.forEach((h, j) => {
              expect(Math.abs(h.score - truth[j]!.score)).toBeLessThan(1e-5);
              if (h.docId !== truth[j]!.docId) expect(Math.abs(dot(live.get(h.docId)!, q) - truth[j]!.score)).toBeLessThan(1e-5);
            });
          });
        } finally {
          dropDenseIndex(db, index.id);
        }
      }),
      { numRuns: 40 },
    );
  });
});
