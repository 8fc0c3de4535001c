import type { HandlersFor } from '../define.ts';
import type { communityMethods } from '../contract/community.ts';
import { chooseSearch } from '../../engine/community/choose.ts';

export const communityHandlers: HandlersFor<typeof communityMethods> = {
  'search.choose': ({ collection, variety }, { workspace }) => chooseSearch(workspace.db, collection, variety),
};
