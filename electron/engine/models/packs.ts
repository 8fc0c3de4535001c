import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type Database from 'better-sqlite3';
import { PontError } from '../errors.ts';
import { CancelledError, ProgressMeter, throwIfCancelled, type JobContext } from '../jobs/progress.ts';
import type { Workspace } from '../store/workspace.ts';
import { inferManifest } from './infer.ts';
import type { ModelManifest, ModelOverrides } from './manifest.ts';

/** Metadata files of the Hugging Face layout that travel with a pack when present. */
const metadataFiles = [
  'config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'sentence_bert_config.json',
  'config_sentence_transformers.json',
  'modules.json',
  '1_Pooling/config.json',
  'pont-tokenizer.json',
  'pont-training.json',
  'README.md',
  'LICENSE',
];

/** Model packs live in the workspace, so a pack imported from a USB stick keeps working once the stick is gone. */
export function modelsDir(ws: Workspace): string {
  return join(ws.dir, 'models');
}

export function packDir(ws: Workspace, name: string): string {
  return join(modelsDir(ws), name);
}

/** The files a manifest needs: its ONNX variants with their external-data files, and the metadata present. */
function packFiles(src: string, m: Omit<ModelManifest, 'checksum' | 'files' | 'name'>): string[] {
  const onnx = [...Object.values(m.onnx), ...Object.values(m.decoder ?? {})];
  const out = new Set<string>();
  for (const rel of onnx) {
    out.add(rel);
    // Models over 2 GB keep their weights beside the graph (model.onnx_data or model.onnx.data).
    for (const ext of ['_data', '.data']) if (existsSync(join(src, rel + ext))) out.add(rel + ext);
  }
  for (const f of metadataFiles) if (existsSync(join(src, f))) out.add(f);
  return [...out].sort();
}

async function copyHashed(src: string, dst: string, hash: Hash, onBytes: (n: number) => void, signal: AbortSignal): Promise<void> {
  mkdirSync(dirname(dst), { recursive: true });
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      onBytes(chunk.length);
      done(null, chunk);
    },
  });
  await pipeline(createReadStream(src), tap, createWriteStream(dst), { signal });
}

export interface ImportResult {
  manifest: ModelManifest;
  seconds: number;
}

/**
 * Imports a model pack: infers and checks the manifest (every mismatch is an error before anything is copied),
 * copies the files into a temporary folder with their checksum, then renames it into place and records the
 * manifest, so a crash or a cancel leaves no half pack behind.
 */
export async function importPack(ws: Workspace, source: string, name: string, overrides: ModelOverrides, ctx: JobContext): Promise<ImportResult> {
  const started = performance.now();
  const src = resolve(source);
  if (ws.db.prepare('SELECT 1 FROM models WHERE name = ?').get(name)) {
    throw new PontError('conflict', 'model.exists', { model: name }, [{ field: 'name', reason: 'exists' }]);
  }
  ctx.progress({ phase: 'checking', done: 0, unit: 'files' });
  const { manifest: inferred } = inferManifest(src, overrides);
  const files = packFiles(src, inferred);
  const sizes = files.map((f) => statSync(join(src, f)).size);
  const total = sizes.reduce((a, b) => a + b, 0);
  const final = packDir(ws, name);
  const tmp = `${final}.partial`;
  rmSync(tmp, { recursive: true, force: true });
  const hash = createHash('sha256');
  const meter = new ProgressMeter(ctx.progress);
  let bytes = 0;
  try {
    for (const [i, f] of files.entries()) {
      throwIfCancelled(ctx.signal, 'the model import');
      hash.update(`${f}\0${sizes[i]}\0`);
      await copyHashed(join(src, f), join(tmp, f), hash, (n) => {
        bytes += n;
        meter.update({ phase: 'copying', done: i, total: files.length, unit: 'files', bytesDone: bytes, bytesTotal: total });
      }, ctx.signal);
    }
    const manifest: ModelManifest = { ...inferred, name, checksum: hash.digest('hex'), files: files.map((path, i) => ({ path, bytes: sizes[i]! })) };
    rmSync(final, { recursive: true, force: true });
    renameSync(tmp, final);
    ws.db
      .prepare('INSERT INTO models (name, role, manifest, checksum, bytes) VALUES (?, ?, ?, ?, ?)')
      .run(name, manifest.role, JSON.stringify(manifest), manifest.checksum, total);
    meter.update({ phase: 'done', done: files.length, total: files.length, unit: 'files', bytesDone: total, bytesTotal: total }, true);
    return { manifest, seconds: (performance.now() - started) / 1000 };
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    if ((e as Error).name === 'AbortError') throw new CancelledError('the model import');
    throw e;
  }
}

export interface ModelRow {
  name: string;
  role: string;
  manifest: string;
  checksum: string;
  bytes: number;
  imported_at: string;
}

export function listPacks(db: Database.Database): (ModelManifest & { bytes: number; importedAt: string })[] {
  return (db.prepare('SELECT * FROM models ORDER BY name').all() as ModelRow[]).map((r) => ({
    ...(JSON.parse(r.manifest) as ModelManifest),
    bytes: r.bytes,
    importedAt: r.imported_at,
  }));
}

export function getPack(ws: Workspace, name: string): { manifest: ModelManifest; dir: string; bytes: number; importedAt: string } {
  const row = ws.db.prepare('SELECT * FROM models WHERE name = ?').get(name) as ModelRow | undefined;
  if (!row) {
    const known = (ws.db.prepare('SELECT name FROM models ORDER BY name').pluck().all() as string[]).join(', ') || 'none';
    throw new PontError('not_found', 'model.missing', { model: name, known }, [{ field: 'model', reason: 'not found' }]);
  }
  return { manifest: JSON.parse(row.manifest) as ModelManifest, dir: packDir(ws, name), bytes: row.bytes, importedAt: row.imported_at };
}

/** Recomputes the checksum of a pack's files as stored, to tell a damaged copy from a good one. */
export async function verifyPack(ws: Workspace, name: string): Promise<boolean> {
  const { manifest, dir } = getPack(ws, name);
  const hash = createHash('sha256');
  for (const f of manifest.files) {
    const file = join(dir, f.path);
    if (!existsSync(file) || statSync(file).size !== f.bytes) return false;
    hash.update(`${f.path}\0${f.bytes}\0`);
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  }
  return hash.digest('hex') === manifest.checksum;
}

export function deletePack(ws: Workspace, name: string): { deleted: string; bytes: number } {
  const { bytes } = getPack(ws, name);
  ws.db.prepare('DELETE FROM models WHERE name = ?').run(name);
  rmSync(packDir(ws, name), { recursive: true, force: true });
  return { deleted: name, bytes };
}

export function getSetting(db: Database.Database, key: string): string | undefined {
  return db.prepare('SELECT value FROM model_settings WHERE key = ?').pluck().get(key) as string | undefined;
}

export function setSetting(db: Database.Database, key: string, value: string): void {
  db.prepare('INSERT INTO model_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
}
