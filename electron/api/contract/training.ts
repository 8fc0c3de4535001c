import { z } from 'zod';
import { defineMethod } from '../define.ts';
import type { TrainReport } from '../../engine/training/job.ts';
import type { AdapterReport } from '../../engine/training/adapter.ts';
import { name, path } from './schemas.ts';

export type { AdapterReport, TrainReport };

export interface TrainingJobSummary {
  name: string;
  kind: 'encoder' | 'adapter';
  state: 'running' | 'done';
  step: number;
  totalSteps: number;
  lastLoss: number | null;
  startedAt: string;
  updatedAt: string;
}

const count = (max: number) => z.number().int().min(1).max(max);

export const trainingMethods = {
  'train.encoder': defineMethod({
    summary: 'Train a dual encoder on training sets (or continue training one) and add it as a model pack',
    job: true,
    input: z.object({
      name,
      pairs: z.array(name).min(1).max(64),
      from: name.optional(),
      epochs: count(1000).optional(),
      dim: count(4096).optional(),
      projection: z.number().int().min(0).max(4096).optional(),
      buckets: z.number().int().min(2).max(2 ** 26).optional(),
      batchSize: count(65_536).optional(),
      hardNegatives: z.number().int().min(0).max(64).optional(),
      lr: z.number().positive().max(10).optional(),
      temperature: z.number().positive().max(100).optional(),
      seed: z.number().int().min(0).max(2 ** 31).optional(),
      restart: z.boolean().default(false),
    }),
  }).returns<TrainReport>(),

  'train.adapter': defineMethod({
    summary: 'Train a query-side adapter (a linear map on query vectors) for a dense model on training sets; documents stay as indexed',
    job: true,
    input: z.object({
      name,
      model: name,
      pairs: z.array(name).min(1).max(64),
      epochs: count(1000).optional(),
      batchSize: count(65_536).optional(),
      lr: z.number().positive().max(10).optional(),
      temperature: z.number().positive().max(100).optional(),
      seed: z.number().int().min(0).max(2 ** 31).optional(),
    }),
  }).returns<AdapterReport>(),

  'train.jobs': defineMethod({
    summary: 'List training jobs: finished, and unfinished ones that the same command resumes',
    input: z.object({}).default({}),
  }).returns<TrainingJobSummary[]>(),

  'model.export': defineMethod({
    summary: 'Write a model pack out to a folder that `pont model import` accepts on another machine',
    input: z.object({ name, dir: path }),
  }).returns<{ dir: string; files: string[]; bytes: number; checksum: string }>(),
};
