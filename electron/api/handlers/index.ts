import { lazyHandlers, type LazyHandlersFor } from '../define.ts';
import type { Contract } from '../contract/index.ts';
import { collectionMethods } from '../contract/collections.ts';
import { evalMethods } from '../contract/eval.ts';
import { appMethods } from '../contract/app.ts';
import { modelMethods } from '../contract/models.ts';
import { lexicalMethods } from '../contract/lexical.ts';
import { pairMethods } from '../contract/pairs.ts';
import { packMethods } from '../contract/packs.ts';
import { trainingMethods } from '../contract/training.ts';
import { bridgeMethods } from '../contract/bridge.ts';
import { communityMethods } from '../contract/community.ts';

// One line per subsystem, its module imported on first use (keeps `pont` start-up light; see electron/cli/main.ts).
export const handlers: LazyHandlersFor<Contract> = {
  ...lazyHandlers(collectionMethods, async () => (await import('./collections.ts')).collectionHandlers),
  ...lazyHandlers(evalMethods, async () => (await import('./eval.ts')).evalHandlers),
  ...lazyHandlers(appMethods, async () => (await import('./app.ts')).appHandlers),
  ...lazyHandlers(modelMethods, async () => (await import('./models.ts')).modelHandlers),
  ...lazyHandlers(lexicalMethods, async () => (await import('./lexical.ts')).lexicalHandlers),
  ...lazyHandlers(pairMethods, async () => (await import('./pairs.ts')).pairHandlers),
  ...lazyHandlers(packMethods, async () => (await import('./packs.ts')).packHandlers),
  ...lazyHandlers(trainingMethods, async () => (await import('./training.ts')).trainingHandlers),
  ...lazyHandlers(bridgeMethods, async () => (await import('./bridge.ts')).bridgeHandlers),
  ...lazyHandlers(communityMethods, async () => (await import('./community.ts')).communityHandlers),
};
