import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DEMO_DIR, readDemoManifest, seedDemo, wantsDemo } from '../../electron/engine/demo/seed.ts';
import { Workspace } from '../../electron/engine/store/workspace.ts';
import { PontError } from '../../electron/engine/errors.ts';
import { tempDir, tempEngine } from '../helpers/workspace.ts';

describe('seedDemo', () => {
  it('imports every collection, query set and qrels file of a manifest', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'manifest.json'),
      JSON.stringify({
        collections: [{ name: 'mini-fr', lang: 'fr', file: 'fr.jsonl', description: 'tiny' }],
        querySets: [{ name: 'mini-oc', lang: 'oc', collection: 'mini-fr', file: 'q.tsv', qrels: 'qrels.txt' }],
      }),
    );
    writeFileSync(join(dir, 'fr.jsonl'), '{"id":"f1","title":"Pain","text":"Le pain"}\n{"id":"f2","text":"La mer"}\n');
    writeFileSync(join(dir, 'q.tsv'), 'o1\tlo pan\n');
    writeFileSync(join(dir, 'qrels.txt'), 'o1 0 f1 2\n');
    const engine = tempEngine();
    await seedDemo(engine.workspace, dir);
    expect(await engine.call('collection.list', {})).toEqual([expect.objectContaining({ name: 'mini-fr', lang: 'fr', documents: 2, description: 'tiny' })]);
    expect(await engine.call('queries.list', {})).toEqual([{ name: 'mini-oc', lang: 'oc', collection: 'mini-fr', queries: 1, judged: 1 }]);
    // Seeding again changes nothing.
    await seedDemo(engine.workspace, dir);
    expect((await engine.call('collection.list', {}))[0]).toMatchObject({ documents: 2 });
  });

  it('seeds again a workspace whose seeding was interrupted, and never one created without the demo', async () => {
    const demo = tempDir();
    writeFileSync(join(demo, 'manifest.json'), JSON.stringify({ collections: [{ name: 'mini-fr', lang: 'fr', file: 'fr.jsonl' }] }));
    writeFileSync(join(demo, 'fr.jsonl'), '{"id":"f1","text":"Le pain"}\n');

    const interrupted = tempDir();
    const first = Workspace.open(interrupted);
    expect(wantsDemo(first)).toBe(true);
    // The first start died half-way: the manifest now names a file that is not there yet.
    writeFileSync(join(demo, 'manifest.json'), JSON.stringify({ collections: [{ name: 'mini-fr', lang: 'fr', file: 'fr.jsonl' }, { name: 'mini-it', lang: 'it', file: 'it.jsonl' }] }));
    await expect(seedDemo(first, demo)).rejects.toThrow();
    first.close();
    writeFileSync(join(demo, 'it.jsonl'), '{"id":"i1","text":"Il pane"}\n');
    const again = Workspace.open(interrupted);
    expect(again.created).toBe(false);
    expect(wantsDemo(again)).toBe(true);
    await seedDemo(again, demo);
    expect(wantsDemo(again)).toBe(false);
    again.close();

    const without = tempDir();
    Workspace.open(without).close();
    const reopened = Workspace.open(without);
    expect(wantsDemo(reopened)).toBe(false);
    reopened.close();
  });

  it('names the manifest and the field when the manifest is malformed', async () => {
    const dir = tempDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ collections: [{ name: 'x', lang: 'fr' }] }));
    const e = (() => {
      try {
        readDemoManifest(dir);
      } catch (err) {
        return err as PontError;
      }
    })();
    expect(e).toBeInstanceOf(PontError);
    expect(e!.details[0]).toMatchObject({ file: join(dir, 'manifest.json'), field: 'collections.0.file' });
  });

  it.runIf(existsSync(join(DEFAULT_DEMO_DIR, 'manifest.json')))('seeds the shipped demo cleanly and quickly', async () => {
    const manifest = readDemoManifest(DEFAULT_DEMO_DIR);
    const engine = tempEngine();
    const started = performance.now();
    await seedDemo(engine.workspace);
    console.log(`seeded the shipped demo in ${(performance.now() - started).toFixed(0)} ms`);
    const collections = await engine.call('collection.list', {});
    expect(collections.map((c) => c.name).sort()).toEqual(manifest.collections.map((c) => c.name).sort());
    for (const c of collections) expect(c).toMatchObject({ incompleteImport: false, documents: expect.any(Number) });
    expect(collections.every((c) => c.documents > 0)).toBe(true);
    const sets = await engine.call('queries.list', {});
    expect(sets.map((s) => s.name).sort()).toEqual(manifest.querySets.map((q) => q.name).sort());
    for (const s of sets) expect(s.queries).toBeGreaterThan(0);
    // Every judgement of the shipped demo points at a real query and a real document.
    const warnings = engine.workspace.db.prepare("SELECT count(*) FROM import_errors").pluck().get();
    expect(warnings).toBe(0);
  });
});
