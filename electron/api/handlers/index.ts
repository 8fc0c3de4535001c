import type { HandlersFor } from '../define.ts';
import type { Subsystem, SubsystemTable } from '../contract/index.ts';

// Each subsystem's handler module, imported on its first call (keeps `pont` start-up light; see electron/cli/main.ts):
// one line per subsystem of the contract, which the type checker holds to that subsystem's table.
export const handlers: { [S in Subsystem]: () => Promise<HandlersFor<SubsystemTable<S>>> } = {
  collections: async () => (await import('./collections.ts')).collectionHandlers,
  eval: async () => (await import('./eval.ts')).evalHandlers,
  app: async () => (await import('./app.ts')).appHandlers,
  models: async () => (await import('./models.ts')).modelHandlers,
  lexical: async () => (await import('./lexical.ts')).lexicalHandlers,
  pairs: async () => (await import('./pairs.ts')).pairHandlers,
  packs: async () => (await import('./packs.ts')).packHandlers,
  training: async () => (await import('./training.ts')).trainingHandlers,
  bridge: async () => (await import('./bridge.ts')).bridgeHandlers,
  community: async () => (await import('./community.ts')).communityHandlers,
};
