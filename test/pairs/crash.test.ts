import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { json, runCli } from '../cli/run-cli.ts';
import { killAfterFirstCommit } from '../helpers/imports.ts';
import { tempDir } from '../helpers/workspace.ts';

describe('kill -9 in the middle of an import into a training set', () => {
  it('resumes a record-based source (TMX) from its last checkpoint to the set a clean import gives', { timeout: 120_000 }, async () => {
    const dir = tempDir();
    const n = 30_000;
    const tmx = join(dir, 'm.tmx');
    const units = Array.from({ length: n }, (_v, i) => `<tu tuid="u${i}"><tuv xml:lang="oc"><seg>la lenga ${i}</seg></tuv><tuv xml:lang="fr"><seg>la langue ${i}</seg></tuv></tu>\n`);
    writeFileSync(tmx, `<tmx version="1.4"><body>\n${units.join('')}</body></tmx>\n`);
    const ws = join(dir, 'ws');
    const importInto = (name: string) => ['--workspace', ws, '--no-demo', '--json', 'pairs', 'import', tmx, '--name', name, '--from', 'oc', '--to', 'fr'];
    const args = importInto('t');
    await killAfterFirstCommit(ws, args);

    const shown = json<{ pairs: number }>(runCli(['--workspace', ws, '--json', 'pairs', 'show', 't']));
    expect(shown.pairs).toBeLessThan(n);
    const again = json<{ added: number; bad: number; pairs: number; fingerprint: string; resumedFromLine?: number }>(runCli(args));
    expect(again.resumedFromLine).toBeGreaterThan(1);
    expect(again).toMatchObject({ added: n, bad: 0, pairs: n });
    const clean = json<{ fingerprint: string }>(runCli(importInto('clean')));
    expect(again.fingerprint).toBe(clean.fingerprint);
  });
});
