import type { HandlersFor } from '../define.ts';
import type { bridgeMethods } from '../contract/bridge.ts';
import { exportBridge, importBridge } from '../../engine/bridge/file.ts';
import { deleteBridge, getBridge, listBridges, loadBridge } from '../../engine/bridge/store.ts';
import { trainBridge } from '../../engine/bridge/train.ts';
import { bridgeAnalyzer } from '../../engine/bridge/model.ts';

export const bridgeHandlers: HandlersFor<typeof bridgeMethods> = {
  'bridge.train': ({ name, pairs, from, to, ...params }, { workspace, signal, progress }) =>
    trainBridge(
      workspace.db,
      { name, pairs, from, to, params: Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined)) },
      { signal, progress },
    ),

  'bridge.list': (_input, { workspace }) => listBridges(workspace.db).map(({ params: _params, ...rest }) => rest),

  'bridge.show': ({ name, sample, words }, { workspace }) => {
    const db = workspace.db;
    const b = getBridge(db, name);
    if (b.state !== 'ready') return { ...b, sample: [] };
    const { model } = loadBridge(db, name);
    const analyzer = bridgeAnalyzer();
    const asked = words ? words.flatMap((w) => analyzer.terms(w)) : [...model.table.keys()].slice(0, sample);
    return { ...b, sample: asked.map((w) => model.translate(w)) };
  },

  'bridge.delete': ({ name }, { workspace }) => deleteBridge(workspace.db, name),

  'bridge.export': ({ name, path }, { workspace }) => exportBridge(workspace.db, name, path),

  'bridge.import': ({ path, name }, { workspace }) => importBridge(workspace.db, path, name),
};
