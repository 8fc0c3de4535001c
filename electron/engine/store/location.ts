// Where the workspace is, apart from opening it: the CLI resolves it (and reports failures to open it) without
// loading SQLite.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** The platform's per-user data directory, as Electron's `app.getPath('userData')` would give it. */
export function defaultWorkspaceDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.PONT_WORKSPACE) return resolve(env.PONT_WORKSPACE);
  const home = homedir();
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Pont');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Pont');
  return join(env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'pont');
}

export class WorkspaceError extends Error {}
