import type Database from 'better-sqlite3';
import { PontError } from '../errors.ts';
import type { Workspace } from '../store/workspace.ts';
import { itemKind, itemKinds } from './kinds/index.ts';
import type { PackManifest } from './manifest.ts';

/** Installed packs, what each installed, and the signing keys the workspace trusts. */

export interface InstalledPack {
  name: string;
  title: string;
  sha256: string;
  signer: string | null;
  source: string;
  installedAt: string;
  licence?: string;
  defaults: PackManifest['defaults'];
  items: { kind: string; name: string; title: string; licence?: string }[];
}

interface PackRow {
  name: string;
  title: string;
  sha256: string;
  manifest: string;
  signer: string | null;
  source: string;
  installed_at: string;
}

function toInstalled(r: PackRow): InstalledPack {
  const m = JSON.parse(r.manifest) as PackManifest;
  return {
    name: r.name,
    title: r.title,
    sha256: r.sha256,
    signer: r.signer,
    source: r.source,
    installedAt: r.installed_at,
    ...(m.licence ? { licence: m.licence } : {}),
    defaults: m.defaults,
    items: m.items.map((i) => ({ kind: i.kind, name: i.name, title: i.title, ...(i.licence ? { licence: i.licence } : {}) })),
  };
}

export function listInstalled(db: Database.Database): InstalledPack[] {
  return (db.prepare('SELECT * FROM packs ORDER BY name').all() as PackRow[]).map(toInstalled);
}

export function findInstalled(db: Database.Database, name: string): InstalledPack | undefined {
  const r = db.prepare('SELECT * FROM packs WHERE name = ?').get(name) as PackRow | undefined;
  return r ? toInstalled(r) : undefined;
}

/** The pack that installed an item, if a pack did. */
export function ownerOf(db: Database.Database, kind: string, name: string): string | undefined {
  return db.prepare('SELECT pack FROM pack_items WHERE kind = ? AND name = ?').pluck().get(kind, name) as string | undefined;
}

/** Removes a pack's items that are still there, then the pack; the caller holds the transaction. */
export function removeItems(ws: Workspace, pack: string): { kind: string; name: string }[] {
  const items = ws.db.prepare('SELECT kind, name FROM pack_items WHERE pack = ?').all(pack) as { kind: string; name: string }[];
  const order = (k: string) => itemKinds.find((x) => x.kind === k)?.order ?? 0;
  items.sort((a, b) => order(b.kind) - order(a.kind));
  const removed = [];
  for (const it of items) {
    const kind = itemKind(it.kind);
    if (kind.exists(ws.db, it.name)) {
      kind.remove(ws, it.name);
      removed.push(it);
    }
  }
  ws.db.prepare('DELETE FROM packs WHERE name = ?').run(pack);
  return removed;
}

export function removeInstalled(ws: Workspace, name: string): { removed: string; items: { kind: string; name: string }[] } {
  if (!findInstalled(ws.db, name)) {
    const known = (ws.db.prepare('SELECT name FROM packs ORDER BY name').pluck().all() as string[]).join(', ') || 'none';
    throw new PontError('not_found', 'pack.missing', { name, known }, [{ field: 'name', reason: 'not installed' }]);
  }
  const items = ws.db.transaction(() => removeItems(ws, name))();
  return { removed: name, items };
}

export function trustedKeys(db: Database.Database): Set<string> {
  return new Set(db.prepare('SELECT key_id FROM pack_keys').pluck().all() as string[]);
}

export function trustKey(db: Database.Database, key: { keyId: string; pem: string; label?: string }): void {
  db.prepare('INSERT INTO pack_keys (key_id, public_key, label) VALUES (?, ?, ?) ON CONFLICT (key_id) DO NOTHING').run(key.keyId, key.pem, key.label ?? '');
}

/**
 * The interface language and variety chosen by the most recently installed pack that names them. Read from the
 * installed packs' manifests rather than stored apart, so that removing the pack takes its choice away with it.
 */
export function packDefaults(db: Database.Database): { language?: string; variety?: string } {
  const manifests = db.prepare('SELECT manifest FROM packs ORDER BY installed_at DESC, rowid DESC').pluck().all() as string[];
  let language: string | undefined;
  let variety: string | undefined;
  for (const text of manifests) {
    const d = (JSON.parse(text) as { defaults?: { language?: string; variety?: string } }).defaults ?? {};
    language ??= d.language;
    variety ??= d.variety;
  }
  return { ...(language ? { language } : {}), ...(variety ? { variety } : {}) };
}
