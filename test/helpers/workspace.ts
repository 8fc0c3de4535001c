import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { Engine } from '../../electron/api/engine.ts';
import { Workspace } from '../../electron/engine/store/workspace.ts';

const dirs: string[] = [];
const open: { close(): void }[] = [];

/** A fresh temporary directory, removed after the test. */
export function tempDir(prefix = 'pont-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

/** A real workspace (a real SQLite file) in a temporary directory, closed and removed after the test. */
export function tempWorkspace(): Workspace {
  const ws = Workspace.open(tempDir('pont-ws-'));
  open.push(ws);
  return ws;
}

export function tempEngine(): Engine {
  return new Engine(tempWorkspace());
}

afterEach(() => {
  for (const o of open.splice(0)) o.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Writes a file into a fresh temporary directory and returns its path. */
export function writeTemp(name: string, content: string | Uint8Array): string {
  const file = join(tempDir(), name);
  writeFileSync(file, content);
  return file;
}
