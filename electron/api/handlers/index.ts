import type { HandlersFor } from '../define.ts';
import type { Contract } from '../contract/index.ts';
import { collectionHandlers } from './collections.ts';
import { evalHandlers } from './eval.ts';
import { appHandlers } from './app.ts';
import { modelHandlers } from './models.ts';
import { lexicalHandlers } from './lexical.ts';
import { pairHandlers } from './pairs.ts';

export const handlers: HandlersFor<Contract> = {
  ...collectionHandlers,
  ...evalHandlers,
  ...appHandlers,
  ...modelHandlers,
  ...lexicalHandlers,
  ...pairHandlers,
};
