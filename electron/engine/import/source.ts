import { stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { basename, resolve } from 'node:path';
import { PontError } from '../errors.ts';

export type CollectionFormat = 'tsv' | 'jsonl' | 'folder';

/** Opens the source of an import: it must exist; its format is the one given or the one its name implies. */
export async function resolveSource(
  path: string,
  format: CollectionFormat | undefined,
  allowed: readonly CollectionFormat[],
): Promise<{ path: string; stat: Stats; format: CollectionFormat }> {
  const { path: abs, stat: st } = await statSource(path);
  const f = format ?? guessFormat(abs, st.isDirectory());
  if (!allowed.includes(f)) {
    throw new PontError('invalid_input', 'format.not_allowed', { name: basename(abs), format: f, allowed: allowed.join(' or ') }, [
      { file: abs, field: 'format', reason: `expected ${allowed.join(' or ')}` },
    ]);
  }
  if (f === 'folder' && !st.isDirectory()) {
    throw new PontError('invalid_input', 'path.not_folder', { path: abs }, [{ file: abs, field: 'path', reason: 'the folder format needs a folder' }]);
  }
  if (f !== 'folder' && !st.isFile()) {
    throw new PontError('invalid_input', 'path.not_file', { path: abs }, [{ file: abs, field: 'path', reason: `the ${f} format needs a file` }]);
  }
  return { path: abs, stat: st, format: f };
}

/** The absolute path of an import's source and what the file system says of it; it must exist. */
export async function statSource(path: string, field = 'path'): Promise<{ path: string; stat: Stats }> {
  const abs = resolve(path);
  try {
    return { path: abs, stat: await stat(abs) };
  } catch {
    throw new PontError('not_found', 'path.missing', { path: abs }, [{ file: abs, field, reason: 'no such file or folder' }]);
  }
}

/** Like `statSource`, for a source that must be a file. */
export async function statSourceFile(path: string, field = 'path'): Promise<{ path: string; stat: Stats }> {
  const src = await statSource(path, field);
  if (!src.stat.isFile()) throw new PontError('invalid_input', 'path.not_file', { path: src.path }, [{ file: src.path, field, reason: 'expected a file' }]);
  return src;
}

export function guessFormat(path: string, isDirectory: boolean): CollectionFormat {
  if (isDirectory) return 'folder';
  const name = basename(path).toLowerCase().replace(/\.(gz|gzip)$/, '');
  if (/\.(tsv|tab)$/.test(name)) return 'tsv';
  if (/\.(jsonl|ndjson|json)$/.test(name)) return 'jsonl';
  throw new PontError('invalid_input', 'format.unknown', { name: basename(path) }, [
    { file: path, field: 'format', reason: 'expected a name ending in .tsv, .jsonl or .json (optionally .gz), or a folder' },
  ]);
}
