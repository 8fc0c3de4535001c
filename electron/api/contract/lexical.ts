import { z } from 'zod';
import { defineMethod } from '../define.ts';
import { langTag, name, path } from './schemas.ts';
import type { SearchChoice } from '../../engine/community/choose.ts';
import type { BuildReport } from '../../engine/lexical/builder.ts';
import type { SearchResult } from '../../engine/lexical/search.ts';

export type { BuildReport, SearchResult, SearchChoice };
export type { SearchHit } from '../../engine/lexical/search.ts';
export type { Snippet, Highlight } from '../../engine/lexical/snippet.ts';

export interface IndexSummary {
  collection: string;
  name: string;
  analyzer: string;
  analyzerVersion: number;
  titleWeight: number;
  state: 'building' | 'ready';
  documents: number;
  segments: number;
  /** Documents written since the index last caught up (consumed at the next search or build). */
  pendingChanges: number;
  createdAt: string;
  updatedAt: string;
}

export interface RunReport {
  collection: string;
  queries: string;
  indexes: string[];
  output: string;
  tag: string;
  k: number;
  k1: number;
  b: number;
  rm3: { fbDocs: number; fbTerms: number; originalWeight: number } | null;
  /** For a hybrid run: the dense model and BM25's weight α. */
  dense: { model: string; alpha: number } | null;
  queriesRun: number;
  seconds: number;
  bridge?: string;
}

const k1 = z.number().min(0).max(10);
const b = z.number().min(0).max(1);
const rm3 = z.union([
  z.boolean(),
  z.object({ fbDocs: z.number().int().min(1).max(1000).optional(), fbTerms: z.number().int().min(1).max(1000).optional(), originalWeight: z.number().min(0).max(1).optional() }),
]);
const fusion = z.enum(['combsum', 'rrf']);

export const lexicalMethods = {
  'index.build': defineMethod({
    summary: 'Build a lexical (BM25) index over a collection; resumes an interrupted build and catches up with changed documents',
    job: true,
    input: z.object({
      collection: name,
      /** Defaults to a name derived from the analyser: words-fr, chargram-3-5. */
      name: name.optional(),
      /** words | words:LANG | chargram:MIN-MAX, with optional +fold, +nostem, +nostop; default words:<collection language>. */
      analyzer: z.string().min(1).optional(),
      titleWeight: z.number().int().min(0).max(10).default(2),
      rebuild: z.boolean().default(false),
      memoryMb: z.number().int().min(16).max(65_536).default(512),
      workers: z.number().int().min(0).max(64).optional(),
    }),
  }).returns<BuildReport>(),

  'index.list': defineMethod({
    summary: 'List lexical indexes',
    input: z.object({ collection: name.optional() }).default({}),
  }).returns<IndexSummary[]>(),

  'index.drop': defineMethod({
    summary: 'Delete a lexical index',
    input: z.object({ collection: name, name }),
  }).returns<{ collection: string; dropped: string }>(),

  search: defineMethod({
    summary: 'Search a collection with BM25: ranked hits with scores, matched terms and highlighted snippets',
    input: z.object({
      collection: name,
      query: z.string().min(1, 'must not be empty').max(10_000),
      /** An index of the collection, or several whose results are fused; by default its character n-gram index. */
      index: z.union([name, z.array(name).min(1).max(8)]).optional(),
      k: z.number().int().min(1).max(10_000).default(10),
      offset: z.number().int().min(0).max(100_000).default(0),
      k1: k1.optional(),
      b: b.optional(),
      rm3: rm3.optional(),
      fusion: fusion.optional(),
      /** A bridge (low variety → the collection's language): the query is translated through it (bridged BM25). */
      bridge: name.optional(),
      /**
       * The variety the query is written in: with no index or bridge named, Pont chooses how to search for it
       * (the pair's bridge, a neighbour's, or n-grams; see engine/community/choose.ts) and says so in `choice`.
       */
      variety: langTag.optional(),
      snippetChars: z.number().int().min(40).max(5000).default(240),
      /** A dense model whose index of the collection is fused with BM25 (hybrid search), with BM25's weight α. */
      dense: name.optional(),
      alpha: z.number().min(0).max(1).optional(),
    }),
  }).returns<SearchResult & { choice?: SearchChoice; dense?: { model: string; alpha: number } }>(),

  run: defineMethod({
    summary: 'Run every query of a query set through BM25 and write a TREC run file',
    job: true,
    input: z.object({
      collection: name,
      queries: name,
      index: z.union([name, z.array(name).min(1).max(8)]).optional(),
      k: z.number().int().min(1).max(100_000).default(1000),
      output: path,
      tag: z.string().regex(/^\S+$/, 'must not contain whitespace').optional(),
      k1: k1.optional(),
      b: b.optional(),
      rm3: rm3.optional(),
      fusion: fusion.optional(),
      bridge: name.optional(),
      /** A dense model: the run is then the hybrid α·BM25 + (1−α)·dense (min-max normalised), α by default 0.5. */
      dense: name.optional(),
      alpha: z.number().min(0).max(1).optional(),
    }),
  }).returns<RunReport>(),
};
