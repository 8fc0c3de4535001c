// `npm run bench [suite…]`: runs each benchmark suite (test/bench/*.bench.ts) in its own process, so that one
// suite's memory does not weigh on the next and peak-memory figures are per suite. Each suite prints a Markdown
// report with its figures as ratios against a baseline measured in the same run, and writes JSON under
// bench-results/.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const all = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''))
  .sort();

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log(`Usage: npm run bench [SUITE…] [-- --OPTION…]

Runs the named benchmark suites (all of them when none is named), each in its own process; other options go to
every suite. Reports are printed as Markdown and written as JSON under bench-results/.

Suites: ${all.join(', ')}`);
  process.exit(0);
}
const suites = all.filter((s) => wanted.length === 0 || wanted.includes(s));

const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length > 0 || suites.length === 0) {
  console.error(`no benchmark suite named ${unknown.join(', ')}; the suites are: ${all.join(', ')}`);
  process.exit(2);
}
let failed = 0;
for (const suite of suites) {
  console.log(`\n## ${suite}\n`);
  const r = spawnSync(process.execPath, ['--expose-gc', join(here, `${suite}.bench.ts`), ...process.argv.slice(2).filter((a) => a.startsWith('-'))], {
    stdio: 'inherit',
  });
  if (r.status !== 0) {
    failed++;
    console.error(`benchmark ${suite} failed (exit ${r.status ?? r.signal})`);
  }
}
process.exit(failed > 0 ? 1 : 0);
