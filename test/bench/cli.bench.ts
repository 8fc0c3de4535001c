// CLI start-up: `pont --help` and a search on the demo collection, as whole processes, against `node -e 0` measured
// in turn with them in the same run (the floor any Node program pays). Target (issue 12): ≤ 0.3 s each.
// `--quick`: 3 rounds instead of 10.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { markdownTable, percentile, writeResults } from './report.ts';

const root = join(import.meta.dirname, '..', '..');
const pont = join(root, 'bin', 'pont.mjs');
const rounds = process.argv.includes('--quick') ? 3 : 10;
const dir = mkdtempSync(join(tmpdir(), 'pont-bench-cli-'));
const workspace = join(dir, 'ws');
const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

interface Sample {
  wall: number;
  cpu?: number;
  rssMb?: number;
}

/** One whole process: wall seconds from here, CPU seconds and peak RSS from /usr/bin/time when it is installed. */
function once(args: string[]): Sample {
  const out = join(dir, 'time.txt');
  const [cmd, argv] = timeBin ? [timeBin, ['-f', '%U %S %M', '-o', out, process.execPath, ...args]] : [process.execPath, args];
  const t = performance.now();
  const r = spawnSync(cmd, argv, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  const wall = (performance.now() - t) / 1000;
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed (exit ${r.status}): ${r.stderr}`);
  if (!timeBin) return { wall };
  const [user, sys, kb] = readFileSync(out, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
  return { wall, cpu: user! + sys!, rssMb: kb! / 1024 };
}

const commands: [string, string[]][] = [
  ['node -e 0 (baseline)', ['-e', '0']],
  ['pont --help', [pont, '--help']],
  ['pont search … --collection demo-fr', [pont, '--workspace', workspace, 'search', 'la mar', '--collection', 'demo-fr']],
];

// Creates the workspace with its demo, and fills Node's compile cache as a user's first call does.
once([pont, '--workspace', workspace, 'collection', 'list']);
for (const [, args] of commands) once(args);

const samples = commands.map((): Sample[] => []);
for (let r = 0; r < rounds; r++) commands.forEach(([, args], i) => samples[i]!.push(once(args)));
rmSync(dir, { recursive: true, force: true });

const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);
const base = samples[0]!;
/** Ratio taken round by round, so that the machine's load drifting during the run moves both sides alike. */
const ratio = (s: Sample[], f: (x: Sample) => number | undefined) => median(s.map((x, i) => f(x)! / f(base[i]!)!));
const rows = commands.map(([name], i) => {
  const s = samples[i]!;
  return [
    name,
    median(s.map((x) => x.wall)).toFixed(3),
    ratio(s, (x) => x.wall).toFixed(2),
    timeBin ? median(s.map((x) => x.cpu!)).toFixed(3) : '-',
    timeBin ? ratio(s, (x) => x.cpu).toFixed(2) : '-',
    timeBin ? median(s.map((x) => x.rssMb!)).toFixed(0) : '-',
  ];
});
console.log(markdownTable(['command', 'wall s (median)', '× node -e 0', 'CPU s (median)', 'CPU × node -e 0', 'peak RSS MB'], rows));
const load = existsSync('/proc/loadavg') ? ` Load average at the end: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}.` : '';
console.log(`\n${rounds} rounds, commands in turn; target ≤ 0.3 s each.${load}`);
if (!timeBin) console.log('/usr/bin/time is not installed: CPU time and peak RSS are not measured.');
writeResults('cli', { rounds, rows });
