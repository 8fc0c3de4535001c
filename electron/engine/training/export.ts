import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { PontError } from '../errors.ts';
import { getPack } from '../models/packs.ts';
import type { Workspace } from '../store/workspace.ts';

/**
 * Writes a model pack out of the workspace as the folder `pont model import` reads on another machine: the files
 * recorded at import, byte for byte (their checksum is the manifest's).
 */
export function exportPack(ws: Workspace, name: string, target: string): { dir: string; files: string[]; bytes: number; checksum: string } {
  const { manifest, dir } = getPack(ws, name);
  const out = resolve(target);
  if (existsSync(out) && readdirSync(out).length > 0) {
    throw new PontError('conflict', 'export.folder_not_empty', { folder: out }, [{ file: out, reason: 'not empty' }]);
  }
  for (const f of manifest.files) {
    mkdirSync(dirname(join(out, f.path)), { recursive: true });
    copyFileSync(join(dir, f.path), join(out, f.path));
  }
  return { dir: out, files: manifest.files.map((f) => f.path), bytes: manifest.files.reduce((a, f) => a + f.bytes, 0), checksum: manifest.checksum };
}
