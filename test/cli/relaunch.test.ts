import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandOf, relaunchEnv, relaunchFlags } from '../../electron/cli/relaunch.ts';
import { pontBin, repoRoot } from './run-cli.ts';
import { tempDir } from '../helpers/workspace.ts';

// V8 reads the young generation's size only at start, so the long commands start Node again with it (issue 12:
// an experiment's peak resident memory). The restart must keep the process (kill -9 in the resume tests, a shell's
// wait) and must not touch the quick commands, whose start-up is budgeted.

describe('which pont calls start Node again with the heap flags', () => {
  it('finds the command past the global options', () => {
    expect(commandOf(['--workspace', 'experiment', '--json', 'search', 'x'])).toBe('search');
    expect(commandOf(['-w', '/ws', '--no-demo', 'experiment', 'f.json'])).toBe('experiment');
    expect(commandOf(['--help'])).toBeUndefined();
  });

  it('long commands only, not --help, and not when the flag is already there', () => {
    expect(relaunchFlags(['experiment', 'f.json'], [])).toEqual(['--max-semi-space-size=16']);
    expect(relaunchFlags(['-w', 'ws', 'index', 'build'], ['--import', 'x.mjs'])).toEqual(['--max-semi-space-size=16']);
    expect(relaunchFlags(['search', 'mar'], [])).toEqual([]);
    expect(relaunchFlags([], [])).toEqual([]);
    expect(relaunchFlags(['experiment', '--help'], [])).toEqual([]);
    expect(relaunchFlags(['experiment', 'f.json'], ['--max-semi-space-size=8'])).toEqual([]);
    expect(relaunchFlags(['experiment', 'f.json'], ['--max_semi_space_size=8'])).toEqual([]);
    expect(relaunchFlags(['experiment', 'f.json'], [], '--max-old-space-size=4096 --max-semi-space-size=32')).toEqual([]);
  });

  it('with the allocator fixed in the environment, unless the user set it', () => {
    expect(relaunchEnv(['index', 'build'], {})).toEqual({ MALLOC_MMAP_THRESHOLD_: '131072' });
    expect(relaunchEnv(['index', 'build'], { MALLOC_MMAP_THRESHOLD_: '65536' })).toEqual({});
    expect(relaunchEnv(['search', 'mar'], {})).toEqual({});
  });
});

describe('the restart, on the real CLI', () => {
  /** Each start of Node in the call: its pid and its flags. */
  function starts(args: string[]): { pid: number; execArgv: string[]; malloc?: string }[] {
    const dir = tempDir('pont-relaunch-');
    const hook = join(dir, 'hook.cjs');
    writeFileSync(
      hook,
      `process.stderr.write('START ' + JSON.stringify({ pid: process.pid, execArgv: process.execArgv, malloc: process.env.MALLOC_MMAP_THRESHOLD_ }) + '\\n');`,
    );
    const { MALLOC_MMAP_THRESHOLD_: _, ...env } = process.env;
    const r = spawnSync(process.execPath, ['--require', hook, pontBin, '--workspace', join(dir, 'ws'), '--no-demo', ...args], { cwd: repoRoot, encoding: 'utf8', env });
    return r.stderr
      .split('\n')
      .filter((l) => l.startsWith('START '))
      .map((l) => JSON.parse(l.slice(6)));
  }

  it('an experiment runs in the same process, started again with the flag', () => {
    const s = starts(['experiment', join(tempDir('pont-relaunch-'), 'missing.json')]);
    expect(s).toHaveLength(2);
    expect(s[1]!.pid).toBe(s[0]!.pid);
    expect(s[0]!.execArgv).not.toContain('--max-semi-space-size=16');
    expect(s[1]!.execArgv).toContain('--max-semi-space-size=16');
    expect([s[0]!.malloc, s[1]!.malloc]).toEqual([undefined, '131072']);
  });

  it('--help and a search start once', () => {
    expect(starts(['--help'])).toHaveLength(1);
    expect(starts(['search', 'mar', '--collection', 'nothing'])).toHaveLength(1);
  });
});
