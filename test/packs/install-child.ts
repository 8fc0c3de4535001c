// Installs a pack in its own process and kills itself (SIGKILL, no clean-up) after a given number of parts are
// staged, as a power cut or `kill -9` would: the test then checks that the same installation resumes.
import { installPack } from '../../electron/engine/packs/install.ts';
import { Workspace } from '../../electron/engine/store/workspace.ts';

const [workspaceDir, file, killAfter] = process.argv.slice(2) as [string, string, string];
const ws = Workspace.open(workspaceDir);
await installPack(ws, file, {}, {
  signal: new AbortController().signal,
  progress: (p) => {
    if (p.phase === 'checking' && p.done >= Number(killAfter)) process.kill(process.pid, 'SIGKILL');
  },
});
ws.close();
