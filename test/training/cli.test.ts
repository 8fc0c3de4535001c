import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pontBin, repoRoot, runCli } from '../cli/run-cli.ts';
import { tempDir } from '../helpers/workspace.ts';
import { syntheticPairs } from './fixtures/pairs.ts';

function pont(ws: string, ...args: string[]) {
  const r = runCli(['--workspace', ws, '--no-demo', ...args]);
  return { code: r.code, out: r.stdout, err: r.stderr };
}

describe('pont train / model export', () => {
  it('trains on a training set, exports the pack, and another workspace imports and encodes with it', () => {
    const ws = tempDir();
    const file = join(tempDir(), 'pairs.tsv');
    writeFileSync(file, syntheticPairs(200).map((p) => `${p.low}\t${p.high}\n`).join(''));
    expect(pont(ws, 'pairs', 'import', file, '--name', 'toy', '--from', 'oc', '--to', 'fr').code).toBe(0);
    const t = pont(ws, 'train', '--pairs', 'toy', '--name', 'toy-enc', '--epochs', '1', '--dim', '8', '--buckets', '2048', '--batch-size', '32');
    expect(t.code, t.err).toBe(0);
    expect(t.out).toMatch(/Trained toy-enc on \d+ pairs \(oc → fr\)/);
    const jobs = JSON.parse(pont(ws, '--json', 'train', 'jobs').out);
    expect(jobs[0]).toMatchObject({ name: 'toy-enc', state: 'done' });
    expect(jobs[0].step).toBe(jobs[0].totalSteps);

    const out = join(tempDir(), 'pack');
    const ex = pont(ws, 'model', 'export', 'toy-enc', out);
    expect(ex.code, ex.err).toBe(0);
    const other = tempDir();
    const imp = pont(other, '--json', 'model', 'import', out, '--name', 'toy-enc');
    expect(imp.code, imp.err).toBe(0);
    expect(JSON.parse(imp.out).manifest).toMatchObject({ family: 'pont-bag', dimension: 8, training: { from: ['oc'], to: 'fr' } });
    const here = JSON.parse(pont(ws, '--json', 'encode', '--model', 'toy-enc', '--text', 'hello there', '--provider', 'cpu').out);
    const there = JSON.parse(pont(other, '--json', 'encode', '--model', 'toy-enc', '--text', 'hello there', '--provider', 'cpu').out);
    expect(there.texts[0].dense).toEqual(here.texts[0].dense);

    // The closing table's round trip, small: the same collection and queries in both workspaces, indexed, and the
    // hybrid of char-BM25 and the encoder gives the same run in the workspace that imported the pack.
    const held = syntheticPairs(240).slice(200);
    const docs = join(tempDir(), 'docs.tsv');
    const queries = join(tempDir(), 'queries.tsv');
    writeFileSync(docs, held.map((p, i) => `d${i}\t${p.high}\n`).join(''));
    writeFileSync(queries, held.map((p, i) => `q${i}\t${p.low}\n`).join(''));
    const fused = (w: string) => {
      for (const args of [
        ['collection', 'import', docs, '--name', 'toy-fr', '--lang', 'fr', '--format', 'tsv'],
        ['queries', 'import', queries, '--collection', 'toy-fr', '--name', 'toy-oc', '--lang', 'oc', '--format', 'tsv'],
        ['index', 'build', '--collection', 'toy-fr', '--analyzer', 'chargram:3-5+fold'],
        ['dense', 'index', '--collection', 'toy-fr', '--model', 'toy-enc'],
      ]) {
        const r = pont(w, ...args);
        expect(r.code, `${args.join(' ')}: ${r.err}`).toBe(0);
      }
      const file = join(tempDir(), 'run.txt');
      const r = pont(w, 'run', '--collection', 'toy-fr', '--queries', 'toy-oc', '--index', 'chargram-3-5-fold', '--dense', 'toy-enc', '--k', '10', '--output', file);
      expect(r.code, r.err).toBe(0);
      return readFileSync(file, 'utf8');
    };
    const trained = fused(ws);
    // Run again with nothing left to encode: the model is loaded and never asked for anything, and the process must
    // still exit (it printed its report and hung, which stopped scripts/l10n-neural-reproduce.sh on a re-run).
    const again = spawnSync(process.execPath, [pontBin, '--workspace', ws, '--no-demo', 'dense', 'index', '--collection', 'toy-fr', '--model', 'toy-enc'], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(again.status, again.stderr || 'killed after 60 s').toBe(0);
    expect(again.stdout).toMatch(/\(0 encoded now/);
    expect(trained.split('\n').filter(Boolean).length).toBe(40 * 10);
    expect(fused(other)).toBe(trained);
    expect(pont(ws, 'train', '--pairs', 'nope', '--name', 'x').err).toMatch(/no training set named "nope"/);
    // Some twenty CLI processes in all: under a minute on two idle cores, minutes on a machine shared by others.
  }, 240_000);
});
