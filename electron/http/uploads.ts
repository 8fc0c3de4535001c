import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, normalize, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { PontError } from '../engine/errors.ts';

/**
 * Files a browser sends for import. A browser cannot hand over a path, so the HTTP server streams the upload into a
 * private temporary folder and the import then reads it from there like any local file. A folder upload is a batch
 * of files sharing one batch id, each with its path relative to the folder.
 */
export class UploadStore {
  readonly root: string;
  private batches = new Set<string>();

  constructor() {
    this.root = mkdtempSync(join(tmpdir(), 'pont-uploads-'));
  }

  private relativePath(raw: string, field: string): string {
    const rel = normalize(raw).replace(/^([/\\])+/, '');
    if (!raw || isAbsolute(raw) || rel.split(sep).includes('..') || rel.includes('\0')) {
      throw new PontError('invalid_input', 'upload.bad_path', { field, value: raw }, [{ field, reason: 'must be a relative path inside the upload' }]);
    }
    return rel;
  }

  /** Stores one uploaded file; returns the path of the file and of its batch folder. */
  async receive(req: IncomingMessage, params: URLSearchParams): Promise<{ path: string; folder: string; bytes: number }> {
    const batch = params.get('batch') ?? '';
    if (!/^[A-Za-z0-9_-]{8,64}$/.test(batch)) {
      throw new PontError('invalid_input', 'upload.bad_batch', {}, [{ field: 'batch', reason: 'missing or malformed' }]);
    }
    const rel = this.relativePath(params.get('name') ?? '', 'name');
    const folder = join(this.root, batch);
    const file = join(folder, rel);
    mkdirSync(dirname(file), { recursive: true });
    this.batches.add(batch);
    let bytes = 0;
    req.on('data', (chunk: Buffer) => (bytes += chunk.length));
    await pipeline(req, createWriteStream(file));
    return { path: file, folder, bytes };
  }

  close(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
