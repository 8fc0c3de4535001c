// Pont's side of `npm run bench dense`, one process per point so that its peak memory is its own (see
// dense.bench.ts): loads BASE.npy into a real workspace (a sqlite-vec table, as `pont dense import` does), times the
// sqlite-vec exact scan and Pont's own exact scan (one query at a time, and the whole query set as one batch, as the
// dense stage runs it), builds the HNSW graph through the product's code path (stored in SQLite), then sweeps
// efSearch until recall@K reaches TARGET. Prints one JSON object.
//   node dense-pont.ts BASE.npy QUERIES.npy TRUTH.npy K TARGET SCAN_QUERIES
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { annOf, loadAnn } from '../../electron/engine/dense/ann.ts';
import { maintainAnn, searchDense, searchDenseMany } from '../../electron/engine/dense/index.ts';
import { readNpyHeader, readRows } from '../../electron/engine/dense/npy.ts';
import { createDenseIndex, sqliteVecScan, writeVector } from '../../electron/engine/dense/vectors.ts';
import { noJob } from '../../electron/engine/jobs/progress.ts';
import { ensureCollection } from '../../electron/engine/store/collections.ts';
import { Workspace } from '../../electron/engine/store/workspace.ts';
import { percentile } from './report.ts';

const [baseFile, queryFile, truthFile, kArg, targetArg, scanArg] = process.argv.slice(2) as [string, string, string, string, string, string];
const k = Number(kArg);
const target = Number(targetArg);
const base = readNpyHeader(baseFile);
const qm = readNpyHeader(queryFile);
const queries = readRows(queryFile, qm, 0, qm.rows);
const tm = readNpyHeader(truthFile);
const truth = readRows(truthFile, tm, 0, tm.rows);
const d = base.dimension;
const dir = mkdtempSync(join(tmpdir(), 'pont-bench-dense-'));

try {
  const ws = Workspace.open(dir);
  const db = ws.db;
  let t = performance.now();
  const c = ensureCollection(db, 'bench', 'en');
  const insert = db.prepare("INSERT INTO documents (collection_id, ext_id, text) VALUES (?, ?, '')");
  db.transaction(() => {
    for (let i = 0; i < base.rows; i++) insert.run(c.id, `d${i}`);
  })();
  const index = createDenseIndex(db, c.id, 'bench', 'bench', d);
  const slice = 10_000;
  for (let from = 0; from < base.rows; from += slice) {
    const rows = readRows(baseFile, base, from, slice);
    db.transaction(() => {
      for (let i = 0; i * d < rows.length; i++) writeVector(db, index, from + i + 1, rows.slice(i * d, (i + 1) * d));
    })();
  }
  db.prepare("UPDATE dense_indexes SET state = 'ready', documents = ?, checkpoint = ? WHERE id = ?").run(base.rows, base.rows, index.id);
  const load = (performance.now() - t) / 1000;

  const query = (i: number) => ({ kind: 'dense' as const, vector: queries.subarray(i * d, (i + 1) * d) });
  const recallOf = (i: number, ids: number[]) => {
    const want = new Set(Array.from(truth.subarray(i * tm.dimension, i * tm.dimension + k), (x) => x + 1));
    return ids.filter((id) => want.has(id)).length / k;
  };
  const timed = (n: number, search: (i: number) => { docId: number }[]) => {
    const times: number[] = [];
    let recall = 0;
    for (let i = 0; i < n; i++) {
      const s = performance.now();
      const hits = search(i);
      times.push(performance.now() - s);
      recall += recallOf(
        i,
        hits.map((h) => h.docId),
      );
    }
    times.sort((a, b) => a - b);
    return { recall: recall / n, p50: percentile(times, 50), p95: percentile(times, 95), queries: n };
  };

  const scanQueries = Math.min(qm.rows, Number(scanArg));
  const scan = timed(scanQueries, (i) => sqliteVecScan(db, index, query(i).vector, k));
  // One query at a time, Pont's scan pays for sqlite-vec returning each row from its whole chunk: seconds a query
  // at 100k, so ten queries say enough (the batch below is the dense stage's way).
  const pontScan = timed(Math.min(scanQueries, 10), (i) => searchDense(db, index, query(i), k, { exact: true }));
  t = performance.now();
  const batch = searchDenseMany(db, index, Array.from({ length: qm.rows }, (_, i) => query(i)), k, { exact: true });
  const batchMs = (performance.now() - t) / qm.rows;
  const pontBatch = { recall: batch.reduce((sum, hits, i) => sum + recallOf(i, hits.map((h) => h.docId)), 0) / qm.rows, p50: batchMs, p95: batchMs, queries: qm.rows };
  t = performance.now();
  maintainAnn(db, index, base.rows, 'hnsw', noJob);
  const build = (performance.now() - t) / 1000;
  const bytes = db.prepare('SELECT sum(length(codes)) AS codes, sum(length(graph)) AS graph FROM dense_ann_chunks WHERE index_id = ?').get(index.id) as {
    codes: number;
    graph: number;
  };
  // Opening the stored graph from another connection, as a new process would.
  const other = Workspace.open(dir);
  t = performance.now();
  loadAnn(other.db, annOf(other.db, index.id)!, d);
  const open = (performance.now() - t) / 1000;
  other.close();

  const sweep = [];
  for (const ef of [16, 32, 64, 128, 256, 512]) {
    const r = timed(qm.rows, (i) => searchDense(db, index, query(i), k, { ef, rescore: Math.min(ef, 64) }));
    sweep.push({ setting: ef, ...r });
    if (r.recall >= target) break;
  }
  ws.close();
  console.log(
    JSON.stringify({
      load,
      scan,
      pontScan,
      pontBatch,
      build,
      open,
      bytesPerVector: (bytes.codes + bytes.graph) / base.rows,
      floatBytesPerVector: 4 * d,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      sweep,
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
