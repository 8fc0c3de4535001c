import { createHash } from 'node:crypto';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExperimentResult } from '../../electron/engine/experiments/runner.ts';
import { readFloatInitializers } from '../../electron/engine/models/onnx-inspect.ts';
import { json, runCli } from '../cli/run-cli.ts';
import { writeTsvCollection } from '../fixtures/generate.ts';
import { exists, integrity, killAndResume, query } from '../helpers/fault.ts';
import { rng } from '../helpers/random.ts';
import { tempDir } from '../helpers/workspace.ts';
import { writeDensePack } from '../models/packs.ts';
import { syntheticPairs } from '../training/fixtures/pairs.ts';

function cli(ws: string, ...args: string[]) {
  const r = runCli(['--workspace', ws, '--no-demo', ...args]);
  if (r.code !== 0) throw new Error(`pont ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r;
}

const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

/** Two workspaces in the same state: one prepared by `prepare`, and a copy of it (the CLI has closed it, WAL folded in). */
function twoWorkspaces(dir: string, prepare: (ws: string) => void): { clean: string; ws: string } {
  const clean = join(dir, 'clean');
  prepare(clean);
  const ws = join(dir, 'ws');
  cpSync(clean, ws, { recursive: true });
  return { clean, ws };
}

export interface JobFaultSizes {
  kills: number;
  /** Documents encoded by the dense model (batches of 256: more batches than kills). */
  docs: number;
  /** Training pairs, and the epochs over them (each epoch's end is a checkpoint: more epochs than kills). */
  pairs: number;
  epochs: number;
  /** Query sets of the experiment (four systems each: four units, more than kills), and queries per set. */
  querySets: number;
  queries: number;
}

/**
 * kill -9 at seeded random moments during the long jobs of the models, training and evaluation subsystems, then the
 * same command to its end: the dense index exports the vectors of a clean build, the trained model has the weights
 * of an uninterrupted training, the experiment ends with a clean run's values and runs; SQLite finds the database
 * sound after each. Every kill falls while a run is working, after it has committed some work of its own.
 */
export function jobFaultSuite(s: JobFaultSizes): void {
  const timeout = 120_000 + s.kills * 30_000;
  // Each kill falls up to 60 ms after the run has committed some work of its own (a batch of vectors, a training
  // checkpoint, an experiment unit): on a fast machine a time drawn from its start could fall after the job's end,
  // on a loaded one before its work begins. The inputs are sized so that there is more such progress than kills.
  const moments = (seed: number, progress: () => number) => {
    let atStart: number | undefined;
    const working = () => {
      const now = progress();
      atStart ??= now;
      if (now <= atStart) return false;
      atStart = undefined;
      return true;
    };
    return { seed, kills: s.kills, minMs: 0, maxMs: 60, working };
  };
  const value = (ws: string, sql: string) => (exists(ws, sql) ? query<{ v: number }>(ws, sql)[0]!.v : 0);

  describe(`kill -9 during dense encoding, training and experiments, ${s.kills} times each, then resume`, () => {
    it('dense encoding ends with the vectors of a clean build', { timeout }, async () => {
      const dir = tempDir();
      const docs = join(dir, 'c.tsv');
      writeTsvCollection(docs, { lines: s.docs });
      const pack = join(dir, 'pack');
      writeDensePack(pack, { pooling: 'mean', normalize: true });
      const prepare = (ws: string) => {
        cli(ws, 'collection', 'import', docs, '--name', 'c', '--lang', 'fr');
        cli(ws, 'model', 'import', pack, '--name', 'e5');
      };
      const vectors = (ws: string) => {
        const out = join(ws, 'v.npy');
        const ids = join(ws, 'ids.txt');
        cli(ws, 'dense', 'export', '--collection', 'c', '--model', 'e5', '--vectors', out, '--docnos', ids);
        return { vectors: sha256(readFileSync(out)), docnos: sha256(readFileSync(ids)) };
      };
      const args = ['dense', 'index', '--collection', 'c', '--model', 'e5'];
      const { clean, ws } = twoWorkspaces(dir, prepare);
      cli(clean, ...args);
      const r = await killAndResume(['--workspace', ws, '--no-demo', ...args], moments(31, () => value(ws, 'SELECT checkpoint AS v FROM dense_indexes')));
      expect(r.code).toBe(0);
      expect(r.kills).toBe(s.kills);
      expect(integrity(ws)).toBe('ok');
      expect(query(ws, 'SELECT documents, state FROM dense_indexes')).toEqual([{ documents: s.docs, state: 'ready' }]);
      expect(vectors(ws)).toEqual(vectors(clean));
    });

    it('training ends with the weights of an uninterrupted training', { timeout }, async () => {
      const dir = tempDir();
      const file = join(dir, 'pairs.tsv');
      writeFileSync(file, syntheticPairs(s.pairs).map((p) => `${p.low}\t${p.high}\n`).join(''));
      const args = ['train', '--pairs', 'toy', '--name', 'enc', '--epochs', String(s.epochs), '--dim', '8', '--buckets', '2048', '--batch-size', '16'];
      const weights = (ws: string) => {
        const out = join(dir, `export-${ws === clean ? 'clean' : 'ws'}`);
        cli(ws, 'model', 'export', 'enc', out);
        const h = createHash('sha256');
        for (const [name, t] of [...readFloatInitializers(join(out, 'model.onnx'))].sort(([a], [b]) => (a < b ? -1 : 1))) h.update(name).update(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
        return h.digest('hex');
      };
      const { clean, ws } = twoWorkspaces(dir, (w) => cli(w, 'pairs', 'import', file, '--name', 'toy', '--from', 'oc', '--to', 'fr'));
      cli(clean, ...args);
      const r = await killAndResume(['--workspace', ws, '--no-demo', ...args], moments(47, () => value(ws, 'SELECT step AS v FROM training_jobs')));
      expect(r.code).toBe(0);
      expect(r.kills).toBe(s.kills);
      expect(integrity(ws)).toBe('ok');
      expect(query(ws, 'SELECT state, step = total_steps AS complete, losses FROM training_jobs')).toEqual(query(clean, 'SELECT state, step = total_steps AS complete, losses FROM training_jobs'));
      expect(weights(ws)).toBe(weights(clean));
    });

    it('an experiment ends with the values and runs of an uninterrupted one', { timeout }, async () => {
      const dir = tempDir();
      const docs = join(dir, 'c.tsv');
      writeTsvCollection(docs, { lines: 800 });
      const words = 'lo sol la mar pan vin casa carrièra montanha riu cançon musica istòria vila ostal fuòc aiga vent nuèch jorn'.split(' ');
      const next = rng(5);
      const sets = Array.from({ length: s.querySets }, (_, i) => {
        const name = `s${i}`;
        const lines: string[] = [];
        const qrels: string[] = [];
        for (let q = 0; q < s.queries; q++) {
          lines.push(`${name}-${q}\t${Array.from({ length: 3 }, () => words[Math.floor(next() * words.length)]).join(' ')}`);
          qrels.push(`${name}-${q} 0 d${Math.floor(next() * 800)} 1`);
        }
        writeFileSync(join(dir, `${name}.tsv`), `${lines.join('\n')}\n`);
        writeFileSync(join(dir, `${name}.qrels`), `${qrels.join('\n')}\n`);
        return { name, queries: `${name}.tsv`, qrels: `${name}.qrels` };
      });
      const w = { bm25: { index: 'words-fold' } };
      const c = { bm25: { index: 'chargram-3-5-fold' } };
      const file = join(dir, 'exp.json');
      writeFileSync(
        file,
        JSON.stringify({
          name: 'faults',
          collection: 'c',
          querySets: sets,
          systems: { words: w, chargrams: c, fusion: { fuse: { systems: [w, c], folds: 3, measure: 'RR@10' } }, rrf: { rrf: { systems: [w, c] } } },
          measures: ['RR@10', 'R@100'],
          baseline: 'words',
          permutations: 1000,
          output: 'out',
        }),
      );
      const prepare = (ws: string) => {
        cli(ws, 'collection', 'import', docs, '--name', 'c', '--lang', 'oc');
        cli(ws, 'index', 'build', '--collection', 'c', '--analyzer', 'words+fold');
        cli(ws, 'index', 'build', '--collection', 'c', '--analyzer', 'chargram:3-5+fold');
      };
      const outcome = (r: ExperimentResult) => r.querySets.map((q) => ({ name: q.name, qids: q.qids, comparisons: q.comparisons, systems: q.systems.map(({ name, means, perQuery, crossValidation, run }) => ({ name, means, perQuery, crossValidation, run })) }));
      // The stored runs, encoded (the codec is deterministic: the same run gives the same bytes).
      const runs = (ws: string) => query<{ name: string; content: Buffer }>(ws, 'SELECT name, content FROM runs ORDER BY name').map((r) => [r.name, sha256(r.content)]);
      const { clean, ws } = twoWorkspaces(dir, prepare);
      const expected = outcome(json<ExperimentResult>(cli(clean, '--json', 'experiment', file)));
      const r = await killAndResume(['--workspace', ws, '--no-demo', '--json', 'experiment', file], moments(59, () => value(ws, 'SELECT count(*) AS v FROM experiment_units')));
      expect(r.code).toBe(0);
      expect(r.kills).toBe(s.kills);
      expect(integrity(ws)).toBe('ok');
      expect(outcome(JSON.parse(readFileSync(join(dir, 'out', 'results.json'), 'utf8')) as ExperimentResult)).toEqual(expected);
      expect(runs(ws)).toEqual(runs(clean));
    });
  });
}
