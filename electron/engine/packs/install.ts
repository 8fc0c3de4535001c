import { closeSync, existsSync, mkdirSync, openSync, readdirSync, renameSync, rmdirSync, rmSync, statSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { PontError, type ErrorDetail } from '../errors.ts';
import { ProgressMeter, throwIfCancelled, noJob, type JobContext } from '../jobs/progress.ts';
import type { Workspace } from '../store/workspace.ts';
import { itemKind } from './kinds/index.ts';
import type { StagedPart } from './kinds/kind.ts';
import type { PackManifest } from './manifest.ts';
import { openPack, refuseBadSignature, signatureStatus, streamPart, totalBytes, type OpenPack, type SignatureStatus } from './read.ts';
import { loadPublicKey } from './signing.ts';
import { findInstalled, ownerOf, removeItems, trustedKeys, trustKey } from './store.ts';

export interface InstallOptions {
  /** Replace a pack of the same name and any item whose name clashes. */
  replace?: boolean;
  /** Replace a pack of the same name only (a newer version of it); other clashes stay conflicts. */
  upgrade?: boolean;
  /** Public key files to trust (and remember) for this installation. */
  trust?: string[];
  /** Install an unsigned pack, or one signed by an unknown key, in a workspace that trusts some keys. */
  allowUntrusted?: boolean;
  /** Remember the key that signed this pack as trusted (packs shipped inside the application). */
  trustSigner?: boolean;
  /** What to record as the pack's source (default: its path). */
  source?: string;
}

export interface InstallReport {
  pack: string;
  title: string;
  sha256: string;
  alreadyInstalled: boolean;
  installed: { kind: string; name: string }[];
  replaced: { kind: string; name: string }[];
  signature: SignatureStatus;
  /** Parts found already staged by an interrupted installation. */
  resumedParts: number;
  defaults: PackManifest['defaults'];
  seconds: number;
}

const stagingDir = (ws: Workspace, sha: string) => join(ws.dir, 'staging', `pack-${sha.slice(0, 16)}`);

function removeStaging(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  try {
    // The staging folder is ours; the workspace is left as it was when nothing else is staged.
    rmdirSync(join(dir, '..'));
  } catch {
    // Another installation's parts are still there.
  }
}

/** Decides whether this pack may be installed here, by its signature and the keys the workspace trusts. */
function checkTrust(ws: Workspace, pack: OpenPack, o: InstallOptions): { status: SignatureStatus; keys: { keyId: string; pem: string }[] } {
  refuseBadSignature(pack);
  const keys = (o.trust ?? []).map(loadPublicKey);
  const known = trustedKeys(ws.db);
  const trusted = new Set([...known, ...keys.map((k) => k.keyId)]);
  const status = signatureStatus(pack, trusted);
  if (trusted.size > 0 && !status.trusted && !o.allowUntrusted) {
    throw new PontError('bad_data', status.state === 'unsigned' ? 'pack.unsigned' : 'pack.untrusted', { file: pack.file, key: status.state === 'unsigned' ? '' : String(status.keyId) }, [
      { file: pack.file, field: 'manifest.sig', reason: status.state === 'unsigned' ? 'unsigned' : `untrusted key ${status.keyId}` },
    ]);
  }
  return { status, keys };
}

/** Items that are already in the workspace under the same name, and items' needs that nothing provides. */
function checkClashes(ws: Workspace, m: PackManifest, o: InstallOptions): { kind: string; name: string }[] {
  const clashes: ErrorDetail[] = [];
  const toRemove: { kind: string; name: string }[] = [];
  for (const item of m.items) {
    const kind = itemKind(item.kind, `items.${item.name}.kind`);
    if (!kind.exists(ws.db, item.name)) continue;
    const owner = ownerOf(ws.db, item.kind, item.name);
    if (o.replace || ((o.upgrade ?? false) && owner === m.name)) toRemove.push({ kind: item.kind, name: item.name });
    else clashes.push({ field: item.kind, reason: `${item.kind} ${item.name} already exists${owner ? ` (from pack ${owner})` : ''}` });
  }
  if (clashes.length > 0) {
    throw new PontError('conflict', 'pack.clashes', { count: clashes.length, name: m.name }, clashes);
  }
  const inPack = new Set(m.items.map((i) => `${i.kind}\0${i.name}`));
  const missing: ErrorDetail[] = [];
  for (const item of m.items) {
    for (const need of itemKind(item.kind).needs?.(item) ?? []) {
      if (!inPack.has(`${need.kind}\0${need.name}`) && !itemKind(need.kind).exists(ws.db, need.name)) {
        missing.push({ field: `${item.kind} ${item.name}`, reason: `needs ${need.kind} ${need.name}, which is neither in the pack nor in this workspace` });
      }
    }
  }
  if (missing.length > 0) throw new PontError('not_found', 'pack.needs_items', { name: m.name }, missing);
  return toRemove;
}

/**
 * Verifies every part against the manifest while copying it into a staging database (SQLite parts) or folder
 * (files) beside the workspace. Each part is recorded as staged in the same transaction as its copy, so an
 * interrupted installation resumes with the parts it has; nothing here touches the workspace's database.
 */
async function stage(dir: string, pack: OpenPack, ctx: JobContext): Promise<{ staged: Map<string, StagedPart>; resumed: number }> {
  mkdirSync(dir, { recursive: true });
  const sdb = new Database(join(dir, 'stage.sqlite'));
  try {
    sdb.pragma('synchronous = NORMAL');
    sdb.exec('CREATE TABLE IF NOT EXISTS staged (path TEXT PRIMARY KEY, sha256 TEXT NOT NULL)');
    const done = new Map(sdb.prepare('SELECT path, sha256 FROM staged').all().map((r) => [(r as { path: string }).path, (r as { sha256: string }).sha256]));
    const meter = new ProgressMeter(ctx.progress);
    const total = totalBytes(pack.manifest);
    let bytes = 0;
    let resumed = 0;
    const staged = new Map<string, StagedPart>();
    let n = 0;
    const partCount = pack.manifest.items.reduce((a, i) => a + i.parts.length, 0);
    for (const item of pack.manifest.items) {
      for (const part of item.parts) {
        n++;
        const tables = `stage.p${n}_`;
        const file = join(dir, part.format === 'sqlite' ? `${n}.sqlite` : `${n}.bin`);
        if (done.get(part.path) === part.sha256 && (part.format === 'sqlite' || existsSync(file))) {
          resumed++;
          bytes += part.bytes;
          staged.set(part.path, { part, file, tables });
          continue;
        }
        throwIfCancelled(ctx.signal, 'the pack installation');
        const tmp = `${file}.tmp`;
        const fd = openSync(tmp, 'w');
        try {
          await streamPart(pack, part, ctx, (chunk) => writeSync(fd, chunk), (k) => {
            bytes += k;
            meter.update({ phase: 'checking', done: staged.size, total: partCount, unit: 'parts', bytesDone: bytes, bytesTotal: total });
          });
        } finally {
          closeSync(fd);
        }
        if (part.format === 'file') {
          renameSync(tmp, file);
          sdb.prepare('INSERT OR REPLACE INTO staged (path, sha256) VALUES (?, ?)').run(part.path, part.sha256);
        } else {
          try {
            sdb.prepare('ATTACH ? AS part').run(tmp);
          } catch (e) {
            throw new PontError('bad_data', 'pack.part_not_sqlite', { file: pack.file, part: part.path, kind: item.kind, name: item.name, reason: (e as Error).message }, [{ file: pack.file, field: part.path, reason: 'not SQLite' }]);
          }
          try {
            sdb.transaction(() => {
              const names = sdb.prepare("SELECT name FROM part.sqlite_master WHERE type = 'table'").pluck().all() as string[];
              for (const t of names) {
                if (!/^[a-z_]+$/.test(t)) throw new PontError('bad_data', 'pack.part_unexpected_table', { file: pack.file, part: part.path, table: t }, [{ file: pack.file, field: part.path, reason: `table ${t}` }]);
                sdb.exec(`DROP TABLE IF EXISTS p${n}_${t}; CREATE TABLE p${n}_${t} AS SELECT * FROM part.${t}`);
              }
              sdb.prepare('INSERT OR REPLACE INTO staged (path, sha256) VALUES (?, ?)').run(part.path, part.sha256);
            })();
          } catch (e) {
            if (e instanceof PontError) throw e;
            throw new PontError('bad_data', 'pack.part_unreadable', { file: pack.file, part: part.path, kind: item.kind, name: item.name, reason: (e as Error).message }, [{ file: pack.file, field: part.path, reason: (e as Error).message }]);
          } finally {
            sdb.exec('DETACH part');
            rmSync(tmp, { force: true });
          }
        }
        staged.set(part.path, { part, file, tables });
        // Forced: `done` counts the parts committed to the staging database, which an interrupted run keeps.
        meter.update({ phase: 'checking', done: staged.size, total: partCount, unit: 'parts', bytesDone: bytes, bytesTotal: total }, true);
      }
    }
    return { staged, resumed };
  } finally {
    sdb.close();
  }
}

/**
 * Installs a pack: checks its signature and the workspace's trust, refuses name clashes (unless replacing),
 * verifies and stages every part, then copies everything into the workspace in one transaction. A damaged or
 * tampered part is named and nothing of the workspace changes; an interrupted installation resumes.
 */
export async function installPack(ws: Workspace, file: string, o: InstallOptions, ctx: JobContext): Promise<InstallReport> {
  const started = performance.now();
  const pack = openPack(resolve(file));
  try {
    const m = pack.manifest;
    const { status, keys } = checkTrust(ws, pack, o);
    const dir = stagingDir(ws, pack.sha256);
    const base = { pack: m.name, title: m.title, sha256: pack.sha256, signature: status, defaults: m.defaults };
    const existing = findInstalled(ws.db, m.name);
    if (existing?.sha256 === pack.sha256) {
      removeStaging(dir);
      return { ...base, alreadyInstalled: true, installed: [], replaced: [], resumedParts: 0, seconds: (performance.now() - started) / 1000 };
    }
    if (existing && !o.replace && !o.upgrade) {
      throw new PontError('conflict', 'pack.installed', { name: m.name }, [{ field: 'name', reason: `pack ${m.name} exists` }]);
    }
    const toRemove = checkClashes(ws, m, o);
    let staged: Awaited<ReturnType<typeof stage>>;
    try {
      staged = await stage(dir, pack, ctx);
    } catch (e) {
      // A damaged part: the staged copies of this pack are useless, and the workspace is left as it was.
      if (e instanceof PontError && e.code === 'bad_data') removeStaging(dir);
      throw e;
    }
    throwIfCancelled(ctx.signal, 'the pack installation');
    ctx.progress({ phase: 'installing', done: 0, total: m.items.length, unit: 'items' });
    const db = ws.db;
    db.prepare('ATTACH ? AS stage').run(join(dir, 'stage.sqlite'));
    let replaced: { kind: string; name: string }[] = [];
    try {
      db.transaction(() => {
        if (existing) replaced = removeItems(ws, existing.name);
        for (const r of toRemove) {
          // Removing a collection takes its query sets with it.
          if (itemKind(r.kind).exists(db, r.name)) itemKind(r.kind).remove(ws, r.name);
          db.prepare('DELETE FROM pack_items WHERE kind = ? AND name = ?').run(r.kind, r.name);
          replaced.push(r);
        }
        const ordered = [...m.items].sort((a, b) => itemKind(a.kind).order - itemKind(b.kind).order);
        for (const item of ordered) itemKind(item.kind).install(ws, item, item.parts.map((p) => staged.staged.get(p.path)!));
        db.prepare('INSERT INTO packs (name, title, sha256, manifest, signer, source) VALUES (?, ?, ?, ?, ?, ?)').run(
          m.name,
          m.title,
          pack.sha256,
          JSON.stringify(m),
          status.state === 'valid' ? status.keyId : null,
          o.source ?? pack.file,
        );
        const insItem = db.prepare('INSERT INTO pack_items (pack, kind, name) VALUES (?, ?, ?)');
        for (const item of m.items) insItem.run(m.name, item.kind, item.name);
        for (const k of keys) trustKey(db, k);
        if (o.trustSigner && status.state === 'valid') trustKey(db, { keyId: status.keyId!, pem: pack.signature!.publicKey, label: m.title });
      })();
    } catch (e) {
      // Model files moved into place by a rolled-back transaction belong to no model: take them away again.
      for (const item of m.items) if (item.kind === 'model' && !itemKind('model').exists(db, item.name)) itemKind('model').remove(ws, item.name);
      throw e;
    } finally {
      db.exec('DETACH stage');
    }
    removeStaging(dir);
    ctx.progress({ phase: 'done', done: m.items.length, total: m.items.length, unit: 'items' });
    return {
      ...base,
      alreadyInstalled: false,
      installed: m.items.map((i) => ({ kind: i.kind, name: i.name })),
      replaced,
      resumedParts: staged.resumed,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    pack.close();
  }
}

export const PACK_EXTENSION = '.pontpack';

/** Where `pont serve` and `npm start` find the packs shipped with the sources; a packaged app passes its resources path. */
export const DEFAULT_PACKS_DIR = fileURLToPath(new URL('../../../resources/packs/', import.meta.url));

/** The pack files a path names: the file itself, or every pack in a folder (a USB stick, a shared folder), sorted. */
export function packFiles(path: string): string[] {
  const abs = resolve(path);
  if (!existsSync(abs)) throw new PontError('not_found', 'path.missing', { path: abs }, [{ file: abs, reason: 'does not exist' }]);
  if (!statSync(abs).isDirectory()) return [abs];
  const files = readdirSync(abs, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith(PACK_EXTENSION)).sort().map((f) => join(abs, f));
  if (files.length === 0) throw new PontError('not_found', 'pack.none_in_folder', { folder: abs, extension: PACK_EXTENSION }, [{ file: abs, reason: 'no pack' }]);
  return files;
}

export interface BundledReport {
  dir: string;
  installed: InstallReport[];
  skipped: string[];
  failed: { file: string; error: string }[];
}

/**
 * Installs the packs shipped in the application's resources/packs folder, once each: a pack already installed (or
 * removed by the user after its first installation) is skipped, a newer version of one replaces it. The signer of
 * a shipped pack becomes a trusted key, since the partner's installer brought both. Never throws: the application
 * must start even when a shipped pack is broken.
 */
export async function installBundledPacks(ws: Workspace, dir: string, ctx: JobContext = noJob): Promise<BundledReport> {
  const report: BundledReport = { dir, installed: [], skipped: [], failed: [] };
  if (!existsSync(dir)) return report;
  const seen = new Set(JSON.parse((ws.db.prepare("SELECT value FROM workspace_meta WHERE key = 'packs.bundled'").pluck().get() as string | undefined) ?? '[]') as string[]);
  const files = readdirSync(dir).filter((f) => f.endsWith(PACK_EXTENSION)).sort();
  for (const f of files) {
    const file = join(dir, f);
    try {
      let sha: string;
      const pack = openPack(file);
      try {
        sha = pack.sha256;
      } finally {
        pack.close();
      }
      if (seen.has(sha)) {
        report.skipped.push(file);
        continue;
      }
      const r = await installPack(ws, file, { upgrade: true, allowUntrusted: true, trustSigner: true, source: `bundled:${f}` }, ctx);
      seen.add(sha);
      ws.db
        .prepare("INSERT INTO workspace_meta (key, value) VALUES ('packs.bundled', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        .run(JSON.stringify([...seen]));
      report.installed.push(r);
    } catch (e) {
      report.failed.push({ file, error: (e as Error).message });
    }
  }
  return report;
}
