import { z } from 'zod';
import { defineMethod } from '../define.ts';
import { langTag, name } from './schemas.ts';
import type { SearchChoice } from '../../engine/community/choose.ts';

export type { SearchChoice };
export type { WordMatch } from '../../engine/lexical/align.ts';

export const communityMethods = {
  'search.choose': defineMethod({
    summary: 'How Pont searches a collection for a variety: the pair\'s bridge, a neighbour\'s, or n-grams (plus a trained encoder)',
    input: z.object({ collection: name, variety: langTag }),
  }).returns<SearchChoice>(),
};
