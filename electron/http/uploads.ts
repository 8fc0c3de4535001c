import { createWriteStream, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, unlinkSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, normalize, sep } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileErrorReason, PontError } from '../engine/errors.ts';
import { processIsAlive } from '../engine/jobs/process.ts';

/** Room for a large collection file; `pont serve --max-upload-mb` sets another limit. */
export const DEFAULT_MAX_UPLOAD_BYTES = 4 * 2 ** 30;

const PREFIX = 'pont-uploads-';
/** A folder of the form without the owner's process id (older versions) is left a day before it counts as stale. */
const LEGACY_STALE_MS = 24 * 3600 * 1000;

/**
 * Removes the upload folders that servers killed without their clean-up (kill -9, power loss) left in the temporary
 * folder: each folder's name holds the id of the process that owns it, so one whose process is gone is stale.
 */
export function removeStaleUploads(dir = tmpdir()): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!name.startsWith(PREFIX)) continue;
    const pid = /^pont-uploads-(\d+)-/.exec(name)?.[1];
    const path = join(dir, name);
    try {
      const stale = pid !== undefined ? Number(pid) !== process.pid && !processIsAlive(Number(pid)) : Date.now() - statSync(path).mtimeMs > LEGACY_STALE_MS;
      if (!stale) continue;
      rmSync(path, { recursive: true, force: true });
      removed.push(path);
    } catch {
      // Another user's folder, or one removed meanwhile: not ours to clean.
    }
  }
  return removed;
}

/**
 * Files a browser sends for import. A browser cannot hand over a path, so the HTTP server streams the upload into a
 * private temporary folder and the import then reads it from there like any local file. A folder upload is a batch
 * of files sharing one batch id, each with its path relative to the folder; a batch may hold at most `maxBytes`.
 */
export class UploadStore {
  readonly root: string;
  readonly maxBytes: number;
  private readonly batchBytes = new Map<string, number>();

  constructor(maxBytes = DEFAULT_MAX_UPLOAD_BYTES) {
    removeStaleUploads();
    this.maxBytes = maxBytes;
    this.root = mkdtempSync(join(tmpdir(), `${PREFIX}${process.pid}-`));
  }

  private relativePath(raw: string, field: string): string {
    const rel = normalize(raw).replace(/^([/\\])+/, '');
    if (!raw || isAbsolute(raw) || rel.split(sep).includes('..') || rel.includes('\0')) {
      throw new PontError('invalid_input', 'upload.bad_path', { field, value: raw }, [{ field, reason: 'must be a relative path inside the upload' }]);
    }
    return rel;
  }

  private tooLarge(): PontError {
    const mib = Math.round(this.maxBytes / 2 ** 20);
    return new PontError('too_large', 'upload.too_large', { mib }, [{ field: 'upload', reason: `more than ${mib} MiB` }]);
  }

  /** Stores one uploaded file; returns the path of the file and of its batch folder. */
  async receive(req: IncomingMessage, params: URLSearchParams): Promise<{ path: string; folder: string; bytes: number }> {
    const batch = params.get('batch') ?? '';
    if (!/^[A-Za-z0-9_-]{8,64}$/.test(batch)) {
      throw new PontError('invalid_input', 'upload.bad_batch', {}, [{ field: 'batch', reason: 'missing or malformed' }]);
    }
    const rel = this.relativePath(params.get('name') ?? '', 'name');
    const used = () => this.batchBytes.get(batch) ?? 0;
    // Refuse at once what announces its size; count the bytes of what does not (files of a batch may come at once).
    if (used() + Number(req.headers['content-length'] ?? 0) > this.maxBytes) throw this.tooLarge();
    const folder = join(this.root, batch);
    const file = join(folder, rel);
    mkdirSync(dirname(file), { recursive: true });
    let bytes = 0;
    let over = false;
    // Past the limit the rest is read and dropped rather than the request cut: the client then gets the answer.
    const limit = new Transform({
      transform: (chunk: Buffer, _enc, done) => {
        over ||= used() + chunk.length > this.maxBytes;
        if (over) return done();
        bytes += chunk.length;
        this.batchBytes.set(batch, used() + chunk.length);
        done(null, chunk);
      },
    });
    const remove = () => {
      this.batchBytes.set(batch, used() - bytes);
      try {
        unlinkSync(file);
      } catch {
        // Nothing was written.
      }
    };
    try {
      await pipeline(req, limit, createWriteStream(file));
    } catch (e) {
      remove();
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOSPC' || code === 'EDQUOT') throw new PontError('unavailable', 'upload.no_room', { folder: this.root, reason: fileErrorReason(e) }, [{ field: 'upload', reason: fileErrorReason(e) }]);
      throw e;
    }
    if (over) {
      remove();
      throw this.tooLarge();
    }
    return { path: file, folder, bytes };
  }

  close(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
