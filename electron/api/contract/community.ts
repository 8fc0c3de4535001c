import { z } from 'zod';
import { defineMethod } from '../define.ts';
import { langTag, name } from './schemas.ts';
import type { SearchChoice } from '../../engine/community/choose.ts';
import type { FeedbackSummary, Judgement } from '../../engine/community/feedback.ts';
import type { ImproveReport } from '../../engine/community/improve.ts';
import type { PairImportReport } from '../../engine/pairs/importer.ts';

export type { SearchChoice, Judgement, FeedbackSummary, ImproveReport };
export type { WordMatch } from '../../engine/lexical/align.ts';

const pair = z.object({ collection: name, variety: langTag });

export const communityMethods = {
  'search.choose': defineMethod({
    summary: "How Pont searches a collection for a variety: the pair's bridge, a neighbour's, or n-grams (plus a trained encoder)",
    input: pair,
  }).returns<SearchChoice>(),

  'feedback.mark': defineMethod({
    summary: 'Mark a result of a query helpful or not (stored per variety and collection; a second mark replaces the first)',
    input: pair.extend({ query: z.string().min(1, 'must not be empty').max(10_000), doc: z.string().min(1), helpful: z.boolean() }),
  }).returns<Judgement>(),

  'feedback.list': defineMethod({
    summary: 'The judgements of one variety on one collection, or without them a count per (collection, variety)',
    input: z.object({ collection: name.optional(), variety: langTag.optional() }).default({}),
  }).returns<{ summary: FeedbackSummary[]; judgements: Judgement[] }>(),

  'feedback.export': defineMethod({
    summary: 'The judgements as TREC qrels (helpful 1, not helpful 0) with the queries they judge (qid<TAB>text)',
    input: pair,
  }).returns<{ qrels: string; queries: string }>(),

  'feedback.pairs': defineMethod({
    summary: 'Make a training set from the helpful judgements (query ↔ document title and text)',
    job: true,
    input: pair.extend({ name: name.optional() }),
  }).returns<PairImportReport>(),

  'feedback.improve': defineMethod({
    summary: "Retrain the pair's bridge with the helpful judgements and report RR@10 on the judgements before and after",
    job: true,
    input: pair,
  }).returns<ImproveReport>(),
};
