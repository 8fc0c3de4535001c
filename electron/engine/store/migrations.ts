import type Database from 'better-sqlite3';

/**
 * A schema change. Ids are ordered numerically; each subsystem owns a range so that they can grow independently:
 * 1–99 store core, 100–199 lexical indexes, 200–299 evaluation, 300–399 models and dense vectors, 400–499 application.
 */
export interface Migration {
  id: number;
  name: string;
  up: (db: Database.Database) => void;
}

const registry = new Map<number, Migration>();

/** Subsystems register their migrations when their module is loaded; see `schema.ts` for the list of modules. */
export function registerMigrations(migrations: readonly Migration[]): void {
  for (const m of migrations) {
    const existing = registry.get(m.id);
    if (existing && existing !== m) throw new Error(`migration ${m.id} registered twice (${existing.name}, ${m.name})`);
    registry.set(m.id, m);
  }
}

export function registeredMigrations(): Migration[] {
  return [...registry.values()].sort((a, b) => a.id - b.id);
}

export class SchemaTooNewError extends Error {}

/**
 * Brings the database up to date, one migration per transaction, so a crash in the middle leaves the database at
 * the last completed migration. Applied migrations are recorded by id, which lets a later subsystem's migration be
 * applied to a database whose other migrations are newer.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = registeredMigrations(), file = ''): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))`);
  const applied = new Set((db.prepare('SELECT id FROM schema_migrations').pluck().all() as number[]));
  const known = new Set(migrations.map((m) => m.id));
  const unknown = [...applied].filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new SchemaTooNewError(
      `${file || 'the workspace database'} was written by a newer version of Pont (unknown schema migrations ${unknown.join(', ')}); ` +
        'update Pont, or open another workspace',
    );
  }
  const done: number[] = [];
  for (const m of migrations) {
    if (applied.has(m.id)) continue;
    db.transaction(() => {
      m.up(db);
      db.prepare('INSERT INTO schema_migrations (id, name) VALUES (?, ?)').run(m.id, m.name);
    })();
    done.push(m.id);
  }
  return done;
}
