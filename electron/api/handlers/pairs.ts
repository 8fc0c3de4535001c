import type { HandlersFor } from '../define.ts';
import type { pairMethods } from '../contract/pairs.ts';
import { mineNegatives, pairsFromQrels, pairsFromTitles } from '../../engine/pairs/derive.ts';
import { listPairSetImports } from '../../engine/import/history.ts';
import { exportPairs } from '../../engine/pairs/export.ts';
import { importPairs } from '../../engine/pairs/importer.ts';
import { deletePairSet, getPairSet, listPairSets, readPairs, type TrainingPair } from '../../engine/pairs/store.ts';

function firstPairs(pairs: Iterable<TrainingPair>, n: number): TrainingPair[] {
  const out: TrainingPair[] = [];
  if (n === 0) return out;
  for (const p of pairs) {
    out.push(p);
    if (out.length === n) break;
  }
  return out;
}

export const pairHandlers: HandlersFor<typeof pairMethods> = {
  'pairs.import': (input, { workspace, signal, progress }) => importPairs(workspace.db, input, { signal, progress }),
  'pairs.list': (_input, { workspace }) => listPairSets(workspace.db),
  'pairs.show': ({ name, sample }, { workspace }) => {
    const set = getPairSet(workspace.db, name);
    return { ...set, sample: firstPairs(readPairs(workspace.db, name), sample), imports: listPairSetImports(workspace.db, set.id) };
  },
  'pairs.delete': ({ name }, { workspace }) => deletePairSet(workspace.db, name),
  'pairs.export': ({ name, format, path }, { workspace }) => exportPairs(workspace.db, name, format, path),
  'pairs.fromQrels': (input, { workspace, signal, progress }) => pairsFromQrels(workspace.db, input, { signal, progress }),
  'pairs.fromTitles': (input, { workspace, signal, progress }) => pairsFromTitles(workspace.db, input, { signal, progress }),
  'pairs.mineNegatives': (input, { workspace, signal, progress }) => mineNegatives(workspace, input, { signal, progress }),
};
