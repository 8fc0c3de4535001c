import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { WorkspaceError } from './location.ts';
import { migrate } from './migrations.ts';
import './schema.ts';

export const DATABASE_FILE = 'pont.db';

export { defaultWorkspaceDir, WorkspaceError } from './location.ts';

/** A workspace is one directory holding one SQLite database (and, later, model files and exports). */
export class Workspace {
  readonly dir: string;
  readonly db: Database.Database;
  /** True when this open created the database: the caller may want to seed it (the demo collection). */
  readonly created: boolean;

  private constructor(dir: string, db: Database.Database, created: boolean) {
    this.dir = dir;
    this.db = db;
    this.created = created;
  }

  static open(dir: string): Workspace {
    const abs = resolve(dir);
    mkdirSync(abs, { recursive: true });
    const file = join(abs, DATABASE_FILE);
    let db: Database.Database;
    try {
      db = new Database(file, { timeout: 10_000 });
      db.pragma('journal_mode = WAL');
    } catch (e) {
      throw new WorkspaceError(`cannot open the workspace database ${file}: ${(e as Error).message}`);
    }
    try {
      db.pragma('foreign_keys = ON');
      db.pragma('synchronous = NORMAL');
      const created = db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'schema_migrations'").pluck().get() === 0;
      migrate(db, undefined, file);
      return new Workspace(abs, db, created);
    } catch (e) {
      db.close();
      if ((e as { code?: string }).code === 'SQLITE_NOTADB' || (e as { code?: string }).code === 'SQLITE_CORRUPT') {
        throw new WorkspaceError(`${file} is damaged or is not a Pont workspace (${(e as Error).message})`);
      }
      throw e;
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
