import { registerMigrations, type Migration } from '../store/migrations.ts';

/** Training jobs: what each trains on and with, how far it got, its loss curve, and its last checkpoint file. */
export const trainingMigrations: Migration[] = [
  {
    id: 700,
    name: 'training jobs',
    up: (db) =>
      db.exec(`
        -- One row per model being trained (name = the model pack it yields). spec is the canonical JSON of the
        -- settings and pair sets (with fingerprints): running the same command again resumes; another spec is refused.
        -- checkpoint names the file under training/<name>/ holding the weights and optimiser state after step
        -- steps; the file is renamed into place before this row is updated, in one transaction with the losses.
        CREATE TABLE training_jobs (
          name TEXT PRIMARY KEY,
          kind TEXT NOT NULL CHECK (kind IN ('encoder', 'adapter')),
          spec TEXT NOT NULL,
          state TEXT NOT NULL CHECK (state IN ('running', 'done')),
          step INTEGER NOT NULL DEFAULT 0,
          total_steps INTEGER NOT NULL,
          checkpoint TEXT,
          losses TEXT NOT NULL DEFAULT '[]',
          started_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
          updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        );
      `),
  },
  {
    id: 701,
    name: 'query adapters',
    up: (db) =>
      db.exec(`
        -- A linear map on a dense model's query vectors (dim × dim float32, row-major), trained on pairs; the model's
        -- document vectors stay as indexed. It goes with the model it was trained for.
        CREATE TABLE query_adapters (
          name TEXT PRIMARY KEY,
          model TEXT NOT NULL REFERENCES models(name) ON DELETE CASCADE,
          model_checksum TEXT NOT NULL,
          dim INTEGER NOT NULL,
          matrix BLOB NOT NULL,
          record TEXT NOT NULL,
          created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        );
      `),
  },
];

registerMigrations(trainingMigrations);
