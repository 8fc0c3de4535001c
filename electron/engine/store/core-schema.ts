import { registerMigrations, type Migration } from './migrations.ts';

/** Collections, documents, query sets, qrels and jobs: what every other subsystem refers to. */
export const coreMigrations: Migration[] = [
  {
    id: 1,
    name: 'collections, documents, query sets, qrels',
    up: (db) =>
      db.exec(`
        CREATE TABLE collections (
          id INTEGER PRIMARY KEY,
          name TEXT NOT NULL UNIQUE,
          lang TEXT NOT NULL,
          description TEXT NOT NULL DEFAULT '',
          created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
          updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        );
        CREATE TABLE documents (
          id INTEGER PRIMARY KEY,
          collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
          ext_id TEXT NOT NULL,
          title TEXT,
          text TEXT NOT NULL,
          metadata TEXT,
          UNIQUE (collection_id, ext_id)
        );
        CREATE TABLE query_sets (
          id INTEGER PRIMARY KEY,
          name TEXT NOT NULL UNIQUE,
          lang TEXT NOT NULL,
          collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
          created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        );
        CREATE TABLE queries (
          query_set_id INTEGER NOT NULL REFERENCES query_sets(id) ON DELETE CASCADE,
          qid TEXT NOT NULL,
          text TEXT NOT NULL,
          PRIMARY KEY (query_set_id, qid)
        ) WITHOUT ROWID;
        CREATE TABLE qrels (
          query_set_id INTEGER NOT NULL REFERENCES query_sets(id) ON DELETE CASCADE,
          qid TEXT NOT NULL,
          doc_ext_id TEXT NOT NULL,
          rel INTEGER NOT NULL,
          PRIMARY KEY (query_set_id, qid, doc_ext_id)
        ) WITHOUT ROWID;
      `),
  },
  {
    id: 2,
    name: 'document sources and resumable imports',
    up: (db) =>
      db.exec(`
        ALTER TABLE documents ADD COLUMN source TEXT;
        -- An import is a job over one source file or folder. Its checkpoint is committed in the same transaction as
        -- the batch of documents it covers, so after a crash the import resumes exactly where the database says.
        CREATE TABLE imports (
          id INTEGER PRIMARY KEY,
          collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
          source TEXT NOT NULL,
          format TEXT NOT NULL,
          fingerprint TEXT NOT NULL,
          state TEXT NOT NULL CHECK (state IN ('running', 'done', 'failed', 'cancelled')),
          checkpoint TEXT,
          records_ok INTEGER NOT NULL DEFAULT 0,
          records_bad INTEGER NOT NULL DEFAULT 0,
          started_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
          updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        );
        CREATE INDEX imports_by_collection ON imports (collection_id);
        CREATE TABLE import_errors (
          import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
          file TEXT NOT NULL,
          line INTEGER,
          field TEXT,
          reason TEXT NOT NULL
        );
        CREATE INDEX import_errors_by_import ON import_errors (import_id);
      `),
  },
  {
    id: 3,
    name: 'imports that resume, roll back and keep warnings',
    // Migration 2's import tables were never written to by a released Pont, so they are rebuilt rather than altered:
    // SQLite cannot change a CHECK constraint in place.
    up: (db) =>
      db.exec(`
        -- The import that added a document (its rollback removes exactly these), and the last import that wrote or
        -- confirmed it (a second sight of the same id within one import is a duplicate in that file).
        ALTER TABLE documents ADD COLUMN import_id INTEGER;
        ALTER TABLE documents ADD COLUMN seen_by_import INTEGER;
        DROP TABLE import_errors;
        DROP TABLE imports;
        CREATE TABLE imports (
          id INTEGER PRIMARY KEY,
          collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
          -- what is imported: documents, queries (into query_set_id) or qrels (into query_set_id)
          kind TEXT NOT NULL DEFAULT 'documents' CHECK (kind IN ('documents', 'queries', 'qrels')),
          query_set_id INTEGER REFERENCES query_sets(id) ON DELETE CASCADE,
          source TEXT NOT NULL,
          format TEXT NOT NULL,
          fingerprint TEXT NOT NULL,
          state TEXT NOT NULL CHECK (state IN ('running', 'done', 'failed', 'cancelled', 'rolled_back')),
          -- JSON: where the next batch starts in the source, and the running counts
          checkpoint TEXT,
          records_ok INTEGER NOT NULL DEFAULT 0,
          records_bad INTEGER NOT NULL DEFAULT 0,
          message TEXT,
          started_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
          updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        );
        CREATE INDEX imports_by_collection ON imports (collection_id, source);
        CREATE TABLE import_errors (
          import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
          severity TEXT NOT NULL DEFAULT 'error' CHECK (severity IN ('error', 'warning')),
          file TEXT NOT NULL,
          line INTEGER,
          field TEXT,
          reason TEXT NOT NULL
        );
        CREATE INDEX import_errors_by_import ON import_errors (import_id);
      `),
  },
  {
    id: 4,
    name: 'the process running an import',
    // Lets a second run of the same import tell a crashed run (resume it) from one still going (refuse).
    up: (db) => db.exec('ALTER TABLE imports ADD COLUMN pid INTEGER'),
  },
  {
    id: 5,
    name: 'workspace settings',
    up: (db) => db.exec('CREATE TABLE workspace_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID'),
  },
];

registerMigrations(coreMigrations);
