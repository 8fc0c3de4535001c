import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { PontError } from '../errors.ts';
import { importCollection } from '../import/importer.ts';
import { importQrels } from '../import/qrels.ts';
import { importQueries } from '../import/queries.ts';
import { buildDefaultIndexes } from '../lexical/defaults.ts';
import { importPairs } from '../pairs/importer.ts';
import { findBridge } from '../bridge/store.ts';
import { trainBridge } from '../bridge/train.ts';
import { noJob } from '../jobs/progress.ts';
import type { Workspace } from '../store/workspace.ts';

export { wantsDemo } from './wants.ts';

export const DEFAULT_DEMO_DIR = fileURLToPath(new URL('../../../resources/demo/', import.meta.url));

/** resources/demo/manifest.json: what the demo holds, each file named relative to the manifest. */
const manifestSchema = z.object({
  collections: z.array(
    z.object({
      name: z.string(),
      lang: z.string(),
      file: z.string(),
      format: z.enum(['tsv', 'jsonl', 'folder']).optional(),
      description: z.string().optional(),
    }),
  ),
  querySets: z
    .array(z.object({ name: z.string(), lang: z.string(), collection: z.string(), file: z.string(), qrels: z.string().optional() }))
    .default([]),
  /** Training sets (TSV low<TAB>high) and the bridges trained on them at seeding (a few hundred pairs: a second). */
  trainingSets: z.array(z.object({ name: z.string(), from: z.string(), to: z.string(), file: z.string() })).default([]),
  bridges: z.array(z.object({ name: z.string(), pairs: z.array(z.string()).min(1) })).default([]),
});

export type DemoManifest = z.infer<typeof manifestSchema>;

export function readDemoManifest(demoDir: string): DemoManifest {
  const file = join(demoDir, 'manifest.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new PontError('unavailable', 'demo.unreadable', { file, reason: (e as Error).message }, [{ file, reason: (e as Error).message }]);
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({ file, field: i.path.join('.'), reason: i.message }));
    throw new PontError('bad_data', 'demo.malformed', { file }, details);
  }
  return parsed.data;
}

/**
 * Fills a fresh workspace with the built-in demo (resources/demo): a small French, Italian and Dutch collection
 * with example queries in Occitan, Catalan, Sicilian and Afrikaans, so that a first-time user can search at once.
 * The demo is ours, so any bad record in it is an error (strict imports); every step is idempotent.
 */
export async function seedDemo(workspace: Workspace, demoDir = DEFAULT_DEMO_DIR): Promise<void> {
  const manifest = readDemoManifest(demoDir);
  const db = workspace.db;
  setDemoState(db, 'seeding');
  for (const c of manifest.collections) {
    await importCollection(
      db,
      { path: join(demoDir, c.file), name: c.name, lang: c.lang, strict: true, ...(c.format ? { format: c.format } : {}), ...(c.description ? { description: c.description } : {}) },
      noJob,
    );
  }
  for (const q of manifest.querySets) {
    await importQueries(db, { path: join(demoDir, q.file), collection: q.collection, name: q.name, lang: q.lang, strict: true }, noJob);
    if (q.qrels) await importQrels(db, { path: join(demoDir, q.qrels), queries: q.name, strict: true }, noJob);
  }
  // Searchable at once: a stemmed word index and a character n-gram index per collection.
  for (const c of manifest.collections) await buildDefaultIndexes(db, c.name, noJob);
  for (const t of manifest.trainingSets) await importPairs(db, { path: join(demoDir, t.file), name: t.name, from: t.from, to: t.to, format: 'tsv', strict: true }, noJob);
  for (const b of manifest.bridges) if (findBridge(db, b.name)?.state !== 'ready') await trainBridge(db, { name: b.name, pairs: b.pairs }, noJob);
  setDemoState(db, 'done');
}

function setDemoState(db: Workspace['db'], state: 'seeding' | 'done'): void {
  db.prepare("INSERT INTO workspace_meta (key, value) VALUES ('demo', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(state);
}
