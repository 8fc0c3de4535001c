import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { PontError } from '../errors.ts';

/** A training set as callers see it: its languages, size, where it came from and a hash of its content. */
export interface PairSetInfo {
  id: number;
  name: string;
  /** The low variety (what users type) and the high language (what collections are written in). */
  from: string;
  to: string;
  pairs: number;
  format: string;
  source: string;
  createdAt: string;
  /** sha256 of the pairs in order: the provenance of whatever is trained on the set. */
  fingerprint: string;
}

/** One training example: a low-variety string, its high-language counterpart, and optional hard negatives. */
export interface TrainingPair {
  id: string;
  low: string;
  high: string;
  weight: number;
  negatives: string[];
}

const INFO = `SELECT s.id, s.name, s.from_lang AS "from", s.to_lang AS "to",
    (SELECT count(*) FROM pairs p WHERE p.set_id = s.id) AS pairs,
    s.format, s.source, s.created_at AS createdAt, s.fingerprint
  FROM pair_sets s`;

export function findPairSet(db: Database.Database, name: string): PairSetInfo | undefined {
  return db.prepare(`${INFO} WHERE s.name = ?`).get(name) as PairSetInfo | undefined;
}

export function getPairSet(db: Database.Database, name: string): PairSetInfo {
  const s = findPairSet(db, name);
  if (!s) {
    throw new PontError('not_found', 'pairs.missing', { name }, [{ field: 'name', reason: `"${name}" does not exist` }]);
  }
  return s;
}

export function listPairSets(db: Database.Database): PairSetInfo[] {
  return db.prepare(`${INFO} ORDER BY s.name`).all() as PairSetInfo[];
}

/**
 * Returns the set, creating it when it does not exist. An existing set must pair the same two languages: mixing
 * directions in one set would train a bridge on nonsense.
 */
export function ensurePairSet(db: Database.Database, name: string, from: string, to: string, format: string, source: string): PairSetInfo {
  const existing = findPairSet(db, name);
  if (existing) {
    if (existing.from !== from || existing.to !== to) {
      throw new PontError('conflict', 'pairs.other_languages', { name, existingFrom: existing.from, existingTo: existing.to, from, to }, [
        { field: existing.from !== from ? 'from' : 'to', reason: `the set pairs ${existing.from} → ${existing.to}` },
      ]);
    }
    return existing;
  }
  db.prepare('INSERT INTO pair_sets (name, from_lang, to_lang, format, source) VALUES (?, ?, ?, ?, ?)').run(name, from, to, format, source);
  return getPairSet(db, name);
}

/** Deletes a training set and its pairs. */
export function deletePairSet(db: Database.Database, name: string): { deleted: string; pairs: number } {
  const s = getPairSet(db, name);
  db.prepare('DELETE FROM pair_sets WHERE id = ?').run(s.id);
  return { deleted: s.name, pairs: s.pairs };
}

const PAGE = 1000;

interface PairRow {
  seq: number;
  id: string;
  low: string;
  high: string;
  weight: number;
  negatives: string | null;
}

/**
 * The pairs of a set in insertion order, read a page at a time by position rather than through one open statement:
 * memory stays constant, and the caller may write to the workspace between pairs (mining negatives into a new set).
 */
export function* readPairs(db: Database.Database, name: string): Iterable<TrainingPair> {
  const { id } = getPairSet(db, name);
  const page = db.prepare(
    'SELECT seq, ext_id AS id, low, high, weight, negatives FROM pairs WHERE set_id = ? AND seq > ? ORDER BY seq LIMIT ?',
  );
  let after = 0;
  for (;;) {
    const rows = page.all(id, after, PAGE) as PairRow[];
    for (const r of rows) {
      yield { id: r.id, low: r.low, high: r.high, weight: r.weight, negatives: r.negatives === null ? [] : (JSON.parse(r.negatives) as string[]) };
    }
    if (rows.length < PAGE) return;
    after = rows[rows.length - 1]!.seq;
  }
}

/**
 * Recomputes a set's content hash after a write, and records what last wrote to it. Fields are separated by bytes
 * that text fields cannot hold unescaped in any import format, so two different sets cannot hash alike by shifting
 * text between fields.
 */
export function updatePairSet(db: Database.Database, name: string, made?: { format: string; source: string }): PairSetInfo {
  const h = createHash('sha256');
  for (const p of readPairs(db, name)) {
    h.update(`${p.id}\u0000${p.low}\u0000${p.high}\u0000${p.weight}\u0000${JSON.stringify(p.negatives)}\u0001`);
  }
  const fingerprint = `sha256:${h.digest('hex')}`;
  const s = getPairSet(db, name);
  db.prepare("UPDATE pair_sets SET fingerprint = ?, format = ?, source = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?").run(
    fingerprint,
    made?.format ?? s.format,
    made?.source ?? s.source,
    s.id,
  );
  return getPairSet(db, name);
}
