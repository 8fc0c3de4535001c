// Runs one collection import in its own process and prints its memory use as JSON: the test that spawns it checks
// that a large import stays within a bound, which only a separate process can measure honestly.
import { importCollection } from '../../electron/engine/import/importer.ts';
import { noJob } from '../../electron/engine/jobs/progress.ts';
import { Workspace } from '../../electron/engine/store/workspace.ts';

const [workspaceDir, file] = process.argv.slice(2) as [string, string];
const ws = Workspace.open(workspaceDir);
const rssBefore = process.memoryUsage().rss;
let rssPeakSampled = rssBefore;
const sampler = setInterval(() => (rssPeakSampled = Math.max(rssPeakSampled, process.memoryUsage().rss)), 50);
const report = await importCollection(ws.db, { path: file, name: 'big', lang: 'fr' }, noJob);
clearInterval(sampler);
ws.close();
process.stdout.write(
  JSON.stringify({ added: report.added, bad: report.bad, rssBefore, rssPeakSampled, maxRss: process.resourceUsage().maxRSS * 1024 }),
);
