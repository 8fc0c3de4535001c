import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.ts';
import { writeTsvCollection } from '../fixtures/generate.ts';
import { integrity, killAndResume, query } from '../helpers/fault.ts';
import { tempDir } from '../helpers/workspace.ts';

/** The documents of a workspace as one hash: the same ids with the same texts give the same hash. */
function documentsHash(ws: string): { count: number; hash: string } {
  const rows = query<{ ext_id: string; text: string }>(ws, 'SELECT ext_id, text FROM documents ORDER BY ext_id');
  const h = createHash('sha256');
  for (const r of rows) h.update(`${r.ext_id}\t${r.text}\n`);
  return { count: rows.length, hash: h.digest('hex') };
}

function cli(ws: string, ...args: string[]) {
  const r = runCli(['--workspace', ws, '--no-demo', ...args]);
  if (r.code !== 0) throw new Error(`pont ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r;
}

/**
 * kill -9 at seeded random moments during each kind of long job, then the same command to its end: the result must
 * equal a clean run's (the same documents; the same run file from the index) and SQLite must find the database
 * sound. `kills` per job kind: a few in CI, twenty or more in the slow suite.
 */
export function faultSuite(kills: number, docs: number): void {
  const timeout = 60_000 + kills * 20_000;
  // A run of the CLI takes about a second to start: moments from 0.3 to 2.5 s fall on start-up and on the work.
  const moments = (seed: number) => ({ seed, kills, minMs: 300, maxMs: 2500 });

  describe(`kill -9 at random moments, ${kills} times per job, then resume`, () => {
    it('collection import ends with the documents of a clean import', { timeout }, async () => {
      const dir = tempDir();
      const file = join(dir, 'c.tsv');
      writeTsvCollection(file, { lines: docs });
      const clean = join(dir, 'clean');
      cli(clean, 'collection', 'import', file, '--name', 'c', '--lang', 'fr');
      const ws = join(dir, 'ws');
      const r = await killAndResume(['--workspace', ws, '--no-demo', 'collection', 'import', file, '--name', 'c', '--lang', 'fr'], moments(11));
      expect(r.code).toBe(0);
      expect(integrity(ws)).toBe('ok');
      expect(documentsHash(ws)).toEqual(documentsHash(clean));
      expect(query<{ state: string }>(ws, "SELECT state FROM imports WHERE state != 'done'")).toEqual([]);
    });

    it('index build ends with an index that writes the run file of a clean build', { timeout }, async () => {
      const dir = tempDir();
      const file = join(dir, 'c.tsv');
      writeTsvCollection(file, { lines: docs });
      const queries = join(dir, 'q.tsv');
      writeFileSync(queries, ['lo solelh', 'la mar', 'montanha', 'aiga', 'vila', 'lenga', 'pan', 'riu'].map((q, i) => `q${i}\t${q}`).join('\n'));
      const runOf = (ws: string) => {
        const out = join(ws, 'run.txt');
        cli(ws, 'run', '--collection', 'c', '--queries', 'q', '--output', out, '--k', '100', '--tag', 't');
        return readFileSync(out, 'utf8');
      };
      const prepare = (ws: string) => {
        cli(ws, 'collection', 'import', file, '--name', 'c', '--lang', 'fr');
        cli(ws, 'queries', 'import', queries, '--collection', 'c', '--name', 'q', '--lang', 'oc');
      };
      const clean = join(dir, 'clean');
      prepare(clean);
      cli(clean, 'index', 'build', '--collection', 'c', '--analyzer', 'chargram:3-5+fold');
      const ws = join(dir, 'ws');
      prepare(ws);
      const r = await killAndResume(['--workspace', ws, '--no-demo', 'index', 'build', '--collection', 'c', '--analyzer', 'chargram:3-5+fold'], moments(23));
      expect(r.code).toBe(0);
      expect(integrity(ws)).toBe('ok');
      expect(runOf(ws)).toBe(runOf(clean));
    });
  });
}
