import { registerMigrations, type Migration } from '../store/migrations.ts';

/**
 * Runs and the evaluations made of them. A run keeps its TREC text (gzip) exactly as it was produced or imported,
 * and where it came from, so that any number Pont reports can be traced back to the pipeline, index, analyser,
 * model, query set and software version that made it.
 */
export const runMigrations: Migration[] = [
  {
    id: 200,
    name: 'runs with provenance, and their evaluations',
    up: (db) =>
      db.exec(`
        CREATE TABLE runs (
          id INTEGER PRIMARY KEY,
          name TEXT NOT NULL UNIQUE,
          runid TEXT NOT NULL,
          collection TEXT,
          query_set TEXT,
          pipeline TEXT,
          label TEXT,
          provenance TEXT NOT NULL,
          software_version TEXT NOT NULL,
          queries INTEGER NOT NULL,
          hits INTEGER NOT NULL,
          content BLOB NOT NULL,
          created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        );
        CREATE TABLE evaluations (
          id INTEGER PRIMARY KEY,
          run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
          qrels TEXT NOT NULL,
          options TEXT NOT NULL,
          measures TEXT NOT NULL,
          summary TEXT NOT NULL,
          per_query TEXT NOT NULL,
          software_version TEXT NOT NULL,
          created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        );
        CREATE INDEX evaluations_by_run ON evaluations (run_id);
      `),
  },
];

registerMigrations(runMigrations);
