import Database from 'better-sqlite3';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import { spawnCli } from '../cli/run-cli.ts';

/** Waits until an import in another process has committed some records to the workspace, and returns how many. */
export async function committedRecords(ws: string): Promise<number> {
  for (let i = 0; i < 1200; i++) {
    await sleep(50);
    if (!existsSync(join(ws, 'pont.db'))) continue;
    const db = new Database(join(ws, 'pont.db'), { readonly: true, fileMustExist: true });
    try {
      const hasTable = db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'imports'").pluck().get() === 1;
      const n = hasTable ? ((db.prepare('SELECT max(records_ok) FROM imports').pluck().get() as number | null) ?? 0) : 0;
      if (n > 0) return n;
    } finally {
      db.close();
    }
  }
  return 0;
}

/**
 * Runs a CLI import in a child process and kills it without warning (kill -9) once it has committed some batches;
 * returns how many records were committed then.
 */
export async function killAfterFirstCommit(ws: string, args: string[]): Promise<number> {
  const child = spawnCli(args);
  const exited = once(child, 'exit');
  const committed = await committedRecords(ws);
  expect(child.exitCode).toBeNull();
  child.kill('SIGKILL');
  const [, signal] = await exited;
  expect(signal).toBe('SIGKILL');
  expect(committed).toBeGreaterThan(0);
  return committed;
}
