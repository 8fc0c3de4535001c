import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { annCandidates, dot } from '../../electron/engine/dense/ann.ts';
import { CHUNK, Hnsw, type HnswParams } from '../../electron/engine/dense/hnsw.ts';
import { int8Scales } from '../../electron/engine/dense/quantise.ts';
import { clusteredVectors } from './clustered.ts';

const scenario = fc.record({
  seed: fc.nat(),
  n: fc.integer({ min: 1, max: 500 }),
  dimension: fc.constantFrom(8, 16, 48),
  clusters: fc.integer({ min: 1, max: 20 }),
  /** Labels deleted, and labels given a new vector (an updated document), after the build. */
  deletions: fc.array(fc.nat(), { maxLength: 60 }),
  updates: fc.array(fc.nat(), { maxLength: 30 }),
  k: fc.integer({ min: 1, max: 20 }),
  m: fc.constantFrom(4, 8, 16),
});

const options = { ef: 64, rescore: 40 };

/** Exact top k over the live vectors, ties by label: what the graph path must reproduce. */
function exact(live: Map<number, Float32Array>, q: Float32Array, k: number): { docId: number; score: number }[] {
  return [...live]
    .map(([docId, v]) => ({ docId, score: dot(v, q) }))
    .sort((a, b) => b.score - a.score || a.docId - b.docId)
    .slice(0, k);
}

function reload(g: Hnsw, params: HnswParams): Hnsw {
  const copy = new Hnsw(g.dimension, g.scales, params);
  for (let c = 0; c * CHUNK < g.size; c++) copy.loadChunk(c, Uint8Array.from(g.chunkCodes(c)), Uint8Array.from(g.chunkGraph(c)));
  copy.excess = g.excess;
  copy.entry = g.entry;
  copy.maxLevel = g.maxLevel;
  return copy;
}

describe('HNSW over int8 codes with exact rescoring', () => {
  it('finds what exact search finds, returns exactly its top k when the candidates hold it, and never a deleted vector', () => {
    let found = 0;
    let wanted = 0;
    fc.assert(
      fc.property(scenario, (s) => {
        const vectors = clusteredVectors(s.n, s.dimension, s.seed, s.clusters);
        const fresh = clusteredVectors(s.updates.length, s.dimension, s.seed + 1, s.clusters);
        const params = { m: s.m, efConstruction: 64, seed: s.seed };
        const g = new Hnsw(s.dimension, int8Scales(vectors, s.dimension), params);
        const live = new Map<number, Float32Array>();
        for (let i = 0; i < s.n; i++) {
          const v = vectors.subarray(i * s.dimension, (i + 1) * s.dimension);
          g.insert(v, i + 1);
          live.set(i + 1, v);
        }
        for (const d of s.deletions) {
          const label = (d % s.n) + 1;
          expect(g.remove(label)).toBe(live.delete(label));
        }
        s.updates.forEach((u, i) => {
          const label = (u % s.n) + 1;
          const v = fresh.subarray(i * s.dimension, (i + 1) * s.dimension);
          g.insert(v, label);
          live.set(label, v);
        });
        const stored = reload(g, params);
        const queries = clusteredVectors(5, s.dimension, s.seed + 2, s.clusters);
        for (let qi = 0; qi < 5; qi++) {
          const q = queries.subarray(qi * s.dimension, (qi + 1) * s.dimension);
          const truth = exact(live, q, s.k);
          const score = (docIds: readonly number[]) =>
            docIds.map((docId) => {
              const v = live.get(docId);
              return v && dot(v, q);
            });
          const got = annCandidates(g, q, s.k, options, score);
          expect(annCandidates(stored, q, s.k, options, score)).toEqual(got);
          expect(got.every((h) => live.has(h.docId))).toBe(true);
          expect(new Set(got.map((h) => h.docId)).size).toBe(got.length);
          const candidates = new Set(g.search(q, options.ef).ids.slice(0, options.rescore).map((node) => g.labels[node]!));
          if (truth.every((t) => candidates.has(t.docId))) expect(got).toEqual(truth);
          const hit = new Set(got.map((h) => h.docId));
          found += truth.filter((t) => hit.has(t.docId)).length;
          wanted += truth.length;
        }
      }),
      { numRuns: 60 },
    );
    expect(found / wanted).toBeGreaterThanOrEqual(0.95);
  });
});
