import type { HandlersFor } from '../define.ts';
import type { trainingMethods, TrainingJobSummary } from '../contract/training.ts';
import { trainInWorker } from '../../engine/training/in-worker.ts';
import { pairSources } from '../../engine/training/sources.ts';
import { exportPack } from '../../engine/training/export.ts';
import { trainAdapter } from '../../engine/training/adapter.ts';

export const trainingHandlers: HandlersFor<typeof trainingMethods> = {
  'train.encoder': async ({ name, pairs, from, restart, ...settings }, ctx) => {
    const given = Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined));
    return trainInWorker(ctx.workspace, { name, pairs, ...(from ? { from } : {}), settings: given, restart }, ctx);
  },

  'train.adapter': async ({ name, model, pairs, ...settings }, ctx) => {
    const given = Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined));
    return trainAdapter(ctx.workspace, { name, model, sources: pairSources(ctx.workspace.db, pairs), settings: given }, ctx);
  },

  'train.jobs': async (_input, ctx) => {
    const rows = ctx.workspace.db
      .prepare('SELECT name, kind, state, step, total_steps, losses, started_at, updated_at FROM training_jobs ORDER BY started_at')
      .all() as { name: string; kind: 'encoder' | 'adapter'; state: 'running' | 'done'; step: number; total_steps: number; losses: string; started_at: string; updated_at: string }[];
    return rows.map((r): TrainingJobSummary => {
      const losses = JSON.parse(r.losses) as { loss: number }[];
      return { name: r.name, kind: r.kind, state: r.state, step: r.step, totalSteps: r.total_steps, lastLoss: losses.at(-1)?.loss ?? null, startedAt: r.started_at, updatedAt: r.updated_at };
    });
  },

  'model.export': async ({ name, dir }, ctx) => exportPack(ctx.workspace, name, dir),
};
