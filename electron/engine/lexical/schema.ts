import { registerMigrations, type Migration } from '../store/migrations.ts';

/**
 * Lexical indexes (ids 100–199). An index is a list of segments, as in Lucene: each segment is an immutable
 * inverted index over a set of documents, written in one transaction. Building writes a segment per memory-bounded
 * batch and merges them; documents added later become new segments, deleted ones tombstones in theirs.
 */
export const lexicalMigrations: Migration[] = [
  {
    id: 100,
    name: 'lexical indexes: segments, term dictionary, posting blocks, change log',
    up: (db) =>
      db.exec(`
        CREATE TABLE lexical_indexes (
          id INTEGER PRIMARY KEY,
          collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
          name TEXT NOT NULL,
          analyzer TEXT NOT NULL,
          analyzer_version INTEGER NOT NULL,
          title_weight INTEGER NOT NULL DEFAULT 1,
          -- 'building' until the first full pass is done; a crashed or cancelled build resumes after built_upto.
          state TEXT NOT NULL CHECK (state IN ('building', 'ready')),
          built_upto INTEGER NOT NULL DEFAULT 0,
          -- Last lexical_changes.id applied: later changes are pending.
          change_cursor INTEGER NOT NULL DEFAULT 0,
          -- Bumped by every write, so that cached readers know to reload.
          generation INTEGER NOT NULL DEFAULT 0,
          created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
          updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
          UNIQUE (collection_id, name)
        );
        CREATE TABLE lexical_segments (
          id INTEGER PRIMARY KEY,
          index_id INTEGER NOT NULL REFERENCES lexical_indexes(id) ON DELETE CASCADE,
          docs INTEGER NOT NULL,
          total_len INTEGER NOT NULL,
          live_docs INTEGER NOT NULL,
          live_len INTEGER NOT NULL,
          -- documents.id of each local document number, ascending, delta-varint coded.
          doc_ids BLOB NOT NULL,
          -- Document lengths in terms (title occurrences weighted), little-endian uint32.
          doc_lens BLOB NOT NULL,
          -- Tombstones: one bit per local document, NULL when none.
          deleted BLOB,
          -- Posting blocks of this segment occupy lexical_blocks ids block_lo..block_hi.
          block_lo INTEGER,
          block_hi INTEGER
        );
        CREATE INDEX lexical_segments_by_index ON lexical_segments (index_id);
        -- Term dictionary. skips holds, per block of 128 postings, the last document number, the largest term
        -- frequency and the smallest document length (varints): enough to bound BM25 for any k1 and b. A term with
        -- a single block keeps it inline in postings; longer ones in lexical_blocks from first_block on.
        CREATE TABLE lexical_terms (
          segment_id INTEGER NOT NULL REFERENCES lexical_segments(id) ON DELETE CASCADE,
          term TEXT NOT NULL,
          df INTEGER NOT NULL,
          skips BLOB NOT NULL,
          first_block INTEGER,
          postings BLOB,
          PRIMARY KEY (segment_id, term)
        ) WITHOUT ROWID;
        -- AUTOINCREMENT: ids are never reused, so cached decoded blocks cannot go stale.
        CREATE TABLE lexical_blocks (id INTEGER PRIMARY KEY AUTOINCREMENT, data BLOB NOT NULL);
        CREATE TRIGGER lexical_segments_drop_blocks AFTER DELETE ON lexical_segments
          WHEN OLD.block_lo IS NOT NULL
          BEGIN DELETE FROM lexical_blocks WHERE id BETWEEN OLD.block_lo AND OLD.block_hi; END;
        -- Documents written after an index was built: the index consumes these (new segment, tombstones).
        CREATE TABLE lexical_changes (
          id INTEGER PRIMARY KEY,
          collection_id INTEGER NOT NULL,
          doc_id INTEGER NOT NULL,
          op TEXT NOT NULL CHECK (op IN ('add', 'delete'))
        );
        CREATE INDEX lexical_changes_by_collection ON lexical_changes (collection_id, id);
        CREATE TRIGGER lexical_doc_insert AFTER INSERT ON documents
          WHEN EXISTS (SELECT 1 FROM lexical_indexes WHERE collection_id = NEW.collection_id)
          BEGIN INSERT INTO lexical_changes (collection_id, doc_id, op) VALUES (NEW.collection_id, NEW.id, 'add'); END;
        CREATE TRIGGER lexical_doc_update AFTER UPDATE OF title, text ON documents
          WHEN EXISTS (SELECT 1 FROM lexical_indexes WHERE collection_id = NEW.collection_id)
          BEGIN
            INSERT INTO lexical_changes (collection_id, doc_id, op) VALUES (OLD.collection_id, OLD.id, 'delete');
            INSERT INTO lexical_changes (collection_id, doc_id, op) VALUES (NEW.collection_id, NEW.id, 'add');
          END;
        CREATE TRIGGER lexical_doc_delete AFTER DELETE ON documents
          WHEN EXISTS (SELECT 1 FROM lexical_indexes WHERE collection_id = OLD.collection_id)
          BEGIN INSERT INTO lexical_changes (collection_id, doc_id, op) VALUES (OLD.collection_id, OLD.id, 'delete'); END;
        CREATE TRIGGER lexical_indexes_drop_changes AFTER DELETE ON lexical_indexes
          WHEN NOT EXISTS (SELECT 1 FROM lexical_indexes WHERE collection_id = OLD.collection_id)
          BEGIN DELETE FROM lexical_changes WHERE collection_id = OLD.collection_id; END;
      `),
  },
];

registerMigrations(lexicalMigrations);
