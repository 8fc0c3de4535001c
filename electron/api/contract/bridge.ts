import { z } from 'zod';
import { defineMethod } from '../define.ts';
import type { BridgeInfo } from '../../engine/bridge/store.ts';
import { langTag, name, path } from './schemas.ts';

export type { BridgeInfo };

/** A bridge in listings: what the Search view needs to offer one by the user's variety. */
export type BridgeSummary = Omit<BridgeInfo, 'params'>;

export const bridgeMethods = {
  'bridge.train': defineMethod({
    summary: 'Learn a lexical bridge (word translation probabilities, low variety → high language) from training sets; resumes an unfinished training',
    job: true,
    input: z.object({
      name,
      /** Training sets, pooled. */
      pairs: z.array(name).min(1).max(64),
      from: langTag.optional(),
      to: langTag.optional(),
      iterations: z.number().int().min(1).max(100).optional(),
      top: z.number().int().min(1).max(100).optional(),
      minProbability: z.number().min(0).max(1).optional(),
      seed: z.number().int().optional(),
    }),
  }).returns<BridgeInfo>(),

  'bridge.list': defineMethod({
    summary: 'List the bridges',
    input: z.object({}).default({}),
  }).returns<BridgeSummary[]>(),

  'bridge.show': defineMethod({
    summary: 'Show a bridge, its provenance and sample translations',
    input: z.object({ name, sample: z.number().int().min(0).max(1000).default(10), words: z.array(z.string().min(1)).max(100).optional() }),
  }).returns<BridgeInfo & { sample: { word: string; via: string[]; translations: { target: string; p: number }[] }[] }>(),

  'bridge.delete': defineMethod({
    summary: 'Delete a bridge',
    input: z.object({ name }),
  }).returns<{ deleted: string }>(),

  'bridge.export': defineMethod({
    summary: 'Write a bridge to a file (JSON, format pont-bridge version 1) with its provenance',
    input: z.object({ name, path }),
  }).returns<{ bridge: string; path: string; words: number }>(),

  'bridge.import': defineMethod({
    summary: 'Add a bridge from a file written by bridge export',
    input: z.object({ path, name: name.optional() }),
  }).returns<BridgeInfo>(),
};
