// Pont's side of the lexical benchmark, in its own process: load the passages into a workspace (not timed), build
// a `words` index (timed), then time top-10 and top-1000 BM25 queries. Prints one JSON line.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Workspace } from '../../../electron/engine/store/workspace.ts';
import { ensureCollection } from '../../../electron/engine/store/collections.ts';
import { buildIndex } from '../../../electron/engine/lexical/builder.ts';
import { readIndex } from '../../../electron/engine/lexical/search.ts';
import { getIndex } from '../../../electron/engine/lexical/store.ts';
import { prepareQuery, topKMaxScore } from '../../../electron/engine/lexical/topk.ts';
import { noJob } from '../../../electron/engine/jobs/progress.ts';
import { cpuMs, insertDocs, latencies, readQueries, type EngineResult } from './measure.ts';

const [dir = '.'] = process.argv.slice(2);
const tmp = mkdtempSync(join(tmpdir(), 'pont-bench-'));
const ws = Workspace.open(tmp);
try {
  const db = ws.db;
  const c = ensureCollection(db, 'bench', 'en');
  const ins = db.prepare('INSERT INTO documents (collection_id, ext_id, text) VALUES (?, ?, ?)');
  const docs = await insertDocs(db, dir, (id, text) => ins.run(c.id, id, text));
  db.pragma('wal_checkpoint(TRUNCATE)');
  const t0 = performance.now();
  const c0 = cpuMs();
  await buildIndex(db, { collection: 'bench', name: 'words', analyzer: 'words', titleWeight: 0, rebuild: false, memoryMb: 512 }, noJob);
  const indexSeconds = (performance.now() - t0) / 1000;
  const indexCpuSeconds = (cpuMs() - c0) / 1000;
  const indexBytes = db
    .prepare("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'lexical%' OR name LIKE 'sqlite_autoindex_lexical%'")
    .pluck()
    .get() as number;
  const reader = readIndex(db, getIndex(db, 'bench', 'words'));
  const queries = readQueries(join(dir, 'queries.tsv'));
  const params = { k1: 0.9, b: 0.4 };
  const run = (k: number) => (terms: readonly string[]) => {
    topKMaxScore(reader, prepareQuery(reader, reader.analyzer.terms(terms.join(' ')).map((term) => ({ term, weight: 1 }))), k, params);
  };
  const top10 = latencies(queries, run(10));
  const top1000 = latencies(queries, run(1000));
  const result: EngineResult = {
    engine: 'pont',
    indexSeconds,
    indexCpuSeconds,
    docsPerSecond: docs / indexSeconds,
    indexBytes,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    queries: queries.length,
    top10,
    top1000,
  };
  console.log(JSON.stringify(result));
} finally {
  ws.close();
  rmSync(tmp, { recursive: true, force: true });
}
