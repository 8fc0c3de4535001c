import type Database from 'better-sqlite3';
import { PontError } from '../errors.ts';
import type { ChannelTable } from './channel.ts';
import type { LengthModel } from './length.ts';
import type { MarkModel } from './marks.ts';
import { BridgeModel, type Translation } from './model.ts';

/** A trained (or training) bridge as callers see it. */
export interface BridgeInfo {
  id: number;
  name: string;
  /** The low variety queries are written in (`oc`) and the high language of the documents (`fr`). */
  from: string;
  to: string;
  state: 'training' | 'ready';
  /** Low-variety words with translations, once trained. */
  entries: number;
  /** EM iterations done (a training in progress resumes after the last one). */
  iteration: number;
  params: Record<string, unknown>;
  /** How long translations are, learned with the table (null for bridges trained before it was). */
  lengths: LengthModel | null;
  /** How final marks carry over into translations (null for bridges trained before it was learned). */
  marks: MarkModel | null;
  /** What the bridge was learned from: training sets with fingerprints, method, analyser and its version. */
  provenance: BridgeProvenance;
  createdAt: string;
  updatedAt: string;
}

export interface BridgeProvenance {
  method: string;
  analyzer: { spec: string; version: number };
  trainingSets: { name: string; from: string; to: string; pairs: number; fingerprint: string }[];
  /** Set when the bridge came from a file: where, and when it was imported. */
  importedFrom?: string;
  [key: string]: unknown;
}

interface BridgeRow {
  id: number;
  name: string;
  from_lang: string;
  to_lang: string;
  state: 'training' | 'ready';
  entries: number;
  iteration: number;
  params: string;
  lengths: string | null;
  marks: string | null;
  provenance: string;
  created_at: string;
  updated_at: string;
}

function info(r: BridgeRow): BridgeInfo {
  return {
    id: r.id,
    name: r.name,
    from: r.from_lang,
    to: r.to_lang,
    state: r.state,
    entries: r.entries,
    iteration: r.iteration,
    params: JSON.parse(r.params) as Record<string, unknown>,
    lengths: r.lengths === null ? null : (JSON.parse(r.lengths) as LengthModel),
    marks: r.marks === null ? null : (JSON.parse(r.marks) as MarkModel),
    provenance: JSON.parse(r.provenance) as BridgeProvenance,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function findBridge(db: Database.Database, name: string): BridgeInfo | undefined {
  const r = db.prepare('SELECT * FROM bridges WHERE name = ?').get(name) as BridgeRow | undefined;
  return r ? info(r) : undefined;
}

export function getBridge(db: Database.Database, name: string): BridgeInfo {
  const b = findBridge(db, name);
  if (!b) throw new PontError('not_found', 'bridge.missing', { name }, [{ field: 'bridge', reason: `"${name}" does not exist` }]);
  return b;
}

export function listBridges(db: Database.Database): BridgeInfo[] {
  return (db.prepare('SELECT * FROM bridges ORDER BY name').all() as BridgeRow[]).map(info);
}

export function deleteBridge(db: Database.Database, name: string): { deleted: string } {
  const b = getBridge(db, name);
  db.prepare('DELETE FROM bridges WHERE id = ?').run(b.id);
  return { deleted: b.name };
}

/** The word table of a bridge, best translation first per word. */
export function readTable(db: Database.Database, id: number): Map<string, Translation[]> {
  const rows = db.prepare('SELECT source, translations FROM bridge_words WHERE bridge_id = ? ORDER BY source').all(id) as { source: string; translations: string }[];
  return new Map(rows.map((r) => [r.source, (JSON.parse(r.translations) as [string, number][]).map(([target, p]) => ({ target, p }))]));
}

/** The channel's table t(low | high) of a bridge (channel.ts); null for a bridge stored without one. */
export function readChannel(db: Database.Database, id: number): Map<string, Map<string, number>> | null {
  const rows = db.prepare('SELECT source, targets FROM bridge_channel WHERE bridge_id = ? ORDER BY source').all(id) as { source: string; targets: string }[];
  return rows.length ? new Map(rows.map((r) => [r.source, new Map(JSON.parse(r.targets) as [string, number][])])) : null;
}

/** What a bridge learns beside its word table; each null when not learned (the search then goes without it). */
export interface BridgeModels {
  lengths: LengthModel | null;
  channel: ChannelTable | null;
  marks: MarkModel | null;
}

/** Writes a finished table and the models learned with it and marks the bridge ready; the caller holds the transaction. */
export function writeTable(db: Database.Database, id: number, table: ReadonlyMap<string, readonly Translation[]>, { lengths, channel, marks }: BridgeModels): void {
  db.prepare('DELETE FROM bridge_words WHERE bridge_id = ?').run(id);
  db.prepare('DELETE FROM bridge_channel WHERE bridge_id = ?').run(id);
  const put = db.prepare('INSERT INTO bridge_words (bridge_id, source, translations) VALUES (?, ?, ?)');
  for (const [source, ts] of table) put.run(id, source, JSON.stringify(ts.map((t) => [t.target, t.p])));
  const putChannel = db.prepare('INSERT INTO bridge_channel (bridge_id, source, targets) VALUES (?, ?, ?)');
  for (const [source, ts] of channel ?? []) putChannel.run(id, source, JSON.stringify([...ts]));
  db.prepare("UPDATE bridges SET state = 'ready', entries = ?, lengths = ?, marks = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?").run(table.size, lengths && JSON.stringify(lengths), marks && JSON.stringify(marks), id);
  db.prepare('DELETE FROM bridge_checkpoints WHERE bridge_id = ?').run(id);
}

const models = new WeakMap<Database.Database, Map<number, { updatedAt: string; model: BridgeModel }>>();

/** A ready bridge's model, cached per connection until the bridge is written again. */
export function loadBridge(db: Database.Database, name: string): { info: BridgeInfo; model: BridgeModel } {
  const b = getBridge(db, name);
  if (b.state !== 'ready') {
    throw new PontError('unavailable', 'bridge.still_training', { name }, [{ field: 'bridge', reason: 'training not finished' }]);
  }
  let perDb = models.get(db);
  if (!perDb) models.set(db, (perDb = new Map()));
  const hit = perDb.get(b.id);
  if (hit && hit.updatedAt === b.updatedAt) return { info: b, model: hit.model };
  const model = new BridgeModel(readTable(db, b.id), undefined, b.lengths, readChannel(db, b.id), b.marks);
  perDb.set(b.id, { updatedAt: b.updatedAt, model });
  return { info: b, model };
}
