// SQLite FTS5 anchor: a contentless FTS5 table (unicode61 tokeniser) over the same passages, ranked with its
// built-in bm25() — whose k1 and b are fixed at 1.2 and 0.75 — and OR queries. Prints one JSON line.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuMs, insertDocs, latencies, readQueries, type EngineResult } from './measure.ts';

const [dir = '.', maxQueries = '1000'] = process.argv.slice(2);
const tmp = mkdtempSync(join(tmpdir(), 'pont-fts5-'));
const file = join(tmp, 'fts.db');
const db = new Database(file);
try {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec("CREATE VIRTUAL TABLE fts USING fts5(text, content='', tokenize='unicode61')");
  const ins = db.prepare('INSERT INTO fts (rowid, text) VALUES (?, ?)');
  const t0 = performance.now();
  const c0 = cpuMs();
  const docs = await insertDocs(db, dir, (id, text) => ins.run(Number(id), text));
  db.pragma('wal_checkpoint(TRUNCATE)');
  const indexSeconds = (performance.now() - t0) / 1000;
  const indexCpuSeconds = (cpuMs() - c0) / 1000;
  const indexBytes = statSync(file).size;
  const queries = readQueries(join(dir, 'queries.tsv')).slice(0, Number(maxQueries));
  const stmt = (k: number) => db.prepare(`SELECT rowid, bm25(fts) AS s FROM fts WHERE fts MATCH ? ORDER BY s LIMIT ${k}`);
  const run = (k: number) => {
    const s = stmt(k);
    return (terms: readonly string[]) => void s.all(terms.map((t) => `"${t}"`).join(' OR '));
  };
  const warm = Math.min(10, queries.length);
  const result: EngineResult = {
    engine: 'fts5',
    indexSeconds,
    indexCpuSeconds,
    docsPerSecond: docs / indexSeconds,
    indexBytes,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    queries: queries.length,
    top10: latencies(queries, run(10), warm),
    top1000: latencies(queries, run(1000), warm),
  };
  console.log(JSON.stringify(result));
} finally {
  db.close();
  rmSync(tmp, { recursive: true, force: true });
}
