import type { HandlersFor } from '../define.ts';
import type { Contract } from '../contract/index.ts';
import { collectionHandlers } from './collections.ts';
import { appHandlers } from './app.ts';

export const handlers: HandlersFor<Contract> = {
  ...collectionHandlers,
  ...appHandlers,
};
