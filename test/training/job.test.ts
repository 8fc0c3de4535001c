import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Input } from '../../electron/api/contract/index.ts';
import { noJob } from '../../electron/engine/jobs/progress.ts';
import { getPack } from '../../electron/engine/models/packs.ts';
import { readFloatInitializers } from '../../electron/engine/models/onnx-inspect.ts';
import { Workspace } from '../../electron/engine/store/workspace.ts';
import { trainEncoder } from '../../electron/engine/training/job.ts';
import { tempDir, tempEngine, tempWorkspace } from '../helpers/workspace.ts';
import { resumeCase, syntheticPairs, syntheticSource, tinySettings } from './fixtures/pairs.ts';

const weights = (ws: Workspace, name: string) => readFloatInitializers(join(getPack(ws, name).dir, 'model.onnx')).get('embeddings')!.data;

describe('training jobs', () => {
  it('are deterministic for a seed, and another seed gives another model', async () => {
    const a = tempWorkspace();
    const b = tempWorkspace();
    const req = { name: 'm', sources: [syntheticSource(300)], settings: { ...tinySettings, projection: 8 } };
    const ra = await trainEncoder(a, req, noJob);
    await trainEncoder(b, req, noJob);
    expect(weights(a, 'm')).toEqual(weights(b, 'm'));
    await trainEncoder(b, { ...req, name: 'other', settings: { ...req.settings, seed: 7 } }, noJob);
    expect(weights(b, 'other')).not.toEqual(weights(a, 'm'));
    expect(ra.losses.length).toBeGreaterThan(4);
    expect(ra.manifest.training).toMatchObject({ from: ['xx-low'], to: 'xx', steps: ra.steps, base: null });
  });

  it('resume after kill -9 to the same model an uninterrupted run gives', async () => {
    const dir = tempDir('pont-ws-');
    Workspace.open(dir).close();
    const child = spawnSync(process.execPath, [join(import.meta.dirname, 'fixtures/train-child.ts'), dir], { encoding: 'utf8' });
    expect(child.signal).toBe('SIGKILL');
    const ws = Workspace.open(dir);
    try {
      const row = ws.db.prepare("SELECT step, total_steps, state FROM training_jobs WHERE name = 'tiny'").get() as { step: number; total_steps: number; state: string };
      expect(row.state).toBe('running');
      expect(row.step).toBeGreaterThan(0);
      expect(row.step).toBeLessThan(row.total_steps);
      const resumed = await trainEncoder(ws, resumeCase(), noJob);
      expect(resumed.resumedAt).toBe(row.step);
      const fresh = tempWorkspace();
      const straight = await trainEncoder(fresh, resumeCase(), noJob);
      expect(weights(ws, 'tiny')).toEqual(weights(fresh, 'tiny'));
      expect(resumed.losses).toEqual(straight.losses);
    } finally {
      ws.close();
    }
  });

  it('a crash after the model was imported but before its job ended: running it again ends the job, same model', async () => {
    // Found by the fault suite: the rerun refused with "model already exists" and the job stayed unfinished for good.
    const ws = tempWorkspace();
    const req = resumeCase();
    const first = await trainEncoder(ws, req, noJob);
    const before = weights(ws, 'tiny');
    // What a kill between the import and the job's last update leaves (the final step and losses were saved first).
    ws.db.prepare("UPDATE training_jobs SET state = 'running' WHERE name = 'tiny'").run();
    const again = await trainEncoder(ws, req, noJob);
    expect(again.resumedAt).toBe(first.steps);
    expect(again.losses).toEqual(first.losses);
    expect(ws.db.prepare("SELECT state, step = total_steps AS complete FROM training_jobs WHERE name = 'tiny'").get()).toEqual({ state: 'done', complete: 1 });
    expect(weights(ws, 'tiny')).toEqual(before);
    await expect(trainEncoder(ws, req, noJob)).rejects.toThrow(/already exists/);
    // Another training under the name of a model whose job is unfinished is still refused.
    ws.db.prepare("UPDATE training_jobs SET state = 'running' WHERE name = 'tiny'").run();
    await expect(trainEncoder(ws, { ...req, settings: { ...req.settings, dim: 8 } }, noJob)).rejects.toThrow(/already exists/);
  });

  it('checkpoints on cancel, refuses other settings under the same name, and continues from a model', async () => {
    const ws = tempWorkspace();
    const ac = new AbortController();
    const req = { name: 'c', sources: [syntheticSource(400)], settings: tinySettings };
    await expect(
      trainEncoder(ws, req, { signal: ac.signal, progress: (p) => p.unit === 'steps' && ac.abort() }),
    ).rejects.toThrow(/cancelled/);
    const step = ws.db.prepare("SELECT step FROM training_jobs WHERE name = 'c'").pluck().get() as number;
    expect(step).toBeGreaterThanOrEqual(1);
    await expect(trainEncoder(ws, { ...req, settings: { ...tinySettings, dim: 8 } }, noJob)).rejects.toThrow(/--restart/);
    const done = await trainEncoder(ws, req, noJob);
    expect(done.resumedAt).toBe(step);
    const more = await trainEncoder(ws, { name: 'c2', from: 'c', sources: [syntheticSource(200, 5)], settings: { epochs: 1, batchSize: 16 } }, noJob);
    expect(more.manifest.training).toMatchObject({ base: 'c', settings: { dim: 16, buckets: 4099 } });
    expect(weights(ws, 'c2')).not.toEqual(weights(ws, 'c'));
    await expect(trainEncoder(ws, req, noJob)).rejects.toThrow(/already exists/);
  });
});

describe('training through the API', () => {
  it('runs on a worker thread, reports progress, and resumes after a cancel there', async () => {
    const engine = tempEngine();
    const file = join(tempDir(), 'pairs.tsv');
    writeFileSync(file, syntheticPairs(600).map((p) => `${p.low}\t${p.high}\n`).join(''));
    await engine.call('pairs.import', { path: file, name: 'toy', from: 'oc', to: 'fr' });
    const input: Input<'train.encoder'> = { name: 'w', pairs: ['toy'], epochs: 3, dim: 8, buckets: 2048, batchSize: 16 };
    const abort = new AbortController();
    const phases: string[] = [];
    await expect(
      engine.call('train.encoder', input, {
        signal: abort.signal,
        onProgress: (p) => {
          phases.push(p.phase);
          if (p.unit === 'steps') abort.abort();
        },
      }),
    ).rejects.toMatchObject({ code: 'cancelled' });
    expect(phases).toContain('mining hard negatives');
    const step = engine.workspace.db.prepare("SELECT step FROM training_jobs WHERE name = 'w'").pluck().get() as number;
    expect(step).toBeGreaterThan(0);
    const done = await engine.call('train.encoder', input);
    expect(done.resumedAt).toBe(step);
    expect(done.manifest.training?.from).toEqual(['oc']);
  });
});
