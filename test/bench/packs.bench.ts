// Content packs: how long a partner waits to build a pack and a user to install it, and how big the pack is, for the
// demo and for a generated collection of 100 000 passages (`--docs=N` or PONT_BENCH_PACK_DOCS for another size;
// `--quick`: 10 000) with both default indexes (stemmed words and character n-grams). Baselines measured in the
// same run: installing is compared with what it replaces (importing the collection and building its indexes), and
// building a pack with copying the workspace's database file; the pack's size with the workspace's.
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedDemo } from '../../electron/engine/demo/seed.ts';
import { importCollection } from '../../electron/engine/import/importer.ts';
import { buildDefaultIndexes } from '../../electron/engine/lexical/defaults.ts';
import { noJob } from '../../electron/engine/jobs/progress.ts';
import { buildPack, type PackItemChoice } from '../../electron/engine/packs/build.ts';
import { installPack } from '../../electron/engine/packs/install.ts';
import { listBridges } from '../../electron/engine/bridge/store.ts';
import { Workspace, DATABASE_FILE } from '../../electron/engine/store/workspace.ts';
import { generate } from './lexical/generate.ts';
import { markdownTable, writeResults } from './report.ts';

// `npm run bench` passes on only the arguments that start with '-', hence --docs=N.
const arg = (name: string) => process.argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
const quick = process.argv.includes('--quick') || process.env.PONT_BENCH_QUICK === '1';
const docs = Number(arg('--docs') ?? process.env.PONT_BENCH_PACK_DOCS ?? (quick ? 10_000 : 100_000));
const dir = mkdtempSync(join(tmpdir(), 'pont-bench-packs-'));
const seconds = (t0: number) => (performance.now() - t0) / 1000;

interface Row {
  workload: string;
  documents: number;
  rebuildSeconds: number;
  buildSeconds: number;
  copySeconds: number;
  installSeconds: number;
  packBytes: number;
  workspaceBytes: number;
}

/** The workspace's size on disk: its database after a checkpoint (the WAL folded in). */
function workspaceBytes(ws: Workspace): number {
  ws.db.pragma('wal_checkpoint(TRUNCATE)');
  return statSync(join(ws.dir, DATABASE_FILE)).size;
}

async function measure(workload: string, ws: Workspace, rebuildSeconds: number, items: PackItemChoice[]): Promise<Row> {
  const bytes = workspaceBytes(ws);
  let t0 = performance.now();
  copyFileSync(join(ws.dir, DATABASE_FILE), join(dir, `${workload}-copy.db`));
  const copySeconds = seconds(t0);
  const file = join(dir, `${workload}.pontpack`);
  t0 = performance.now();
  const built = await buildPack(ws, { output: file, items }, noJob);
  const buildSeconds = seconds(t0);
  const target = Workspace.open(join(dir, `${workload}-installed`));
  t0 = performance.now();
  await installPack(target, file, {}, noJob);
  const installSeconds = seconds(t0);
  target.close();
  const documents = ws.db.prepare('SELECT count(*) FROM documents').pluck().get() as number;
  return { workload, documents, rebuildSeconds, buildSeconds, copySeconds, installSeconds, packBytes: built.bytes, workspaceBytes: bytes };
}

try {
  const rows: Row[] = [];

  const demo = Workspace.open(join(dir, 'demo'));
  let t0 = performance.now();
  await seedDemo(demo);
  const demoSeed = seconds(t0);
  const demoItems: PackItemChoice[] = [
    ...(demo.db.prepare('SELECT name FROM collections ORDER BY name').pluck().all() as string[]).map((name) => ({ kind: 'collection', name })),
    ...(demo.db.prepare('SELECT name FROM query_sets ORDER BY name').pluck().all() as string[]).map((name) => ({ kind: 'queries', name })),
    ...listBridges(demo.db).filter((b) => b.state === 'ready').map((b) => ({ kind: 'bridge', name: b.name })),
  ];
  rows.push(await measure('demo', demo, demoSeed, demoItems));
  demo.close();

  const tsv = join(dir, 'generated.tsv');
  await generate(tsv, join(dir, 'queries.tsv'), docs, 10);
  const big = Workspace.open(join(dir, 'big'));
  t0 = performance.now();
  await importCollection(big.db, { path: tsv, name: 'generated', lang: 'fr' }, noJob);
  await buildDefaultIndexes(big.db, 'generated', noJob);
  const bigRebuild = seconds(t0);
  rows.push(await measure(`generated-${docs / 1000}k`, big, bigRebuild, [{ kind: 'collection', name: 'generated' }]));
  big.close();

  const mb = (b: number) => (b / 1e6).toFixed(1);
  console.log(
    markdownTable(
      ['workload', 'documents', 'import + index (s)', 'pack build (s)', 'db file copy (s)', 'build / copy', 'install (s)', 'install / (import + index)', 'pack MB', 'workspace MB', 'pack / workspace'],
      rows.map((r) => [
        r.workload,
        r.documents,
        r.rebuildSeconds.toFixed(2),
        r.buildSeconds.toFixed(2),
        r.copySeconds.toFixed(3),
        (r.buildSeconds / r.copySeconds).toFixed(1),
        r.installSeconds.toFixed(2),
        (r.installSeconds / r.rebuildSeconds).toFixed(3),
        mb(r.packBytes),
        mb(r.workspaceBytes),
        (r.packBytes / r.workspaceBytes).toFixed(2),
      ]),
    ),
  );
  console.log('\nThe demo row\'s "import + index" is the whole first-start seeding (imports, indexes, bridges).');
  console.log(`results: ${writeResults('packs', rows)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
