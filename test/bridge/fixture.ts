import type { Engine } from '../../electron/api/engine.ts';
import { writeTemp } from '../helpers/workspace.ts';

/** A tiny Occitan–French training set: enough co-occurrence for EM to pair the words up. */
export const ocFrPairs = [
  ['la lenga occitana', 'la langue occitane'],
  ['la lenga', 'la langue'],
  ['una lenga viva', 'une langue vivante'],
  ['la cançon occitana', 'la chanson occitane'],
  ['una cançon', 'une chanson'],
  ['lo país', 'le pays'],
  ['lo país occitan', 'le pays occitan'],
  ['la vila', 'la ville'],
  ['una vila rosa', 'une ville rose'],
  ['la mar', 'la mer'],
  ['la mar blava', 'la mer bleue'],
  ['lo cèl blau', 'le ciel bleu'],
  ['lo cèl', 'le ciel'],
  ['las lengas', 'les langues'],
  ['las cançons', 'les chansons'],
  ['una vila occitana', 'une ville occitane'],
  ['parlar la lenga', 'parler la langue'],
  ['cantar una cançon', 'chanter une chanson'],
];

export async function importOcFr(engine: Engine, name = 'oc-fr-mini'): Promise<void> {
  const path = writeTemp('oc-fr.tsv', ocFrPairs.map(([l, h]) => `${l}\t${h}`).join('\n') + '\n');
  await engine.call('pairs.import', { path, name, from: 'oc', to: 'fr' });
}
