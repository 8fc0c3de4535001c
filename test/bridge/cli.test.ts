import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { json, runCli } from '../cli/run-cli.ts';
import { tempDir } from '../helpers/workspace.ts';
import { ocFrPairs } from './fixture.ts';

describe('pont bridge', () => {
  it('trains, lists, shows, exports, imports and deletes in the shapes scripts rely on', () => {
    const dir = tempDir();
    const ws = ['-w', join(dir, 'ws'), '--no-demo'];
    writeFileSync(join(dir, 'p.tsv'), ocFrPairs.map(([l, h]) => `${l}\t${h}`).join('\n'));
    expect(runCli([...ws, 'pairs', 'import', join(dir, 'p.tsv'), '--name', 'oc', '--from', 'oc', '--to', 'fr']).code).toBe(0);
    const trained = runCli([...ws, 'bridge', 'train', '--pairs', 'oc', '--name', 'oc-fr', '--seed', '3']);
    expect(trained.code).toBe(0);
    expect(trained.stdout).toMatch(/^oc-fr \(oc → fr\): \d+ words/);
    const list = json<{ name: string; from: string; to: string; createdAt: string; provenance: { trainingSets: { name: string }[] } }[]>(runCli([...ws, '--json', 'bridge', 'list']));
    expect(list).toEqual([expect.objectContaining({ name: 'oc-fr', from: 'oc', to: 'fr', createdAt: expect.any(String) })]);
    expect(list[0]!.provenance.trainingSets[0]!.name).toBe('oc');
    expect(runCli([...ws, 'bridge', 'show', 'oc-fr', '--word', 'lenga']).stdout).toMatch(/lenga → langue \d\.\d\d/);
    const file = join(dir, 'oc-fr.json');
    expect(runCli([...ws, 'bridge', 'export', 'oc-fr', file]).code).toBe(0);
    expect(runCli([...ws, 'bridge', 'import', file]).code).toBe(4);
    expect(runCli([...ws, 'bridge', 'import', file, '--name', 'copy']).code).toBe(0);
    expect(runCli([...ws, 'bridge', 'delete', 'copy']).stdout).toMatch(/Deleted copy/);
    expect(runCli([...ws, 'bridge', 'show', 'copy']).code).toBe(3);
  });
});
