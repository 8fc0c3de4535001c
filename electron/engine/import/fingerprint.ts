import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import { open } from 'node:fs/promises';

const HEAD = 1 << 20;

/**
 * Identifies a source file cheaply without reading it all: size, modification time and a hash of its first MiB.
 * An interrupted import resumes only if its source still has the same fingerprint.
 */
export async function fileFingerprint(file: string, stat: Stats): Promise<string> {
  const fh = await open(file, 'r');
  try {
    const head = Buffer.alloc(Math.min(HEAD, stat.size));
    await fh.read(head, 0, head.length, 0);
    const hash = createHash('sha256').update(head).digest('hex').slice(0, 32);
    return `size=${stat.size};mtime=${Math.round(stat.mtimeMs)};head-sha256=${hash}`;
  } finally {
    await fh.close();
  }
}

/** A folder's fingerprint covers the list of its files with their sizes and modification times. */
export function listingFingerprint(files: readonly { rel: string; size: number; mtimeMs: number }[]): string {
  const h = createHash('sha256');
  for (const f of files) h.update(`${f.rel}\0${f.size}\0${Math.round(f.mtimeMs)}\n`);
  return `files=${files.length};listing-sha256=${h.digest('hex').slice(0, 32)}`;
}
