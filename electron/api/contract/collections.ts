import { z } from 'zod';
import { defineMethod } from '../define.ts';
import type { ImportRecord } from '../../engine/import/history.ts';
import type { ImportIssue, ImportReport } from '../../engine/import/report.ts';
import { langTag, name, path } from './schemas.ts';

export interface CollectionSummary {
  name: string;
  lang: string;
  description: string;
  documents: number;
  createdAt: string;
  updatedAt: string;
  /** An import was interrupted (crash, kill): run it again to resume, or delete the collection. */
  incompleteImport: boolean;
  /** The latest unfinished import stopped on a fault in its file: running it again would stop there again. */
  importFailed: boolean;
}

export type { ImportIssue, ImportReport } from '../../engine/import/report.ts';
export type { ImportRecord } from '../../engine/import/history.ts';

export const collectionFormat = z.enum(['tsv', 'jsonl', 'folder']);

export const collectionMethods = {
  'collection.import': defineMethod({
    summary: 'Import documents from a TSV or JSONL file (optionally gzip-compressed) or a folder of documents',
    job: true,
    input: z.object({
      path,
      name,
      lang: langTag,
      format: collectionFormat.optional(),
      description: z.string().max(2000).optional(),
      strict: z.boolean().default(false),
      /** Folder imports: the longest passage, in words, before a file is split. */
      passageWords: z.number().int().min(20).max(100_000).default(200),
      /**
       * The source as the user named it, stored and shown instead of `path`: a browser's upload lands in a temporary
       * folder that means nothing to the user and is gone when the server stops. '' for an uploaded folder (its
       * files' paths already start with the folder's name).
       */
      shownAs: z.string().max(1000).optional(),
    }),
  }).returns<ImportReport>(),

  'collection.sample': defineMethod({
    summary: 'A few kilobytes of the text an import of this file or folder would read (to guess its language first)',
    input: z.object({ path }),
  }).returns<{ text: string; documents: number }>(),

  'collection.list': defineMethod({
    summary: 'List collections',
    input: z.object({}).default({}),
  }).returns<CollectionSummary[]>(),

  'collection.show': defineMethod({
    summary: 'Show one collection',
    input: z.object({ name }),
  }).returns<CollectionSummary & { sampleDocuments: { id: string; title: string | null; text: string }[] }>(),

  'collection.delete': defineMethod({
    summary: 'Delete a collection with its documents, query sets, qrels and indexes',
    input: z.object({ name }),
  }).returns<{ deleted: string; documents: number }>(),

  'collection.imports': defineMethod({
    summary: "List a collection's imports (documents, queries, qrels), newest first, with their state and counts",
    input: z.object({ name }),
  }).returns<ImportRecord[]>(),

  'import.problems': defineMethod({
    summary: 'List the bad records and warnings one import recorded, a page at a time',
    input: z.object({
      id: z.number().int().positive(),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(10_000).default(100),
    }),
  }).returns<{ total: number; issues: ImportIssue[] }>(),

  'import.rollback': defineMethod({
    summary: 'Undo an unfinished (interrupted, cancelled or failed) import instead of resuming it: remove the documents it added',
    input: z.object({ id: z.number().int().positive() }),
  }).returns<{ id: number; message: string }>(),

  'document.get': defineMethod({
    summary: 'Fetch one document by its external id',
    input: z.object({ collection: name, id: z.string().min(1) }),
  }).returns<{ id: string; title: string | null; text: string; metadata: unknown; source: string | null }>(),

  'queries.import': defineMethod({
    summary: 'Import a query set (TSV qid<TAB>text, or JSONL) for a collection',
    job: true,
    input: z.object({ path, collection: name, name, lang: langTag, format: z.enum(['tsv', 'jsonl']).optional(), strict: z.boolean().default(false) }),
  }).returns<ImportReport>(),

  'queries.list': defineMethod({
    summary: 'List query sets',
    input: z.object({ collection: name.optional() }).default({}),
  }).returns<{ name: string; lang: string; collection: string; queries: number; judged: number }[]>(),

  'qrels.import': defineMethod({
    summary: 'Import TREC qrels (qid 0 docid rel) into a query set; judgements of unknown queries or documents are kept and reported',
    job: true,
    input: z.object({ path, queries: name, strict: z.boolean().default(false) }),
  }).returns<ImportReport>(),
};
