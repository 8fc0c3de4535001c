import { describe, expect, it } from 'vitest';
import { seedDemo } from '../../electron/engine/demo/seed.ts';
import { listBridges } from '../../electron/engine/bridge/store.ts';
import { tempEngine } from '../helpers/workspace.ts';

describe('the demo bridges', () => {
  it('are trained at seeding from the pairs the demo ships, and find "La langue occitane" for "la lenga occitana"', async () => {
    const engine = tempEngine();
    await seedDemo(engine.workspace);
    expect(listBridges(engine.workspace.db).map((b) => `${b.name} ${b.from}→${b.to} ${b.state}`)).toEqual([
      'demo-af-nl af→nl ready',
      'demo-ca-fr ca→fr ready',
      'demo-oc-fr oc→fr ready',
      'demo-scn-it scn→it ready',
    ]);
    const plain = await engine.call('search', { collection: 'demo-fr', query: 'la lenga occitana' });
    expect(plain.hits[0]!.title).not.toBe('La langue occitane');
    const r = await engine.call('search', { collection: 'demo-fr', query: 'la lenga occitana', bridge: 'demo-oc-fr' });
    expect(r.hits[0]!.title).toBe('La langue occitane');
    expect(r.hits[0]!.bridged).toContainEqual({ query: 'lenga', target: 'langue', weight: expect.any(Number) });
  });
});
