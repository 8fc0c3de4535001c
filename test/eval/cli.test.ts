import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/workspace.ts';

const pont = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, ['bin/pont.mjs', ...args], { encoding: 'utf8', env: { ...process.env, ...env } });

const qrels = 'q1 0 d1 1\nq1 0 d2 0\nq1 0 d3 2\nq2 0 d9 1\nq3 0 d5 1\n';
// q1: d2 (0) then d1 (1) tie on score: docno descending puts d2 first; d3 (2) third. q3 is judged but not run.
const run = 'q1 Q0 d1 1 5 sys\nq1 Q0 d2 2 5 sys\nq1 Q0 d3 3 1 sys\nq2 Q0 d8 1 3 sys\nq2 Q0 d9 2 2 sys\n';

describe('pont eval with files', () => {
  it('needs no workspace, as trec_eval, and agrees with the hand-computed values', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'q.qrels'), qrels);
    writeFileSync(join(dir, 'r.run.gz'), gzipSync(run));
    const ws = join(dir, 'workspace-that-must-not-exist');
    const r = pont(['eval', join(dir, 'r.run.gz'), '--qrels', join(dir, 'q.qrels'), '-m', 'RR@10', '-m', 'P@2', '--per-query', '--json'], { PONT_WORKSPACE: ws });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.perQuery).toEqual([
      { qid: 'q1', values: { 'RR@10': 1 / 2, 'P@2': 1 / 2 } },
      { qid: 'q2', values: { 'RR@10': 1 / 2, 'P@2': 1 / 2 } },
    ]);
    expect(out.summary).toEqual({ 'RR@10': 0.5, 'P@2': 0.5 });
    expect(out.unanswered).toEqual(['q3']);
    expect(existsSync(ws)).toBe(false);

    const c = pont(['eval', join(dir, 'r.run.gz'), '--qrels', join(dir, 'q.qrels'), '-m', 'RR@10', '-c', '--json'], { PONT_WORKSPACE: ws });
    expect(JSON.parse(c.stdout).summary['RR@10']).toBeCloseTo(1 / 3, 12);
    const text = pont(['eval', join(dir, 'r.run.gz'), '--qrels', join(dir, 'q.qrels'), '-m', 'RR@10'], { PONT_WORKSPACE: ws });
    expect(text.stdout).toMatch(/RR@10\s+0\.5000/);
    expect(text.stdout).toMatch(/1 judged queries not in the run are left out/);
  });

  it('names the file, line and field of bad input', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'q.qrels'), qrels);
    writeFileSync(join(dir, 'bad.run'), 'q1 Q0 d1 1 5 sys\nq1 Q0 d2 2 high sys\n');
    const r = pont(['eval', join(dir, 'bad.run'), '--qrels', join(dir, 'q.qrels')], { PONT_WORKSPACE: join(dir, 'ws') });
    expect(r.status).toBe(5);
    expect(r.stderr).toContain('bad.run, line 2, field score');
  });
});
