import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, join, resolve } from 'node:path';
import pkg from '../../../package.json' with { type: 'json' };
import { PontError } from '../errors.ts';
import { throwIfCancelled, type JobContext } from '../jobs/progress.ts';
import type { Workspace } from '../store/workspace.ts';
import { itemKind } from './kinds/index.ts';
import { PACK_FORMAT, PACK_VERSION, type PackItem, type PackManifest } from './manifest.ts';
import { MANIFEST, SIGNATURE } from './read.ts';
import { loadPrivateKey, signManifest } from './signing.ts';
import { TarWriter } from './tar.ts';

export interface PackItemChoice {
  kind: string;
  name: string;
  title?: string | undefined;
  licence?: string | undefined;
}

export interface BuildPackOptions {
  output: string;
  /** The pack's name in a workspace (default: the output file's name). */
  name?: string | undefined;
  title?: string | undefined;
  licence?: string | undefined;
  description?: string | undefined;
  items: PackItemChoice[];
  defaults?: { language?: string | undefined; variety?: string | undefined } | undefined;
  /** Private key file (PEM, Ed25519) to sign the manifest with. */
  sign?: string | undefined;
}

export interface BuildPackReport {
  file: string;
  name: string;
  sha256: string;
  bytes: number;
  items: { kind: string; name: string; parts: number; bytes: number }[];
  signedBy?: string;
  seconds: number;
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

const defined = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/**
 * Writes a pack: each item's kind exports its parts into a temporary folder, every part is hashed into the
 * manifest, the manifest is signed when a key is given, and the tar is written beside the output and renamed into
 * place, so a failed build never leaves a pack that looks whole.
 */
export async function buildPack(ws: Workspace, o: BuildPackOptions, ctx: JobContext): Promise<BuildPackReport> {
  const started = performance.now();
  if (o.items.length === 0) {
    throw new PontError('invalid_input', 'pack.empty', {}, [{ field: 'items', reason: 'empty' }]);
  }
  const key = o.sign ? loadPrivateKey(o.sign) : undefined;
  const output = resolve(o.output);
  const name = o.name ?? basename(output, extname(output));
  const tmp = mkdtempSync(join(tmpdir(), 'pont-pack-'));
  try {
    const items: PackItem[] = [];
    const files: { path: string; file: string }[] = [];
    for (const [i, choice] of o.items.entries()) {
      throwIfCancelled(ctx.signal, 'the pack build');
      ctx.progress({ phase: `exporting ${choice.kind} ${choice.name}`, done: i, total: o.items.length, unit: 'items' });
      const kind = itemKind(choice.kind, 'items');
      const exported = await kind.export(ws, choice.name, tmp);
      const parts = [];
      for (const p of exported.parts) {
        const path = `parts/${String(files.length + 1).padStart(3, '0')}-${kind.kind}${p.format === 'sqlite' ? '.sqlite' : '.bin'}`;
        files.push({ path, file: p.file });
        parts.push(defined({ path, format: p.format, sha256: await sha256File(p.file), bytes: statSync(p.file).size, target: p.target }));
      }
      items.push(defined({ kind: kind.kind, name: exported.name, title: choice.title ?? exported.title, licence: choice.licence ?? o.licence, meta: exported.meta, parts }));
    }
    const manifest: PackManifest = defined({
      format: PACK_FORMAT,
      version: PACK_VERSION,
      name,
      title: o.title ?? name,
      licence: o.licence,
      description: o.description,
      defaults: defined({ language: o.defaults?.language, variety: o.defaults?.variety }),
      created: new Date().toISOString(),
      software: `Pont ${pkg.version}`,
      items,
    });
    const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
    const partial = `${output}.partial`;
    const tar = new TarWriter(partial);
    try {
      tar.add(MANIFEST, manifestBytes);
      const signature = key ? signManifest(manifestBytes, key) : undefined;
      if (signature) tar.add(SIGNATURE, Buffer.from(`${JSON.stringify(signature, null, 2)}\n`));
      for (const [i, f] of files.entries()) {
        throwIfCancelled(ctx.signal, 'the pack build');
        ctx.progress({ phase: 'writing', done: i, total: files.length, unit: 'parts' });
        tar.addFile(f.path, f.file, statSync(f.file).size);
      }
      tar.close();
      renameSync(partial, output);
      return {
        file: output,
        name,
        sha256: createHash('sha256').update(manifestBytes).digest('hex'),
        bytes: statSync(output).size,
        items: items.map((it) => ({ kind: it.kind, name: it.name, parts: it.parts.length, bytes: it.parts.reduce((a, p) => a + p.bytes, 0) })),
        ...(signature ? { signedBy: signature.keyId } : {}),
        seconds: (performance.now() - started) / 1000,
      };
    } catch (e) {
      rmSync(partial, { force: true });
      throw e;
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
