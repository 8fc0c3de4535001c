import { z } from 'zod';
import { defineMethod } from '../define.ts';
import { name } from './schemas.ts';
import type { Progress } from '../../engine/jobs/progress.ts';

export type { Progress };
export type { MessageId, MessageParams } from '../../engine/errors.ts';

export interface AppInfo {
  version: string;
  /** The workspace folder this engine serves. */
  workspace: string;
  /** Every method this engine answers, so an interface can hide what is not there. */
  methods: string[];
}

export const appMethods = {
  'app.info': defineMethod({
    summary: 'Version, workspace folder and available methods',
    input: z.object({}).default({}),
  }).returns<AppInfo>(),

  'app.saveExperiment': defineMethod({
    summary: 'Save an experiment definition made in the interface as a JSON file in the workspace, for experiment.run',
    input: z.object({ name, definition: z.record(z.string(), z.unknown()) }),
  }).returns<{ file: string }>(),

  'app.titles': defineMethod({
    summary: 'Document titles of a collection, for type-ahead suggestions',
    input: z.object({ collection: name, limit: z.number().int().min(1).max(50_000).default(5000) }),
  }).returns<string[]>(),
};

/**
 * What the Electron preload exposes as `window.pont`, and nothing more: API calls with progress and cancellation,
 * and the native file dialogs. The engine's errors travel as JSON in the rejected Error's message, because
 * contextBridge keeps only an Error's message.
 */
export interface PreloadApi {
  call(id: string, method: string, input: unknown, onProgress: (p: Progress) => void): Promise<unknown>;
  cancel(id: string): void;
  choosePath(kind: 'file' | 'folder'): Promise<string | null>;
}
