import type Database from 'better-sqlite3';
import { createReadStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { percentile } from '../report.ts';

/** What each engine's runner prints as its last line (JSON). */
export interface EngineResult {
  engine: string;
  indexSeconds: number;
  /** CPU seconds of the indexing process (all its threads). */
  indexCpuSeconds: number;
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

/** CPU time of the process in milliseconds (microsecond resolution). */
export function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * Latencies in milliseconds of running each query once, after a warm-up pass over the first few. Measured as CPU
 * time, not wall time: this machine's two cores are shared, and wall time would mostly measure the scheduler. Every
 * engine is measured the same way (Xapian with Python's process_time).
 */
export function latencies(queries: readonly string[][], run: (terms: readonly string[]) => void, warmup = 50): { p50: number; p95: number } {
  for (const q of queries.slice(0, warmup)) run(q);
  const ms: number[] = [];
  for (const q of queries) {
    const t = cpuMs();
    run(q);
    ms.push(cpuMs() - t);
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p95: percentile(ms, 95) };
}

/**
 * Loads the generated docs.tsv into a table, 10,000 rows per transaction, through `insert(id, text)`; returns the
 * number of documents. Every engine reads the same bytes the same way, so loading never tilts the comparison.
 */
export async function insertDocs(db: Database.Database, dir: string, insert: (id: string, text: string) => void): Promise<number> {
  let batch: [string, string][] = [];
  const flush = db.transaction((rows: [string, string][]) => {
    for (const [id, text] of rows) insert(id, text);
  });
  let docs = 0;
  for await (const line of createInterface({ input: createReadStream(join(dir, 'docs.tsv')) })) {
    const tab = line.indexOf('\t');
    batch.push([line.slice(0, tab), line.slice(tab + 1)]);
    docs++;
    if (batch.length === 10_000) {
      flush(batch);
      batch = [];
    }
  }
  flush(batch);
  return docs;
}
