import { registerMigrations, type Migration } from '../store/migrations.ts';

/**
 * Lexical bridges (ids 600–699): a learned table of word translations from a low variety to a high language.
 * A bridge is 'training' until its last EM iteration is done; its checkpoint (the EM state after the last finished
 * iteration) is committed with the iteration count, so a crashed or cancelled training resumes there.
 */
export const bridgeMigrations: Migration[] = [
  {
    id: 600,
    name: 'lexical bridges: translation tables with provenance, training checkpoints',
    up: (db) =>
      db.exec(`
        CREATE TABLE bridges (
          id INTEGER PRIMARY KEY,
          name TEXT NOT NULL UNIQUE,
          from_lang TEXT NOT NULL,
          to_lang TEXT NOT NULL,
          state TEXT NOT NULL CHECK (state IN ('training', 'ready')),
          -- JSON: the training parameters, and what the bridge was learned from (sets, fingerprints, analyser).
          params TEXT NOT NULL,
          provenance TEXT NOT NULL,
          iteration INTEGER NOT NULL DEFAULT 0,
          entries INTEGER NOT NULL DEFAULT 0,
          created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
          updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        );
        -- One row per low-variety word: its translations as JSON [[target, probability], …], best first.
        CREATE TABLE bridge_words (
          bridge_id INTEGER NOT NULL REFERENCES bridges(id) ON DELETE CASCADE,
          source TEXT NOT NULL,
          translations TEXT NOT NULL,
          PRIMARY KEY (bridge_id, source)
        ) WITHOUT ROWID;
        -- The EM state of a training in progress: both directions' probabilities after iteration bridges.iteration.
        CREATE TABLE bridge_checkpoints (
          bridge_id INTEGER PRIMARY KEY REFERENCES bridges(id) ON DELETE CASCADE,
          forward BLOB NOT NULL,
          backward BLOB NOT NULL
        );
      `),
  },
  {
    id: 601,
    name: 'lexical bridges: the length model of translations (Gale & Church), learned with the table',
    // JSON {ratio, variance, pairs}; NULL for a bridge trained before, which is then searched without it.
    up: (db) => db.exec('ALTER TABLE bridges ADD COLUMN lengths TEXT'),
  },
  {
    id: 602,
    name: 'lexical bridges: the backward translation table t(low | high) of the noisy-channel rerank, pruned',
    // None for a bridge trained or imported before, which is then searched without the rerank.
    up: (db) =>
      db.exec(`
        -- One row per high-language word ('' is IBM Model 1's NULL word): t(low word | it) as JSON [[low, p], …].
        CREATE TABLE bridge_channel (
          bridge_id INTEGER NOT NULL REFERENCES bridges(id) ON DELETE CASCADE,
          source TEXT NOT NULL,
          targets TEXT NOT NULL,
          PRIMARY KEY (bridge_id, source)
        ) WITHOUT ROWID;
      `),
  },
  {
    id: 603,
    name: 'lexical bridges: how final marks carry over into translations, learned with the table',
    // JSON {counts}; NULL for a bridge trained before, which is then searched without it.
    up: (db) => db.exec('ALTER TABLE bridges ADD COLUMN marks TEXT'),
  },
];

registerMigrations(bridgeMigrations);
