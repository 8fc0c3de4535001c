// `npm test`: the engine process bundled as the application ships it (`npm run build:engine`, a few seconds, for
// test/app/engine-bundle.test.ts), the unit and integration suite (vitest), then the browser suite (Playwright in
// Debian's Chromium), then one closing line that counts both, so a CI log says at a glance what ran.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const results = 'test-results';
mkdirSync(results, { recursive: true });
const vitestJson = `${results}/vitest.json`;
const playwrightJson = `${results}/playwright.json`;
rmSync(vitestJson, { force: true });
rmSync(playwrightJson, { force: true });

const run = (cmd, args, env = {}) => spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1;

// A bundle that does not build fails the run; the suite still runs, and engine-bundle.test.ts, told the bundle is
// expected, fails rather than skips when it is missing.
const bundle = run('npm', ['run', '--silent', 'build:engine']);
if (bundle !== 0) console.error('npm test: the engine bundle did not build (npm run build:engine)');
const unit = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`], { PONT_ENGINE_BUNDLE: '1' });
const e2e = existsSync('playwright.config.ts')
  ? run('npx', ['playwright', 'test'], { PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson })
  : 0;

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(vitestJson)) {
  const v = JSON.parse(readFileSync(vitestJson, 'utf8'));
  passed += v.numPassedTests;
  failed += v.numFailedTests;
  skipped += v.numPendingTests + v.numTodoTests;
}
if (existsSync(playwrightJson)) {
  const p = JSON.parse(readFileSync(playwrightJson, 'utf8'));
  passed += p.stats.expected + p.stats.flaky;
  failed += p.stats.unexpected;
  skipped += p.stats.skipped;
}
if (bundle !== 0) failed += 1;
if ((unit !== 0 || e2e !== 0) && failed === 0) failed = 1; // a suite that crashed before reporting still failed
console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(bundle !== 0 || unit !== 0 || e2e !== 0 ? 1 : 0);
