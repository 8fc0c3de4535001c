import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../electron/cli/main.ts';
import { exitCodes } from '../../electron/engine/errors.ts';
import { tempDir } from '../helpers/workspace.ts';
import { json, pontBin, repoRoot, runCli } from './run-cli.ts';

function commandPaths(c: Command, prefix: string[] = []): string[][] {
  return c.commands.flatMap((sub) => [[...prefix, sub.name()], ...commandPaths(sub, [...prefix, sub.name()])]);
}

async function helpOf(path: string[]): Promise<{ path: string[]; code: number | null; out: string }> {
  const child = spawn(process.execPath, [pontBin, ...path, '--help'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { path, code, out };
}

describe('pont CLI, end to end through a child process', () => {
  it('answers --help on every command with its usage and exit status 0', { timeout: 240_000 }, async () => {
    const paths = [[], ...commandPaths((await buildProgram()).program)];
    expect(paths.length).toBeGreaterThan(8);
    const results = [];
    for (let i = 0; i < paths.length; i += 4) results.push(...(await Promise.all(paths.slice(i, i + 4).map(helpOf))));
    for (const r of results) {
      expect({ command: r.path.join(' '), code: r.code }).toEqual({ command: r.path.join(' '), code: 0 });
      expect(r.out).toContain(`Usage: pont${r.path.length ? ` ${r.path.join(' ')}` : ''}`);
    }
  });

  it('imports a collection, queries and qrels, lists and shows them, as tables and as JSON', { timeout: 120_000 }, () => {
    const dir = tempDir();
    const ws = join(dir, 'ws');
    writeFileSync(join(dir, 'docs.jsonl'), '{"_id":"d1","title":"Pan","text":"Le pain de la ville"}\n{"_id":"d2","text":"La mer est salée"}\n');
    writeFileSync(join(dir, 'q.tsv'), 'q1\tlo pan de la vila\nq2\tla mar\n');
    writeFileSync(join(dir, 'qrels.txt'), 'q1 0 d1 1\nq2 0 d2 2\nq2 0 d9 1\n');
    const base = ['--workspace', ws, '--no-demo'];

    const imported = runCli([...base, 'collection', 'import', join(dir, 'docs.jsonl'), '--name', 'fr-docs', '--lang', 'fr', '--description', 'French']);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/docs\.jsonl → fr-docs: 2 added, 0 updated, 0 unchanged, 0 bad/);

    const q = runCli([...base, '--json', 'queries', 'import', join(dir, 'q.tsv'), '--collection', 'fr-docs', '--name', 'oc-q', '--lang', 'oc']);
    expect(q.code).toBe(0);
    expect(json(q)).toMatchObject({ collection: 'fr-docs', querySet: 'oc-q', added: 2, bad: 0 });

    const qrels = runCli([...base, 'qrels', 'import', join(dir, 'qrels.txt'), '--queries', 'oc-q']);
    expect(qrels.code).toBe(0);
    expect(qrels.stdout).toContain('3 added, 0 updated, 0 unchanged, 0 bad, 1 warnings');
    expect(qrels.stdout).toContain('warning: ');
    expect(qrels.stdout).toContain('line 3, field docid: document "d9" is not in the collection');

    const list = runCli([...base, 'collection', 'list']);
    expect(list.stdout).toMatch(/fr-docs\s+fr\s+2\s+ready\s+French/);
    expect(json(runCli([...base, '--json', 'collection', 'list']))).toEqual([
      expect.objectContaining({ name: 'fr-docs', lang: 'fr', documents: 2, incompleteImport: false, description: 'French' }),
    ]);
    const show = runCli([...base, 'collection', 'show', 'fr-docs']);
    expect(show.stdout).toContain('fr-docs (fr): 2 documents');
    expect(show.stdout).toContain('d1\tPan — Le pain de la ville');
    expect(json(runCli([...base, '--json', 'queries', 'list']))).toEqual([{ name: 'oc-q', lang: 'oc', collection: 'fr-docs', queries: 2, judged: 2 }]);

    const del = runCli([...base, '--json', 'collection', 'delete', 'fr-docs']);
    expect(json(del)).toEqual({ deleted: 'fr-docs', documents: 2 });
    expect(json(runCli([...base, '--json', 'queries', 'list']))).toEqual([]);
  });

  it('exits with a status that says what went wrong, and explains it on stderr', { timeout: 120_000 }, () => {
    const dir = tempDir();
    const base = ['--workspace', join(dir, 'ws'), '--no-demo'];
    writeFileSync(join(dir, 'bad.tsv'), 'd1\tun\nd2 no tab\n');

    const usage = runCli([...base, 'collection', 'import', join(dir, 'bad.tsv'), '--lang', 'fr']);
    expect(usage.code).toBe(exitCodes.invalid_input);
    expect(usage.stderr).toContain("required option '--name <name>'");

    const lang = runCli([...base, 'collection', 'import', join(dir, 'bad.tsv'), '--name', 'c', '--lang', 'not a tag']);
    expect(lang.code).toBe(exitCodes.invalid_input);
    expect(lang.stderr).toContain('BCP-47');

    const missing = runCli([...base, '--json', 'collection', 'import', join(dir, 'nope.tsv'), '--name', 'c', '--lang', 'fr']);
    expect(missing.code).toBe(exitCodes.not_found);
    expect(JSON.parse(missing.stderr)).toEqual({
      error: { code: 'not_found', message: expect.stringContaining('nope.tsv'), details: expect.any(Array), id: 'path.missing', params: { path: join(dir, 'nope.tsv') } },
    });

    const strict = runCli([...base, 'collection', 'import', join(dir, 'bad.tsv'), '--name', 'c', '--lang', 'fr', '--strict']);
    expect(strict.code).toBe(exitCodes.bad_data);
    expect(strict.stderr).toContain(`${join(dir, 'bad.tsv')}, line 2, field text: no tab`);

    // Without --strict the bad record is reported and the import succeeds.
    const lenient = runCli([...base, 'collection', 'import', join(dir, 'bad.tsv'), '--name', 'c', '--lang', 'fr']);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toContain('1 added, 0 updated, 0 unchanged, 1 bad');
    expect(lenient.stdout).toContain('error: ');

    expect(runCli([...base, 'collection', 'show', 'nothing']).code).toBe(exitCodes.not_found);
    expect(runCli([...base, 'qrels', 'import', join(dir, 'bad.tsv'), '--queries', 'nothing']).code).toBe(exitCodes.not_found);
    expect(runCli([...base, 'no-such-command']).code).toBe(exitCodes.invalid_input);
  });

  it('takes the workspace from PONT_WORKSPACE', { timeout: 60_000 }, () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'c.tsv'), 'd1\tun\n');
    expect(runCli(['--no-demo', 'collection', 'import', join(dir, 'c.tsv'), '--name', 'c', '--lang', 'ca'], { PONT_WORKSPACE: join(dir, 'ws') }).code).toBe(0);
    expect(json(runCli(['--workspace', join(dir, 'ws'), '--json', 'collection', 'list']))).toEqual([expect.objectContaining({ name: 'c', documents: 1 })]);
  });
});

describe('pont collection imports / problems', () => {
  it('lists the imports of a collection and pages through all the problems of one', { timeout: 120_000 }, () => {
    const dir = tempDir();
    const base = ['--workspace', join(dir, 'ws'), '--no-demo'];
    writeFileSync(join(dir, 'c.tsv'), ['d1\tun', ...Array.from({ length: 30 }, (_, i) => `broken ${i}`)].join('\n'));
    const imported = runCli([...base, 'collection', 'import', join(dir, 'c.tsv'), '--name', 'c', '--lang', 'ca']);
    expect(imported.stdout).toContain('… and 10 more: `pont collection problems 1` lists them all');
    const imports = json<{ id: number; kind: string; state: string; records: number; bad: number; problems: number }[]>(
      runCli([...base, '--json', 'collection', 'imports', 'c']),
    );
    expect(imports).toEqual([expect.objectContaining({ id: 1, kind: 'documents', state: 'done', records: 1, bad: 30, problems: 30 })]);
    const page = json<{ total: number; issues: { line: number }[] }>(runCli([...base, '--json', 'collection', 'problems', '1', '--offset', '25', '--limit', '10']));
    expect(page.total).toBe(30);
    expect(page.issues.map((i) => i.line)).toEqual([27, 28, 29, 30, 31]);
    expect(runCli([...base, 'collection', 'problems', '99']).code).toBe(exitCodes.not_found);
  });
});
