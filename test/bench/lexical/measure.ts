import { readFileSync } from 'node:fs';
import { percentile } from '../report.ts';

/** What each engine's runner prints as its last line (JSON). */
export interface EngineResult {
  engine: string;
  indexSeconds: number;
  docsPerSecond: number;
  indexBytes: number;
  peakRssBytes: number;
  queries: number;
  top10: { p50: number; p95: number };
  top1000: { p50: number; p95: number };
}

export function readQueries(file: string): string[][] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t')[1]!.split(' '));
}

/** Latencies in milliseconds of running each query once, after a warm-up pass over the first few. */
export function latencies(queries: readonly string[][], run: (terms: readonly string[]) => void, warmup = 50): { p50: number; p95: number } {
  for (const q of queries.slice(0, warmup)) run(q);
  const ms: number[] = [];
  for (const q of queries) {
    const t = performance.now();
    run(q);
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p95: percentile(ms, 95) };
}
