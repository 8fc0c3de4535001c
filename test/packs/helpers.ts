import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { importCollection } from '../../electron/engine/import/importer.ts';
import { importQrels } from '../../electron/engine/import/qrels.ts';
import { importQueries } from '../../electron/engine/import/queries.ts';
import { buildDefaultIndexes } from '../../electron/engine/lexical/defaults.ts';
import { noJob } from '../../electron/engine/jobs/progress.ts';
import { DEFAULT_DEMO_DIR } from '../../electron/engine/demo/seed.ts';

/** The demo's Italian collection with its Sicilian queries and both default indexes: small and real. */
export async function seedItalian(db: Database.Database, name = 'demo-it', queries = 'demo-scn'): Promise<void> {
  await importCollection(db, { path: join(DEFAULT_DEMO_DIR, 'it.jsonl'), name, lang: 'it', strict: true, format: 'jsonl', description: 'Sicily and Italy' }, noJob);
  await importQueries(db, { path: join(DEFAULT_DEMO_DIR, 'queries-scn.tsv'), collection: name, name: queries, lang: 'scn', strict: true }, noJob);
  await importQrels(db, { path: join(DEFAULT_DEMO_DIR, 'qrels-scn.txt'), queries, strict: true }, noJob);
  await buildDefaultIndexes(db, name, noJob);
}

/** Every row of every table, hashed: equal dumps mean the workspace did not change. */
export function dumpHash(db: Database.Database): string {
  const hash = createHash('sha256');
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
  for (const t of tables) {
    hash.update(`\0${t}\0`);
    for (const row of db.prepare(`SELECT * FROM "${t}"`).raw().iterate() as Iterable<unknown[]>) {
      hash.update(JSON.stringify(row, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v)));
    }
  }
  return hash.digest('hex');
}

/** The files of a directory, recursively, with their sizes (what a user would see change). */
export function listing(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const p = join(e.parentPath, e.name);
    if (e.isFile() && !/-(wal|shm)$/.test(e.name)) out.push(`${p.slice(dir.length)} ${statSync(p).size}`);
  }
  return out.sort();
}
