// Import throughput and peak memory for a generated TSV collection (1 GB by default, as issue 2 asks; `--quick` or
// PONT_BENCH_QUICK=1 uses 100 MB, PONT_BENCH_IMPORT_MB any size), against the sqlite3 command line's `.import` of the
// same file into a plain table, measured in the same run. Pont does more per record (upsert on a unique id,
// checkpoints, validation), so the ratio says what that costs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTsvCollection } from '../fixtures/generate.ts';
import { markdownTable, writeResults } from './report.ts';

const quick = process.argv.includes('--quick') || process.env.PONT_BENCH_QUICK === '1';
const megabytes = Number(process.env.PONT_BENCH_IMPORT_MB ?? (quick ? 100 : 1000));
const dir = mkdtempSync(join(tmpdir(), 'pont-bench-import-'));

interface Measure {
  importer: string;
  documents: number;
  seconds: number;
  /** CPU time (user + system): on a shared machine it says more than wall time. */
  cpuSeconds: number | null;
  peakRssBytes: number | null;
}

/** Runs a command under GNU time when it is there, to read the child's peak resident memory and CPU time. */
function timed(cmd: string, args: string[], input?: string): { seconds: number; cpuSeconds: number | null; peakRssBytes: number | null; stdout: string } {
  const gnuTime = existsSync('/usr/bin/time');
  const started = performance.now();
  const r = gnuTime
    ? spawnSync('/usr/bin/time', ['-f', '__maxrss_kb=%M __cpu=%U %S', cmd, ...args], { encoding: 'utf8', input, maxBuffer: 1 << 26 })
    : spawnSync(cmd, args, { encoding: 'utf8', input, maxBuffer: 1 << 26 });
  const seconds = (performance.now() - started) / 1000;
  if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr}`);
  const kb = /__maxrss_kb=(\d+)/.exec(r.stderr)?.[1];
  const cpu = /__cpu=([\d.]+) ([\d.]+)/.exec(r.stderr);
  return { seconds, cpuSeconds: cpu ? Number(cpu[1]) + Number(cpu[2]) : null, peakRssBytes: kb ? Number(kb) * 1024 : null, stdout: r.stdout };
}

try {
  const file = join(dir, 'collection.tsv');
  let t = performance.now();
  const { lines } = writeTsvCollection(file, { bytes: megabytes * 1e6 });
  const bytes = statSync(file).size;
  console.log(`generated ${lines.toLocaleString('en')} documents, ${(bytes / 1e6).toFixed(0)} MB, in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  // The importer's own figures: the import only, without process start-up, and its peak resident memory.
  const child = join(import.meta.dirname, '..', 'fixtures', 'import-child.ts');
  const pontRun = spawnSync(process.execPath, [child, join(dir, 'ws'), file], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (pontRun.status !== 0) throw new Error(`the Pont import failed: ${pontRun.stderr}`);
  const p = JSON.parse(pontRun.stdout) as { added: number; seconds: number; cpuSeconds: number; maxRss: number; rssBefore: number };
  if (p.added !== lines) throw new Error(`Pont imported ${p.added} documents, expected ${lines}`);
  const pont: Measure = { importer: 'Pont (upsert, checkpoints)', documents: p.added, seconds: p.seconds, cpuSeconds: p.cpuSeconds, peakRssBytes: p.maxRss };

  t = performance.now();
  const db = join(dir, 'plain.db');
  const s = timed('sqlite3', [db], `.mode tabs\nCREATE TABLE docs (id TEXT, text TEXT);\n.import '${file.replace(/'/g, "''")}' docs\nSELECT count(*) FROM docs;\n`);
  const sqliteDocs = Number(s.stdout.trim().split('\n').at(-1));
  if (sqliteDocs !== lines) throw new Error(`sqlite3 imported ${sqliteDocs} rows, expected ${lines}`);
  const sqlite: Measure = { importer: 'sqlite3 .import (plain table)', documents: sqliteDocs, seconds: s.seconds, cpuSeconds: s.cpuSeconds, peakRssBytes: s.peakRssBytes };

  const row = (m: Measure) => [
    m.importer,
    m.documents.toLocaleString('en'),
    m.seconds.toFixed(1),
    Math.round(m.documents / m.seconds).toLocaleString('en'),
    (bytes / 1e6 / m.seconds).toFixed(1),
    m.cpuSeconds === null ? 'n/a' : Math.round(m.documents / m.cpuSeconds).toLocaleString('en'),
    m.peakRssBytes === null ? 'n/a' : (m.peakRssBytes / 1e6).toFixed(0),
  ];
  const ratio = pont.documents / pont.seconds / (sqlite.documents / sqlite.seconds);
  const cpuRatio = pont.cpuSeconds && sqlite.cpuSeconds ? sqlite.cpuSeconds / pont.cpuSeconds : null;
  console.log(
    markdownTable(['importer', 'documents', 'seconds', 'documents/s', 'MB/s', 'documents per CPU second', 'peak RSS (MB)'], [
      row(pont),
      row(sqlite),
      ['Pont / sqlite3', '', '', `${ratio.toFixed(2)}×`, `${ratio.toFixed(2)}×`, cpuRatio === null ? 'n/a' : `${cpuRatio.toFixed(2)}×`, pont.peakRssBytes && sqlite.peakRssBytes ? `${(pont.peakRssBytes / sqlite.peakRssBytes).toFixed(2)}×` : 'n/a'],
    ]),
  );
  console.log(
    `\nFile: ${(bytes / 1e6).toFixed(0)} MB TSV, ${lines.toLocaleString('en')} documents of 8 to 16 words. Throughput ratio Pont / sqlite3: ${ratio.toFixed(2)}. ` +
      `Pont's peak RSS includes ${(p.rssBefore / 1e6).toFixed(0)} MB the process held before the import started (Node, SQLite, the engine's modules).`,
  );
  const out = writeResults('import', { bytes, documents: lines, pont: { ...pont, rssBeforeImportBytes: p.rssBefore }, sqlite, throughputRatio: ratio, cpuThroughputRatio: cpuRatio });
  console.log(`results: ${out}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
