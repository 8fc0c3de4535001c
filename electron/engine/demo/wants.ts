import type { Workspace } from '../store/workspace.ts';

/**
 * A new workspace gets the demo; so does one whose seeding was interrupted (the app closed during its first
 * start), since every seeding step is idempotent. A workspace created without the demo never gets it later.
 */
export function wantsDemo(workspace: Workspace): boolean {
  if (workspace.created) return true;
  return workspace.db.prepare("SELECT value FROM workspace_meta WHERE key = 'demo'").pluck().get() === 'seeding';
}
