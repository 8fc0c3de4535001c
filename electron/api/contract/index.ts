import type { InputOf, MethodTable, OutputOf } from '../define.ts';

/**
 * The whole engine API: one table of methods that the CLI, the Electron IPC and the loopback HTTP server all serve.
 * Each subsystem contributes its own table, in a module of its own that is loaded on first use: a call checks its
 * input against its subsystem's zod schemas only, and building every subsystem's schemas cost each CLI call 15–30 ms
 * of CPU more (a demo search, issue 12). Add a method: in its subsystem's table and in `subsystemOf` below; add a
 * subsystem: one line here, its methods in `subsystemOf`, and one line in handlers/index.ts.
 */
export const subsystems = {
  collections: async () => (await import('./collections.ts')).collectionMethods,
  eval: async () => (await import('./eval.ts')).evalMethods,
  app: async () => (await import('./app.ts')).appMethods,
  models: async () => (await import('./models.ts')).modelMethods,
  lexical: async () => (await import('./lexical.ts')).lexicalMethods,
  pairs: async () => (await import('./pairs.ts')).pairMethods,
  packs: async () => (await import('./packs.ts')).packMethods,
  training: async () => (await import('./training.ts')).trainingMethods,
  bridge: async () => (await import('./bridge.ts')).bridgeMethods,
  community: async () => (await import('./community.ts')).communityMethods,
};

export type Subsystem = keyof typeof subsystems;
export type SubsystemTable<S extends Subsystem> = Awaited<ReturnType<(typeof subsystems)[S]>>;
type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/** Every subsystem's table in one type: what the adapters and the renderer are typed against. */
export type Contract = UnionToIntersection<SubsystemTable<Subsystem>>;
export type MethodName = keyof Contract;
export type Input<K extends MethodName> = InputOf<Contract[K]>;
export type Output<K extends MethodName> = OutputOf<Contract[K]>;

/** The subsystems whose tables hold method K (one, unless a name is given twice). */
type HoldersOf<K> = { [S in Subsystem]: K extends keyof SubsystemTable<S> ? S : never }[Subsystem];
/** U when it is a single subsystem, else never. */
type Only<U, All = U> = U extends unknown ? ([Exclude<All, U>] extends [never] ? U : never) : never;

/**
 * Which subsystem's table holds each method, so that a call can load that table before it has it. The type checker
 * keeps the index complete and right: a method left out, one put under another subsystem than the one whose table
 * holds it, a name no table holds, or a name in two tables does not compile.
 */
export const subsystemOf: { readonly [K in MethodName]: Only<HoldersOf<K>> } = {
  'collection.import': 'collections',
  'collection.sample': 'collections',
  'collection.list': 'collections',
  'collection.show': 'collections',
  'collection.delete': 'collections',
  'collection.imports': 'collections',
  'import.problems': 'collections',
  'import.rollback': 'collections',
  'document.get': 'collections',
  'queries.import': 'collections',
  'queries.list': 'collections',
  'qrels.import': 'collections',
  'eval.run': 'eval',
  'runs.list': 'eval',
  'runs.show': 'eval',
  'runs.import': 'eval',
  'runs.export': 'eval',
  'runs.delete': 'eval',
  'experiment.run': 'eval',
  'app.info': 'app',
  'app.saveExperiment': 'app',
  'app.titles': 'app',
  'model.import': 'models',
  'model.download': 'models',
  'model.list': 'models',
  'model.show': 'models',
  'model.delete': 'models',
  'model.probe': 'models',
  'model.settings': 'models',
  'model.encode': 'models',
  'dense.index': 'models',
  'dense.import': 'models',
  'dense.export': 'models',
  'dense.search': 'models',
  'model.rerank': 'models',
  'index.build': 'lexical',
  'index.list': 'lexical',
  'index.drop': 'lexical',
  search: 'lexical',
  run: 'lexical',
  'pairs.import': 'pairs',
  'pairs.list': 'pairs',
  'pairs.show': 'pairs',
  'pairs.delete': 'pairs',
  'pairs.export': 'pairs',
  'pairs.fromQrels': 'pairs',
  'pairs.fromTitles': 'pairs',
  'pairs.mineNegatives': 'pairs',
  'pack.build': 'packs',
  'pack.verify': 'packs',
  'pack.install': 'packs',
  'pack.list': 'packs',
  'pack.remove': 'packs',
  'pack.defaults': 'packs',
  'pack.keygen': 'packs',
  'train.encoder': 'training',
  'train.adapter': 'training',
  'train.jobs': 'training',
  'model.export': 'training',
  'bridge.train': 'bridge',
  'bridge.list': 'bridge',
  'bridge.show': 'bridge',
  'bridge.delete': 'bridge',
  'bridge.export': 'bridge',
  'bridge.import': 'bridge',
  'search.choose': 'community',
  'feedback.mark': 'community',
  'feedback.list': 'community',
  'feedback.export': 'community',
  'feedback.pairs': 'community',
  'feedback.improve': 'community',
};

export function isMethodName(s: string): s is MethodName {
  return Object.hasOwn(subsystemOf, s);
}

/** A method's table: its subsystem's schemas, built on first use. */
export async function tableOf(method: MethodName): Promise<MethodTable> {
  return subsystems[subsystemOf[method]]();
}

/** Every subsystem's table, in one (the HTTP server's list of methods). */
export async function loadContract(): Promise<Contract> {
  const tables = await Promise.all(Object.values(subsystems).map((load) => load()));
  return Object.assign({}, ...tables) as Contract;
}
