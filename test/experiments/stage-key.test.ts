import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../electron/engine/pipeline/kinds.ts';
import { stageKey, type PipelineSpec } from '../../electron/engine/pipeline/registry.ts';
import { Workspace } from '../../electron/engine/store/workspace.ts';
import { runCli } from '../cli/run-cli.ts';
import { tempDir } from '../helpers/workspace.ts';

// A resumed experiment reuses a finished unit only while its stage key is unchanged; the key must therefore change
// when an artefact it names is replaced under the same name (a relearned bridge, a rebuilt index, a replaced run),
// and only then.

function pont(ws: string, ...args: string[]): string {
  const r = runCli(['--workspace', ws, ...args]);
  if (r.code !== 0) throw new Error(`pont ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function keys(ws: string, specs: Record<string, PipelineSpec>): Record<string, string> {
  const w = Workspace.open(ws);
  try {
    const ctx = { workspace: w, collection: 'demo-fr', querySet: 'demo-oc' };
    return Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, stageKey(spec, ctx)]));
  } finally {
    w.close();
  }
}

describe('stage keys name the versions of what they read', () => {
  it('change when a bridge, an index or a stored run is replaced under the same name, and not otherwise', () => {
    const dir = tempDir();
    const ws = join(dir, 'ws');
    pont(ws, 'run', '--collection', 'demo-fr', '--queries', 'demo-oc', '--k', '10', '--output', join(dir, 'r1.trec'));
    pont(ws, 'runs', 'import', join(dir, 'r1.trec'), '--name', 'r1');
    const specs: Record<string, PipelineSpec> = {
      bm25: { bm25: {} },
      bridge: { bridge: { bridge: { 'demo-oc': 'demo-oc-fr' } } },
      run: { run: { name: 'r1' } },
      fused: { rrf: { systems: [{ bm25: {} }, { run: { name: 'r1' } }] } },
    };
    const first = keys(ws, specs);
    expect(keys(ws, specs)).toEqual(first);

    pont(ws, 'bridge', 'export', 'demo-oc-fr', join(dir, 'b.json'));
    pont(ws, 'bridge', 'delete', 'demo-oc-fr');
    pont(ws, 'bridge', 'import', join(dir, 'b.json'));
    const relearned = keys(ws, specs);
    expect(relearned.bridge).not.toEqual(first.bridge);
    expect(relearned.bm25).toEqual(first.bm25);

    pont(ws, 'run', '--collection', 'demo-fr', '--queries', 'demo-oc', '--k', '5', '--output', join(dir, 'r2.trec'));
    pont(ws, 'runs', 'import', join(dir, 'r2.trec'), '--name', 'r1', '--replace');
    const replaced = keys(ws, specs);
    expect(replaced.run).not.toEqual(relearned.run);
    expect(replaced.fused).not.toEqual(relearned.fused);
    expect(replaced.bridge).toEqual(relearned.bridge);

    pont(ws, 'index', 'rebuild', '--collection', 'demo-fr', '--name', 'chargram-3-5-fold');
    const rebuilt = keys(ws, specs);
    expect(rebuilt.bm25).not.toEqual(replaced.bm25);
    expect(rebuilt.bridge).not.toEqual(replaced.bridge);
    expect(rebuilt.run).toEqual(replaced.run);
  });
});
