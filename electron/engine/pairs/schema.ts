import { registerMigrations, type Migration } from '../store/migrations.ts';

/**
 * Training sets: named sets of (low-variety text, high-language text) pairs that bridges and encoders are trained on.
 * A pair keeps its import, like a document, so that rolling back an interrupted import removes exactly what it added.
 */
export const pairMigrations: Migration[] = [
  {
    id: 500,
    name: 'training sets of variety pairs',
    up: (db) =>
      db.exec(`
        CREATE TABLE pair_sets (
          id INTEGER PRIMARY KEY,
          name TEXT NOT NULL UNIQUE,
          from_lang TEXT NOT NULL,
          to_lang TEXT NOT NULL,
          format TEXT NOT NULL,
          source TEXT NOT NULL,
          -- sha256 of the pairs in order, recomputed after every write: what a trained model records as its input
          fingerprint TEXT NOT NULL DEFAULT '',
          created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
          updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        );
        -- seq is the insertion order that trainers read in; an update keeps a pair's place
        CREATE TABLE pairs (
          seq INTEGER PRIMARY KEY,
          set_id INTEGER NOT NULL REFERENCES pair_sets(id) ON DELETE CASCADE,
          ext_id TEXT NOT NULL,
          low TEXT NOT NULL,
          high TEXT NOT NULL,
          weight REAL NOT NULL DEFAULT 1,
          -- JSON array of strings, NULL when the pair has none
          negatives TEXT,
          import_id INTEGER,
          seen_by_import INTEGER,
          UNIQUE (set_id, ext_id)
        );
        CREATE INDEX pairs_in_order ON pairs (set_id, seq);
      `),
  },
  {
    id: 501,
    name: 'imports into training sets',
    // The core imports table ties every import to a collection; a training set belongs to none. SQLite cannot relax
    // a NOT NULL or CHECK constraint in place, so the table is rebuilt. Its problems are kept aside first: dropping
    // the old table would otherwise delete them through their ON DELETE CASCADE.
    up: (db) =>
      db.exec(`
        CREATE TEMP TABLE kept_import_errors AS SELECT rowid AS rid, * FROM import_errors;
        CREATE TABLE imports_v2 (
          id INTEGER PRIMARY KEY,
          collection_id INTEGER REFERENCES collections(id) ON DELETE CASCADE,
          kind TEXT NOT NULL DEFAULT 'documents' CHECK (kind IN ('documents', 'queries', 'qrels', 'pairs')),
          query_set_id INTEGER REFERENCES query_sets(id) ON DELETE CASCADE,
          pair_set_id INTEGER REFERENCES pair_sets(id) ON DELETE CASCADE,
          source TEXT NOT NULL,
          format TEXT NOT NULL,
          fingerprint TEXT NOT NULL,
          state TEXT NOT NULL CHECK (state IN ('running', 'done', 'failed', 'cancelled', 'rolled_back')),
          checkpoint TEXT,
          records_ok INTEGER NOT NULL DEFAULT 0,
          records_bad INTEGER NOT NULL DEFAULT 0,
          message TEXT,
          started_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
          updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
          pid INTEGER,
          CHECK ((kind = 'pairs') = (pair_set_id IS NOT NULL AND collection_id IS NULL))
        );
        INSERT INTO imports_v2 (id, collection_id, kind, query_set_id, source, format, fingerprint, state, checkpoint, records_ok,
            records_bad, message, started_at, updated_at, pid)
          SELECT id, collection_id, kind, query_set_id, source, format, fingerprint, state, checkpoint, records_ok,
            records_bad, message, started_at, updated_at, pid FROM imports;
        DROP TABLE import_errors;
        DROP TABLE imports;
        ALTER TABLE imports_v2 RENAME TO imports;
        CREATE INDEX imports_by_collection ON imports (collection_id, source);
        CREATE INDEX imports_by_pair_set ON imports (pair_set_id, source);
        CREATE TABLE import_errors (
          import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
          severity TEXT NOT NULL DEFAULT 'error' CHECK (severity IN ('error', 'warning')),
          file TEXT NOT NULL,
          line INTEGER,
          field TEXT,
          reason TEXT NOT NULL
        );
        INSERT INTO import_errors (import_id, severity, file, line, field, reason)
          SELECT import_id, severity, file, line, field, reason FROM kept_import_errors ORDER BY rid;
        CREATE INDEX import_errors_by_import ON import_errors (import_id);
        DROP TABLE kept_import_errors;
      `),
  },
];

registerMigrations(pairMigrations);
