import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { json, runCli } from '../cli/run-cli.ts';
import { exitCodes } from '../../electron/engine/errors.ts';
import { Workspace } from '../../electron/engine/store/workspace.ts';
import { tempDir } from '../helpers/workspace.ts';
import { seedItalian } from './helpers.ts';

describe('pont pack (the command-line shapes scripts rely on)', () => {
  it('keygen, build --collection --queries --sign, verify, install --trust, list, remove; conflicts exit 4', async () => {
    const dir = tempDir();
    const a = join(dir, 'a');
    const ws = Workspace.open(a);
    await seedItalian(ws.db);
    ws.close();
    const b = join(dir, 'b');
    const key = join(dir, 'partner');
    const file = join(dir, 'sicily.pontpack');
    const pont = (ws: string, ...args: string[]) => runCli(['--workspace', ws, '--no-demo', '--json', ...args]);

    expect(json<{ keyId: string }>(pont(a, 'pack', 'keygen', '--output', key)).keyId).toMatch(/^[0-9a-f]{16}$/);
    const built = pont(a, 'pack', 'build', '--output', file, '--collection', 'demo-it', '--queries', 'demo-scn', '--sign', `${key}.key`, '--title', 'Sicilia', '--item-licence', 'demo-it=CC-BY-4.0');
    expect(built.code, built.stderr).toBe(0);
    expect(json<{ signedBy: string }>(built).signedBy).toMatch(/^[0-9a-f]{16}$/);
    expect(json<{ ok: boolean }>(pont(a, 'pack', 'verify', file)).ok).toBe(true);
    const installed = pont(b, 'pack', 'install', file, '--trust', `${key}.pub`);
    expect(installed.code, installed.stderr).toBe(0);
    expect(json<{ signature: { trusted: boolean } }[]>(installed)[0]!.signature.trusted).toBe(true);
    const list = json<{ name: string; items: { name: string; licence?: string }[] }[]>(pont(b, 'pack', 'list'));
    expect(list.map((p) => p.name)).toEqual(['sicily']);
    expect(list[0]!.items[0]).toMatchObject({ name: 'demo-it', licence: 'CC-BY-4.0' });

    const clash = pont(a, 'pack', 'install', file);
    expect(clash.code).toBe(exitCodes.conflict);
    expect(clash.stderr).toContain('collection demo-it already exists');
    // A folder (a USB stick) installs every pack in it.
    expect(json<{ replaced: unknown[] }[]>(pont(a, 'pack', 'install', dir, '--replace')).map((r) => r.replaced.length)).toEqual([2]);

    expect(json<{ removed: string }>(pont(b, 'pack', 'remove', 'sicily')).removed).toBe('sicily');
    const missing = runCli(['--workspace', b, '--no-demo', 'pack', 'install', join(dir, 'nope.pontpack')]);
    expect(missing.code).toBe(exitCodes.not_found);
    expect(missing.stderr).toContain('nope.pontpack');
  });
});
