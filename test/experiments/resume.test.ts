import Database from 'better-sqlite3';
import { once } from 'node:events';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { json, runCli, spawnCli } from '../cli/run-cli.ts';
import { rng, writeTsvCollection } from '../fixtures/generate.ts';
import { tempDir } from '../helpers/workspace.ts';
import type { ExperimentResult } from '../../electron/engine/experiments/runner.ts';

// An experiment killed with kill -9 in the middle resumes after its last finished unit, and ends with the same
// results as a run that was never interrupted; the output folder has the finished units' results meanwhile.

const WORDS = 'lo sol la mar pan vin casa carrièra montanha riu cançon musica istòria vila ostal fuòc aiga vent nuèch jorn'.split(' ');

/** A collection with two indexes, and three query sets of 150 queries, each query judged. */
function setUp(dir: string): { ws: string; file: string } {
  const ws = join(dir, 'ws');
  const docs = join(dir, 'docs.tsv');
  writeTsvCollection(docs, { lines: 2000 });
  const pont = (...args: string[]) => {
    const r = runCli(['--workspace', ws, '--no-demo', ...args]);
    if (r.code !== 0) throw new Error(`pont ${args.join(' ')}: ${r.stderr}`);
  };
  pont('collection', 'import', docs, '--name', 'c', '--lang', 'oc');
  pont('index', 'build', '--collection', 'c', '--analyzer', 'words+fold');
  pont('index', 'build', '--collection', 'c', '--analyzer', 'chargram:3-5+fold');
  const next = rng(7);
  const sets = ['a', 'b', 'c'].map((name) => {
    const lines: string[] = [];
    const qrels: string[] = [];
    for (let q = 0; q < 150; q++) {
      lines.push(`${name}${q}\t${Array.from({ length: 3 }, () => WORDS[Math.floor(next() * WORDS.length)]).join(' ')}`);
      qrels.push(`${name}${q} 0 d${Math.floor(next() * 2000)} 1`);
    }
    writeFileSync(join(dir, `${name}.tsv`), `${lines.join('\n')}\n`);
    writeFileSync(join(dir, `${name}.qrels`), `${qrels.join('\n')}\n`);
    return { name, queries: `${name}.tsv`, qrels: `${name}.qrels` };
  });
  const file = join(dir, 'exp.json');
  const words = { bm25: { index: 'words-fold' } };
  writeFileSync(
    file,
    JSON.stringify({
      name: 'resume',
      collection: 'c',
      querySets: sets,
      systems: {
        words,
        chargrams: { bm25: {} },
        fusion: { fuse: { systems: [words, { bm25: { index: 'chargram-3-5-fold' } }], folds: 3, measure: 'RR@10' } },
        rrf: { rrf: { systems: [words, { bm25: {} }] } },
      },
      measures: ['RR@10', 'R@100'],
      baseline: 'words',
      permutations: 1000,
      output: 'out',
    }),
  );
  return { ws, file };
}

function finishedUnits(ws: string): number {
  const file = join(ws, 'pont.db');
  if (!existsSync(file)) return 0;
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const has = db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'experiment_units'").pluck().get() === 1;
    return has ? (db.prepare('SELECT count(*) FROM experiment_units').pluck().get() as number) : 0;
  } finally {
    db.close();
  }
}

/** What must not depend on interruptions: every mean and per-query value, and the fusion's α per fold. */
function outcome(r: ExperimentResult) {
  return r.querySets.map((s) => ({ name: s.name, qids: s.qids, comparisons: s.comparisons, systems: s.systems.map(({ name, means, perQuery, crossValidation }) => ({ name, means, perQuery, crossValidation })) }));
}

describe('an experiment killed with kill -9', () => {
  it('resumes after its last finished unit and ends as an uninterrupted run does', { timeout: 600_000 }, async () => {
    const dir = tempDir();
    const { ws, file } = setUp(dir);
    const exported = (name: string) => {
      const out = join(dir, `${name}.trec`);
      expect(runCli(['--workspace', ws, 'runs', 'export', name, out]).code).toBe(0);
      return readFileSync(out, 'utf8');
    };
    const clean = json<ExperimentResult>(runCli(['--workspace', ws, '--json', 'experiment', file]));
    expect(finishedUnits(ws)).toBe(0); // a finished experiment forgets its units: running it again starts afresh
    // The last query set's fusions: their inputs were read back from stored runs if the kill came before them.
    const cleanRuns = new Map(clean.querySets.at(-1)!.systems.slice(2).map((x) => [x.run!, exported(x.run!)]));

    rmSync(join(dir, 'out'), { recursive: true });
    const child = spawnCli(['--workspace', ws, 'experiment', file]);
    const exited = once(child, 'exit');
    // Killed once a unit is finished and the output folder says so.
    const partialWritten = () => existsSync(join(dir, 'out', 'table.txt')) && readFileSync(join(dir, 'out', 'table.txt'), 'utf8').includes('Unfinished');
    for (let i = 0; i < 20_000 && !partialWritten(); i++) await sleep(10);
    child.kill('SIGKILL');
    await exited;
    const units = finishedUnits(ws);
    expect(units).toBeGreaterThan(0);
    expect(units).toBeLessThan(12);
    // The output folder already holds what was finished.
    const partial = JSON.parse(readFileSync(join(dir, 'out', 'results.json'), 'utf8')) as ExperimentResult;
    expect(partial.unfinished?.of).toBe(12);
    expect(readFileSync(join(dir, 'out', 'table.txt'), 'utf8')).toMatch(/Unfinished: \d+ of 12/);
    const before = new Map(partial.querySets.flatMap((s) => s.systems.map((x) => [`${s.name}/${x.name}`, x.seconds])));

    const resumed = json<ExperimentResult>(runCli(['--workspace', ws, '--json', 'experiment', file]));
    expect(resumed.unfinished).toBeUndefined();
    expect(outcome(resumed)).toEqual(outcome(clean));
    // Units finished before the kill were read back, not run again (their timings are the first run's).
    for (const s of resumed.querySets) for (const x of s.systems) if (before.has(`${s.name}/${x.name}`)) expect(x.seconds).toBe(before.get(`${s.name}/${x.name}`));
    const db = new Database(join(ws, 'pont.db'), { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    // Each stored run equals the clean run's, as TREC text.
    for (const [name, text] of cleanRuns) expect(exported(name)).toBe(text);
  });
});
