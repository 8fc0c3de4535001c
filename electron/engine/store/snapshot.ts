import type Database from 'better-sqlite3';

/**
 * Runs `fn` in one read transaction, so that all its statements see the same committed state of the database: a
 * search whose index is rewritten meanwhile by another connection (an index build in its own thread) reads the old
 * index or the new one, never part of each. In WAL mode a reader neither waits for a writer nor blocks it.
 */
export function readSnapshot<T>(db: Database.Database, fn: () => T): T {
  return db.inTransaction ? fn() : db.transaction(fn).deferred();
}

/**
 * Runs `fn` in a write transaction when the database can be written at once; undefined when another connection is
 * writing (or has written since this connection's read transaction began). For the small writes a search makes on
 * its way (catching an index up with a few changed documents): they are skipped rather than waited for, since a
 * search must never sit out a busy timeout behind a long job.
 */
export function writeIfFree<T>(db: Database.Database, fn: () => T): T | undefined {
  const timeout = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma('busy_timeout = 0');
  try {
    return db.transaction(fn).immediate();
  } catch (e) {
    if (String((e as { code?: unknown }).code ?? '').startsWith('SQLITE_BUSY')) return undefined;
    throw e;
  } finally {
    db.pragma(`busy_timeout = ${timeout}`);
  }
}
