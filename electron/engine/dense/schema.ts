import { registerMigrations, type Migration } from '../store/migrations.ts';

/** Approximate nearest-neighbour graphs over dense indexes, and the log of document changes dense indexes consume. */
export const denseMigrations: Migration[] = [
  {
    id: 350,
    name: 'dense ANN graphs and document changes',
    up: (db) =>
      db.exec(`
        -- Last dense_changes.id this index has consumed: later changes are pending.
        ALTER TABLE dense_indexes ADD COLUMN change_cursor INTEGER NOT NULL DEFAULT 0;
        -- One HNSW graph over int8 codes per dense index that has one; its nodes are stored in chunks so that a change
        -- rewrites the chunks it touched. generation changes at each write, so cached graphs know they are stale.
        CREATE TABLE dense_ann (
          index_id INTEGER PRIMARY KEY REFERENCES dense_indexes(id) ON DELETE CASCADE,
          kind TEXT NOT NULL CHECK (kind IN ('hnsw-int8')),
          params TEXT NOT NULL,
          scales BLOB NOT NULL,
          entry INTEGER NOT NULL DEFAULT -1,
          max_level INTEGER NOT NULL DEFAULT -1,
          nodes INTEGER NOT NULL DEFAULT 0,
          deleted INTEGER NOT NULL DEFAULT 0,
          generation INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE dense_ann_chunks (
          index_id INTEGER NOT NULL REFERENCES dense_ann(index_id) ON DELETE CASCADE,
          chunk INTEGER NOT NULL,
          codes BLOB NOT NULL,
          graph BLOB NOT NULL,
          PRIMARY KEY (index_id, chunk)
        );
        -- Documents whose vector was written or removed since the graph last caught up with them.
        CREATE TABLE dense_ann_pending (
          index_id INTEGER NOT NULL REFERENCES dense_ann(index_id) ON DELETE CASCADE,
          doc_id INTEGER NOT NULL,
          PRIMARY KEY (index_id, doc_id)
        ) WITHOUT ROWID;
        -- Documents added, changed or deleted after their collection got a dense index; the next dense index run
        -- re-encodes or removes them. Row ids of documents can be reused, so additions are logged too.
        CREATE TABLE dense_changes (
          id INTEGER PRIMARY KEY,
          collection_id INTEGER NOT NULL,
          doc_id INTEGER NOT NULL
        );
        CREATE INDEX dense_changes_by_collection ON dense_changes (collection_id, id);
        CREATE TRIGGER dense_doc_insert AFTER INSERT ON documents
          WHEN EXISTS (SELECT 1 FROM dense_indexes WHERE collection_id = NEW.collection_id)
          BEGIN INSERT INTO dense_changes (collection_id, doc_id) VALUES (NEW.collection_id, NEW.id); END;
        CREATE TRIGGER dense_doc_update AFTER UPDATE OF title, text ON documents
          WHEN EXISTS (SELECT 1 FROM dense_indexes WHERE collection_id = NEW.collection_id)
          BEGIN INSERT INTO dense_changes (collection_id, doc_id) VALUES (NEW.collection_id, NEW.id); END;
        CREATE TRIGGER dense_doc_delete AFTER DELETE ON documents
          WHEN EXISTS (SELECT 1 FROM dense_indexes WHERE collection_id = OLD.collection_id)
          BEGIN INSERT INTO dense_changes (collection_id, doc_id) VALUES (OLD.collection_id, OLD.id); END;
        CREATE TRIGGER dense_indexes_drop_changes AFTER DELETE ON dense_indexes
          WHEN NOT EXISTS (SELECT 1 FROM dense_indexes WHERE collection_id = OLD.collection_id)
          BEGIN DELETE FROM dense_changes WHERE collection_id = OLD.collection_id; END;
      `),
  },
  {
    id: 351,
    name: 'float vectors beside the ANN graph',
    up: (db) =>
      db.exec(`
        -- The float vectors a graph rescores with and is built from. sqlite-vec reads a whole chunk of 1,024 vectors
        -- to return one by rowid (1.5 ms at 384 dimensions), which made rescoring dominate search time; here a
        -- vector is one row. Graphs built before this table existed are dropped: dense index builds them again.
        CREATE TABLE dense_ann_vectors (
          index_id INTEGER NOT NULL REFERENCES dense_ann(index_id) ON DELETE CASCADE,
          doc_id INTEGER NOT NULL,
          vector BLOB NOT NULL,
          PRIMARY KEY (index_id, doc_id)
        );
        DELETE FROM dense_ann;
      `),
  },
  {
    id: 352,
    name: 'quantisation overshoot of ANN graphs',
    up: (db) =>
      db.exec(`
        -- Float32 per dimension: the most any vector of the graph overshot its int8 range (Hnsw.excess), which bounds
        -- the int8 similarities' error so that a search rescores only candidates that can reach the top k. NULL:
        -- not known (graphs built before, graphs copied from content packs); their searches rescore every candidate.
        ALTER TABLE dense_ann ADD COLUMN clamped BLOB;
      `),
  },
];

registerMigrations(denseMigrations);
