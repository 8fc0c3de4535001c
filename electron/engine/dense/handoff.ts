import { closeSync, existsSync, openSync, readFileSync, renameSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { PontError } from '../errors.ts';
import { ProgressMeter, throwIfCancelled, type JobContext } from '../jobs/progress.ts';
import { assertRole } from '../models/loaded.ts';
import { getPack } from '../models/packs.ts';
import { getCollection } from '../store/collections.ts';
import type { Workspace } from '../store/workspace.ts';
import { maintainAnn, type AnnChoice, type BuildReport } from './index.ts';
import { npyHeader, readNpyHeader, readRows, type MatrixFile } from './npy.ts';
import { unit } from './quantise.ts';
import { IMPORTED, createDenseIndex, getDenseIndex, iterateVectors, vectorTable, writeVector, type DenseIndexRow } from './vectors.ts';

/**
 * Precomputed embeddings in and out, for collections encoded elsewhere (a GPU cluster) or searched elsewhere: NumPy
 * `.npy` (float32, documents × dimension) and pyterrier_dr's FlexIndex `vecs.f4` (the same rows, raw, with
 * `pt_meta.json` beside it giving `vec_size` and `doc_count`), each with a text file of document ids, one per row.
 */
export type VectorFormat = 'npy' | 'flex';

export function vectorFormatOf(file: string): VectorFormat {
  if (file.endsWith('.npy')) return 'npy';
  if (file.endsWith('.f4')) return 'flex';
  throw new PontError('invalid_input', 'vectors.bad_file', { file, reason: 'name it .npy (NumPy) or .f4 (FlexIndex vecs.f4)' }, [{ file, field: 'vectors', reason: 'unknown format' }]);
}

const metaFile = (vectors: string) => join(dirname(vectors), 'pt_meta.json');

function flexMatrix(file: string): MatrixFile {
  const bad = (reason: string) => new PontError('bad_data', 'vectors.bad_file', { file, reason }, [{ file: metaFile(file), field: 'pt_meta.json', reason }]);
  if (!existsSync(metaFile(file))) throw bad('pt_meta.json (vec_size, doc_count) is missing beside it');
  let meta: { vec_size?: unknown; doc_count?: unknown };
  try {
    meta = JSON.parse(readFileSync(metaFile(file), 'utf8')) as typeof meta;
  } catch (e) {
    throw bad(`pt_meta.json is not JSON: ${(e as Error).message}`);
  }
  const dimension = Number(meta.vec_size);
  const rows = Number(meta.doc_count);
  if (!Number.isInteger(dimension) || dimension < 1 || !Number.isInteger(rows) || rows < 0) throw bad('pt_meta.json needs integer vec_size and doc_count');
  const size = statSync(file).size;
  if (size !== rows * dimension * 4) throw bad(`${size} bytes, but doc_count ${rows} × vec_size ${dimension} float32 make ${rows * dimension * 4}`);
  return { rows, dimension, offset: 0 };
}

function readDocnos(file: string): string[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

export interface VectorImportReport {
  collection: string;
  model: string;
  format: VectorFormat;
  dimension: number;
  imported: number;
  /** Vectors in the index after the import, and documents of the collection without one. */
  documents: number;
  notCovered: number;
  ann: BuildReport['ann'];
  seconds: number;
}

/**
 * Stores precomputed vectors as the collection's dense index for `model` (created, or updated row by row). Every
 * document id is checked before anything is written; each slice of vectors is then its own transaction, and running
 * the import again rewrites the same rows, so an interrupted import is finished by running it again. Vectors are
 * stored L2-normalised, as Pont's own: dense indexes rank by cosine. When the model pack is in the workspace its
 * dimension must match; without it the vectors can be exported, and searched once the pack is imported.
 */
export async function importVectors(
  ws: Workspace,
  o: { collection: string; model: string; vectors: string; docnos: string; ann: AnnChoice },
  ctx: JobContext,
): Promise<VectorImportReport> {
  const started = performance.now();
  const db = ws.db;
  const c = getCollection(db, o.collection);
  const format = vectorFormatOf(o.vectors);
  const m = format === 'npy' ? readNpyHeader(o.vectors) : flexMatrix(o.vectors);
  const docnos = readDocnos(o.docnos);
  if (docnos.length !== m.rows) {
    throw new PontError('bad_data', 'vectors.count_mismatch', { file: o.vectors, vectors: m.rows, docnos: o.docnos, count: docnos.length }, [
      { file: o.docnos, field: 'docnos', reason: `${docnos.length} ids for ${m.rows} vectors` },
    ]);
  }
  const idOf = db.prepare('SELECT id FROM documents WHERE collection_id = ? AND ext_id = ?').pluck();
  const ids = new Float64Array(m.rows);
  const seen = new Set<string>();
  docnos.forEach((docno, i) => {
    const id = idOf.get(c.id, docno) as number | undefined;
    if (id === undefined) throw new PontError('bad_data', 'vectors.unknown_docno', { file: o.docnos, line: i + 1, docno, collection: o.collection }, [{ file: o.docnos, line: i + 1, field: 'docno', reason: 'not in the collection' }]);
    if (seen.has(docno)) throw new PontError('bad_data', 'vectors.duplicate_docno', { file: o.docnos, line: i + 1, docno }, [{ file: o.docnos, line: i + 1, field: 'docno', reason: 'duplicate' }]);
    seen.add(docno);
    ids[i] = id;
  });
  const known = db.prepare('SELECT 1 FROM models WHERE name = ?').get(o.model) !== undefined;
  const pack = known ? getPack(ws, o.model).manifest : undefined;
  if (pack) assertRole(o.model, pack.role, ['dense'], 'a dense index');
  let index = db.prepare('SELECT * FROM dense_indexes WHERE collection_id = ? AND model = ?').get(c.id, o.model) as DenseIndexRow | undefined;
  const expected = index?.dimension ?? pack?.dimension;
  if (expected !== undefined && expected !== null && expected !== m.dimension) {
    throw new PontError('bad_data', 'vectors.dimension', { file: o.vectors, got: m.dimension, model: o.model, expected }, [{ file: o.vectors, field: 'dimension', reason: `expected ${expected}` }]);
  }
  index ??= createDenseIndex(db, c.id, o.model, pack?.checksum ?? IMPORTED, m.dimension);
  const meter = new ProgressMeter(ctx.progress);
  const slice = 4096;
  for (let from = 0; from < m.rows; from += slice) {
    throwIfCancelled(ctx.signal, 'the vector import');
    const rows = readRows(o.vectors, m, from, slice);
    db.transaction(() => {
      for (let i = 0; i * m.dimension < rows.length; i++) writeVector(db, index, ids[from + i]!, unit(rows.subarray(i * m.dimension, (i + 1) * m.dimension)));
    })();
    meter.update({ phase: 'importing', done: Math.min(m.rows, from + slice), total: m.rows, unit: 'vectors' });
  }
  // The index covers the collection as it is now: documents added later are encoded by `dense index` (with the pack).
  const documents = db.prepare(`SELECT count(*) FROM ${vectorTable(index.id)}`).pluck().get() as number;
  db.prepare(
    `UPDATE dense_indexes SET state = 'ready', documents = ?, checkpoint = max(checkpoint, (SELECT coalesce(max(id), 0) FROM documents WHERE collection_id = ?)),
     updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?`,
  ).run(documents, c.id, index.id);
  const total = db.prepare('SELECT count(*) FROM documents WHERE collection_id = ?').pluck().get(c.id) as number;
  const ann = maintainAnn(db, index, documents, o.ann, ctx);
  meter.update({ phase: 'done', done: m.rows, total: m.rows, unit: 'vectors' }, true);
  return { collection: o.collection, model: o.model, format, dimension: m.dimension, imported: m.rows, documents, notCovered: total - documents, ann, seconds: (performance.now() - started) / 1000 };
}

export interface VectorExportReport {
  collection: string;
  model: string;
  format: VectorFormat;
  dimension: number;
  vectors: number;
  files: string[];
}

/**
 * Writes a dense index's vectors (unit length) and document ids, in document order. Files are written beside their
 * final names and renamed at the end, so an interrupted export leaves no half file under the name asked for.
 * The bytes are little-endian float32, as on every platform Pont runs on and as NumPy's '<f4'.
 */
export function exportVectors(ws: Workspace, o: { collection: string; model: string; vectors: string; docnos: string }, ctx: JobContext): VectorExportReport {
  const db = ws.db;
  const index = getDenseIndex(db, o.collection, o.model);
  const format = vectorFormatOf(o.vectors);
  const extId = db.prepare('SELECT ext_id FROM documents WHERE id = ?').pluck();
  // Vectors of documents deleted since the index last caught up are left out.
  const count = db.prepare(`SELECT count(*) FROM documents WHERE collection_id = ? AND id IN (SELECT rowid FROM ${vectorTable(index.id)})`).pluck().get(index.collection_id) as number;
  const partial = (f: string) => join(dirname(f), `.${basename(f)}.partial`);
  const vf = openSync(partial(o.vectors), 'w');
  const df = openSync(partial(o.docnos), 'w');
  const meter = new ProgressMeter(ctx.progress);
  let written = 0;
  try {
    if (format === 'npy') writeSync(vf, npyHeader(count, index.dimension));
    const ids: string[] = [];
    for (const { docId, vector } of iterateVectors(db, index)) {
      const ext = extId.get(docId) as string | undefined;
      if (ext === undefined) continue;
      writeSync(vf, new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength));
      ids.push(ext);
      if (++written % 4096 === 0) {
        throwIfCancelled(ctx.signal, 'the vector export');
        writeSync(df, `${ids.join('\n')}\n`);
        ids.length = 0;
        meter.update({ phase: 'exporting', done: written, total: count, unit: 'vectors' });
      }
    }
    if (ids.length > 0) writeSync(df, `${ids.join('\n')}\n`);
  } finally {
    closeSync(vf);
    closeSync(df);
  }
  renameSync(partial(o.vectors), o.vectors);
  renameSync(partial(o.docnos), o.docnos);
  const files = [o.vectors, o.docnos];
  if (format === 'flex') {
    const meta = metaFile(o.vectors);
    writeFileSync(meta, `${JSON.stringify({ type: 'dense_index', format: 'flex', vec_size: index.dimension, doc_count: written })}\n`);
    files.push(meta);
  }
  meter.update({ phase: 'done', done: written, total: count, unit: 'vectors' }, true);
  return { collection: o.collection, model: o.model, format, dimension: index.dimension, vectors: written, files };
}
