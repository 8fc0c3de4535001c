import type Database from 'better-sqlite3';
import { getPairSet, readPairs } from '../pairs/store.ts';
import type { PairSource } from './job.ts';

/** The workspace's training sets by name, as the trainer reads them (with their fingerprints for provenance). */
export function pairSources(db: Database.Database, names: readonly string[]): PairSource[] {
  return names.map((name) => {
    const s = getPairSet(db, name);
    return { name, from: s.from, to: s.to, pairs: s.pairs, fingerprint: s.fingerprint, read: () => readPairs(db, name) };
  });
}
