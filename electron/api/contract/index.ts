import type { InputOf, OutputOf } from '../define.ts';
import { collectionMethods } from './collections.ts';
import { evalMethods } from './eval.ts';
import { appMethods } from './app.ts';
import { modelMethods } from './models.ts';
import { lexicalMethods } from './lexical.ts';
import { pairMethods } from './pairs.ts';
import { packMethods } from './packs.ts';
import { trainingMethods } from './training.ts';
import { bridgeMethods } from './bridge.ts';
import { communityMethods } from './community.ts';

/**
 * The whole engine API: one table of methods that the CLI, the Electron IPC and the loopback HTTP server all serve.
 * Each subsystem contributes its own table.
 */
export const contract = {
  ...collectionMethods,
  ...evalMethods,
  ...appMethods,
  ...modelMethods,
  ...lexicalMethods,
  ...pairMethods,
  ...packMethods,
  ...trainingMethods,
  ...bridgeMethods,
  ...communityMethods,
};

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export type Input<K extends MethodName> = InputOf<Contract[K]>;
export type Output<K extends MethodName> = OutputOf<Contract[K]>;

export function isMethodName(s: string): s is MethodName {
  return Object.hasOwn(contract, s);
}
