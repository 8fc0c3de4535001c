import { registerMigrations, type Migration } from '../store/migrations.ts';

/**
 * Experiments (ids 250–299). An experiment is a list of units, one per (query set, system); each finished unit is
 * committed with its stored run, so that running the same file again after Ctrl-C, a crash or kill -9 resumes after
 * the last finished unit. A unit is reused only while its key (the system's canonical stage key and the evaluation
 * options) is unchanged; the units of an experiment are cleared when it completes.
 */
export const experimentMigrations: Migration[] = [
  {
    id: 250,
    name: 'experiment units: finished (query set, system) results, for resuming',
    up: (db) =>
      db.exec(`
        CREATE TABLE experiment_units (
          experiment TEXT NOT NULL,
          query_set TEXT NOT NULL,
          system TEXT NOT NULL,
          unit_key TEXT NOT NULL,
          stage_key TEXT NOT NULL,
          run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL,
          qids TEXT NOT NULL,
          result TEXT NOT NULL,
          per_query BLOB NOT NULL,
          finished_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
          PRIMARY KEY (experiment, query_set, system)
        );
        CREATE INDEX experiment_units_by_stage ON experiment_units (experiment, query_set, stage_key);
      `),
  },
];

registerMigrations(experimentMigrations);
