import type { HandlersFor } from '../define.ts';
import type { communityMethods } from '../contract/community.ts';
import { chooseSearch } from '../../engine/community/choose.ts';
import { exportJudgements, feedbackSummary, judgementPairs, listJudgements, markResult } from '../../engine/community/feedback.ts';
import { improveSearch } from '../../engine/community/improve.ts';

export const communityHandlers: HandlersFor<typeof communityMethods> = {
  'search.choose': ({ collection, variety }, { workspace }) => chooseSearch(workspace.db, collection, variety),
  'feedback.mark': (input, { workspace }) => markResult(workspace.db, input),
  'feedback.list': ({ collection, variety }, { workspace }) => ({
    summary: feedbackSummary(workspace.db),
    judgements: collection && variety ? listJudgements(workspace.db, collection, variety) : [],
  }),
  'feedback.export': ({ collection, variety }, { workspace }) => exportJudgements(listJudgements(workspace.db, collection, variety)),
  'feedback.pairs': ({ collection, variety, name }, { workspace, signal, progress }) =>
    judgementPairs(workspace.db, { collection, variety, name: name ?? `community-${variety}-${collection}` }, { signal, progress }),
  'feedback.improve': (input, { workspace, signal, progress }) => improveSearch(workspace, input, { signal, progress }),
};
