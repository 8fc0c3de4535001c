import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join, relative, sep } from 'node:path';
import { PontError } from '../errors.ts';
import { CancelledError, ProgressMeter, type JobContext } from '../jobs/progress.ts';
import { extractFile, isSupported } from './extract/index.ts';
import { splitPassages } from './passages.ts';
import type { DocumentWriter } from './writer.ts';

export interface FolderFile {
  /** Path relative to the imported folder, with forward slashes on every platform: the document id. */
  rel: string;
  abs: string;
  size: number;
  mtimeMs: number;
}

/** Every file under the folder, in a stable order (hidden files and folders are skipped). */
export async function listFolder(root: string): Promise<FolderFile[]> {
  const out: FolderFile[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const abs = join(dir, e.name);
      if (e.isDirectory()) await walk(abs);
      else if (e.isFile()) {
        const st = await stat(abs);
        out.push({ rel: relative(root, abs).split(sep).join('/'), abs, size: st.size, mtimeMs: st.mtimeMs });
      }
    }
  };
  await walk(root);
  return out;
}

/** A document file is read whole to extract its text; a bigger one is a data dump, not a document. */
const MAX_FILE_BYTES = 256 * 2 ** 20;

/** A title for a file that has none: its name without extension, unless that is too short to mean anything ("c"). */
export function fileTitle(rel: string): string {
  const stem = basename(rel, extname(rel)).replace(/[-_]+/g, ' ').trim();
  return (stem.match(/\p{L}/gu)?.length ?? 0) >= 3 ? stem : basename(rel);
}

/**
 * Imports a folder of documents for community users: one document per file, with the file's path as its id and
 * source (or its path under `shownAs`, the name the user gave the folder); a file longer than `passageWords` words becomes passages `path#1`, `path#2`… sharing the file's title.
 * Files of other types, and files that cannot be read, are reported and skipped. Checkpoints fall between files.
 */
export async function importFolder(files: readonly FolderFile[], startAt: number, writer: DocumentWriter, passageWords: number, ctx: JobContext, shownAs?: string): Promise<void> {
  const meter = new ProgressMeter(ctx.progress);
  const total = files.reduce((n, f) => n + f.size, 0);
  let bytesDone = files.slice(0, startAt).reduce((n, f) => n + f.size, 0);
  for (let i = startAt; i < files.length; i++) {
    const f = files[i]!;
    writer.file = f.rel;
    writer.source = shownAs === undefined ? f.abs : shownAs ? `${shownAs}/${f.rel}` : f.rel;
    if (f.size > MAX_FILE_BYTES) {
      writer.bad(undefined, undefined, `skipped: ${(f.size / 2 ** 20).toFixed(0)} MiB is more than a document file can be (${MAX_FILE_BYTES / 2 ** 20} MiB); split it or import it as TSV or JSON Lines`);
    } else if (!isSupported(f.rel)) {
      const ext = extname(f.rel).toLowerCase() || '(no extension)';
      writer.warn(undefined, undefined, `skipped: ${ext} files are not supported (use .txt, .md, .html, .pdf or .docx)`);
    } else {
      try {
        const { title, text } = await extractFile(f.abs);
        const passages = splitPassages(text, passageWords);
        const docTitle = title ?? fileTitle(f.rel);
        if (passages.length === 0) writer.bad(undefined, 'text', 'no text could be extracted (a scanned PDF needs OCR first)');
        else if (passages.length === 1) writer.document(0, f.rel, docTitle, passages[0]!, null);
        else {
          passages.forEach((p, k) =>
            writer.document(0, `${f.rel}#${k + 1}`, docTitle, p, JSON.stringify({ passage: k + 1, passages: passages.length })),
          );
        }
      } catch (e) {
        if (e instanceof PontError) throw e;
        writer.bad(undefined, undefined, `cannot read this file: ${(e as Error).message}`);
      }
    }
    bytesDone += f.size;
    meter.update({ phase: 'importing', done: writer.read, unit: 'documents', bytesDone, bytesTotal: total, message: f.rel });
    if (writer.full || ctx.signal.aborted || i === files.length - 1) writer.flush({ line: 0, offset: 0, files: i + 1 });
    if (ctx.signal.aborted) throw new CancelledError('the import');
  }
}
