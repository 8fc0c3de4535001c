import type { HandlersFor } from '../define.ts';
import type { Contract } from '../contract/index.ts';
import { collectionHandlers } from './collections.ts';

export const handlers: HandlersFor<Contract> = {
  ...collectionHandlers,
};
