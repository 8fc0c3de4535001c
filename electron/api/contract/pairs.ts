import { z } from 'zod';
import { defineMethod } from '../define.ts';
import { PAIR_EXPORT_FORMATS, PAIR_FORMATS } from '../../engine/pairs/formats.ts';
import type { ImportRecord } from '../../engine/import/history.ts';
import type { PairImportReport } from '../../engine/pairs/importer.ts';
import type { PairSetInfo, TrainingPair } from '../../engine/pairs/store.ts';
import { pipelineSpec } from '../../engine/pipeline/registry.ts';
import { langTag, name, path } from './schemas.ts';

export type { PairImportReport, PairSetInfo, TrainingPair };

export const pairMethods = {
  'pairs.import': defineMethod({
    summary: 'Import a training set of (low variety, high language) pairs from a file',
    job: true,
    input: z.object({
      path,
      name,
      from: langTag,
      to: langTag,
      format: z.enum(PAIR_FORMATS).optional(),
      /** Moses: the high-language file (default: CORPUS.<from> → CORPUS.<to>); po/mo: the high-language catalogue. */
      high: path.optional(),
      /** TSV: the columns, e.g. `id,low,high,weight`; by default from a header line or the number of fields. */
      columns: z.string().min(1).max(200).optional(),
      strict: z.boolean().default(false),
    }),
  }).returns<PairImportReport>(),

  'pairs.list': defineMethod({
    summary: 'List the training sets',
    input: z.object({}).default({}),
  }).returns<PairSetInfo[]>(),

  'pairs.show': defineMethod({
    summary: 'Show a training set and its first pairs',
    input: z.object({ name, sample: z.number().int().min(0).max(1000).default(5) }),
  }).returns<PairSetInfo & { sample: TrainingPair[]; imports: ImportRecord[] }>(),

  'pairs.delete': defineMethod({
    summary: 'Delete a training set and its pairs',
    input: z.object({ name }),
  }).returns<{ deleted: string; pairs: number }>(),

  'pairs.export': defineMethod({
    summary: 'Write a training set to a file: FlagEmbedding JSONL (with negatives) or TSV; gzip when the name ends in .gz',
    input: z.object({ name, format: z.enum(PAIR_EXPORT_FORMATS).default('flagembedding'), path }),
  }).returns<{ name: string; path: string; format: string; pairs: number; fingerprint: string }>(),

  'pairs.fromQrels': defineMethod({
    summary: 'Derive a training set from a query set and its qrels: each query with the text of each document judged relevant',
    job: true,
    input: z.object({ queries: name, name, minRel: z.number().int().min(-1_000_000).max(1_000_000).default(1) }),
  }).returns<PairImportReport>(),

  'pairs.fromTitles': defineMethod({
    summary: "Derive a training set by weak supervision: each document's title (or first sentence) as a pseudo-query for it",
    job: true,
    input: z.object({ collection: name, name, firstSentence: z.boolean().default(false) }),
  }).returns<PairImportReport>(),

  'pairs.mineNegatives': defineMethod({
    summary: "Copy a training set with hard negatives mined by a pipeline over a collection, skipping those within a margin of the positive's score",
    job: true,
    input: z.object({
      pairs: name,
      name,
      collection: name,
      /** BM25 over this index of the collection (default: its n-gram index), unless `pipeline` is given. */
      index: name.optional(),
      /** Any pipeline declaration, as in experiment files: {"bm25": {...}}, {"fuse": {...}}, a bridge, a dense stage… */
      pipeline: pipelineSpec.optional(),
      margin: z.number().min(0).max(1).default(0.05),
      depth: z.number().int().min(1).max(10_000).default(30),
      perPair: z.number().int().min(1).max(1000).default(8),
    }),
  }).returns<PairImportReport>(),
};
