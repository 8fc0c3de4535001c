import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { searchDense } from '../../electron/engine/dense/index.ts';
import { getDenseIndex } from '../../electron/engine/dense/vectors.ts';
import { ensureCollection } from '../../electron/engine/store/collections.ts';
import { tempDir, tempEngine } from '../helpers/workspace.ts';
import { writeDensePack, HIDDEN } from '../models/packs.ts';

const D = HIDDEN;
const ids = ['d1', 'd2', 'd3', 'd4', 'd5'];

function vectors(n: number, seed: number): Float32Array {
  const v = new Float32Array(n * D);
  for (let i = 0; i < v.length; i++) v[i] = Math.sin(seed * 7.1 + i * 1.3) * (1 + (i % 3));
  return v;
}

function unitRows(v: Float32Array): Float32Array {
  const out = Float32Array.from(v);
  for (let r = 0; r < v.length / D; r++) {
    const row = out.subarray(r * D, (r + 1) * D);
    const n = Math.hypot(...row);
    for (let j = 0; j < D; j++) row[j]! /= n;
  }
  return out;
}

/** NumPy's .npy v1.0 layout, written byte by byte: magic, version, header length, dict padded to 64, data. */
function handNpy(v: Float32Array, rows: number): Buffer {
  let dict = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${D}), }`;
  while ((10 + dict.length + 1) % 64 !== 0) dict += ' ';
  dict += '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(dict.length, 8);
  const data = Buffer.alloc(v.length * 4);
  v.forEach((x, i) => data.writeFloatLE(x, i * 4));
  return Buffer.concat([head, Buffer.from(dict, 'latin1'), data]);
}

/** Reads an .npy back by hand: the dict's shape, and the floats after the header. */
function readHandNpy(b: Buffer): { shape: number[]; data: Float32Array } {
  expect(b.toString('latin1', 0, 6)).toBe('\x93NUMPY');
  const len = b.readUInt16LE(8);
  const dict = b.toString('latin1', 10, 10 + len);
  expect(dict).toContain("'descr': '<f4'");
  expect((10 + len) % 64).toBe(0);
  const shape = /'shape': \((\d+), (\d+)\)/.exec(dict)!.slice(1).map(Number);
  const data = new Float32Array((b.length - 10 - len) / 4);
  for (let i = 0; i < data.length; i++) data[i] = b.readFloatLE(10 + len + i * 4);
  return { shape, data };
}

function floats(b: Buffer): Float32Array {
  const out = new Float32Array(b.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = b.readFloatLE(i * 4);
  return out;
}

function setup() {
  const engine = tempEngine();
  const c = ensureCollection(engine.workspace.db, 'docs', 'en');
  ids.forEach((id, i) => engine.workspace.db.prepare('INSERT INTO documents (collection_id, ext_id, text) VALUES (?, ?, ?)').run(c.id, id, `document number ${i}`));
  return engine;
}

const close = (a: Float32Array, b: Float32Array) => {
  expect(a.length).toBe(b.length);
  a.forEach((x, i) => expect(x).toBeCloseTo(b[i]!, 6));
};

describe('precomputed embeddings in and out', () => {
  it('imports an .npy with its docnos, searches it, and exports the same rows', async () => {
    const engine = setup();
    const dir = tempDir();
    // Rows in another order than the collection's: the docnos file says which is which.
    const order = ['d3', 'd1', 'd5', 'd2', 'd4'];
    const v = vectors(5, 1);
    writeFileSync(join(dir, 'in.npy'), handNpy(v, 5));
    writeFileSync(join(dir, 'in.docnos'), `${order.join('\n')}\n`);
    const r = await engine.call('dense.import', { collection: 'docs', model: 'ext', vectors: join(dir, 'in.npy'), docnos: join(dir, 'in.docnos') });
    expect(r).toMatchObject({ format: 'npy', dimension: D, imported: 5, documents: 5, notCovered: 0, ann: null });

    const db = engine.workspace.db;
    const q = v.slice(2 * D, 3 * D); // the row of d5
    expect(searchDense(db, getDenseIndex(db, 'docs', 'ext'), { kind: 'dense', vector: q }, 1)[0]!.docId).toBe(db.prepare("SELECT id FROM documents WHERE ext_id = 'd5'").pluck().get());

    const out = await engine.call('dense.export', { collection: 'docs', model: 'ext', vectors: join(dir, 'out.npy'), docnos: join(dir, 'out.docnos') });
    expect(out.vectors).toBe(5);
    const back = readHandNpy(readFileSync(join(dir, 'out.npy')));
    expect(back.shape).toEqual([5, D]);
    const docnos = readFileSync(join(dir, 'out.docnos'), 'utf8').trim().split('\n');
    expect(docnos).toEqual(ids); // document order
    const u = unitRows(v);
    docnos.forEach((id, i) => close(back.data.subarray(i * D, (i + 1) * D), u.subarray(order.indexOf(id) * D, (order.indexOf(id) + 1) * D)));

    // Round trip: what Pont exports, Pont imports unchanged.
    await engine.call('dense.import', { collection: 'docs', model: 'again', vectors: join(dir, 'out.npy'), docnos: join(dir, 'out.docnos') });
    await engine.call('dense.export', { collection: 'docs', model: 'again', vectors: join(dir, 'again.npy'), docnos: join(dir, 'again.docnos') });
    close(readHandNpy(readFileSync(join(dir, 'again.npy'))).data, back.data);
  });

  it('imports and exports a FlexIndex (vecs.f4 + pt_meta.json)', async () => {
    const engine = setup();
    const dir = tempDir();
    mkdirSync(join(dir, 'flex'));
    const v = vectors(4, 2);
    const raw = Buffer.alloc(v.length * 4);
    v.forEach((x, i) => raw.writeFloatLE(x, i * 4));
    writeFileSync(join(dir, 'flex', 'vecs.f4'), raw);
    writeFileSync(join(dir, 'flex', 'pt_meta.json'), JSON.stringify({ type: 'dense_index', format: 'flex', vec_size: D, doc_count: 4 }));
    writeFileSync(join(dir, 'flex', 'docnos.txt'), 'd1\nd2\nd4\nd5\n');
    const r = await engine.call('dense.import', { collection: 'docs', model: 'ext', vectors: join(dir, 'flex', 'vecs.f4'), docnos: join(dir, 'flex', 'docnos.txt') });
    expect(r).toMatchObject({ format: 'flex', imported: 4, documents: 4, notCovered: 1 });

    mkdirSync(join(dir, 'out'));
    const out = await engine.call('dense.export', { collection: 'docs', model: 'ext', vectors: join(dir, 'out', 'vecs.f4'), docnos: join(dir, 'out', 'docnos.txt') });
    expect(out.files).toContain(join(dir, 'out', 'pt_meta.json'));
    expect(JSON.parse(readFileSync(join(dir, 'out', 'pt_meta.json'), 'utf8'))).toEqual({ type: 'dense_index', format: 'flex', vec_size: D, doc_count: 4 });
    expect(readFileSync(join(dir, 'out', 'docnos.txt'), 'utf8')).toBe('d1\nd2\nd4\nd5\n');
    close(floats(readFileSync(join(dir, 'out', 'vecs.f4'))), unitRows(v));
  });

  it('rejects bad files before writing anything, naming file, line and field', async () => {
    const engine = setup();
    const dir = tempDir();
    const npy = join(dir, 'v.npy');
    writeFileSync(npy, handNpy(vectors(3, 3), 3));
    const docnos = join(dir, 'v.docnos');
    const attempt = (d: string, model = 'ext') => engine.call('dense.import', { collection: 'docs', model, vectors: npy, docnos: d });

    writeFileSync(docnos, 'd1\nd9\nd2\n');
    await expect(attempt(docnos)).rejects.toMatchObject({ code: 'bad_data', details: [{ file: docnos, line: 2, field: 'docno' }] });
    writeFileSync(docnos, 'd1\nd1\nd2\n');
    await expect(attempt(docnos)).rejects.toMatchObject({ details: [{ line: 2, field: 'docno', reason: 'duplicate' }] });
    writeFileSync(docnos, 'd1\nd2\n');
    await expect(attempt(docnos)).rejects.toThrow(/3 vectors but .* has 2 document ids/);
    expect(engine.workspace.db.prepare('SELECT count(*) FROM dense_indexes').pluck().get()).toBe(0);

    writeFileSync(npy, handNpy(vectors(3, 3), 3).subarray(0, 100));
    writeFileSync(docnos, 'd1\nd2\nd3\n');
    await expect(attempt(docnos)).rejects.toThrow(/truncated/);

    // A model pack in the workspace fixes the dimension.
    const pack = tempDir();
    writeDensePack(pack, { pooling: 'mean', normalize: true });
    await engine.call('model.import', { path: pack, name: 'e5' });
    const wide = new Float32Array(3 * (D + 1)).fill(0.5);
    let dict = `{'descr': '<f4', 'fortran_order': False, 'shape': (3, ${D + 1}), }`;
    while ((10 + dict.length + 1) % 64 !== 0) dict += ' ';
    const head = Buffer.alloc(10);
    head.write('\x93NUMPY', 0, 'latin1');
    head[6] = 1;
    head.writeUInt16LE(dict.length + 1, 8);
    writeFileSync(npy, Buffer.concat([head, Buffer.from(`${dict}\n`, 'latin1'), Buffer.from(wide.buffer)]));
    await expect(attempt(docnos, 'e5')).rejects.toMatchObject({ details: [{ field: 'dimension' }] });
  });

  it('keeps vectors imported before their model pack, and encodes only what they do not cover', async () => {
    const engine = setup();
    const dir = tempDir();
    writeFileSync(join(dir, 'v.npy'), handNpy(vectors(5, 4), 5));
    writeFileSync(join(dir, 'v.docnos'), ids.join('\n'));
    await engine.call('dense.import', { collection: 'docs', model: 'e5', vectors: join(dir, 'v.npy'), docnos: join(dir, 'v.docnos') });
    const pack = tempDir();
    writeDensePack(pack, { pooling: 'mean', normalize: true });
    await engine.call('model.import', { path: pack, name: 'e5' });
    await engine.call('model.settings', { provider: 'cpu' });
    const c = engine.workspace.db.prepare("SELECT id FROM collections WHERE name = 'docs'").pluck().get() as number;
    engine.workspace.db.prepare("INSERT INTO documents (collection_id, ext_id, text) VALUES (?, 'd6', 'a new one')").run(c);
    const r = await engine.call('dense.index', { collection: 'docs', model: 'e5' });
    expect({ encoded: r.encoded, documents: r.documents }).toEqual({ encoded: 1, documents: 6 });
    const hits = await engine.call('dense.search', { collection: 'docs', model: 'e5', query: 'document', k: 6 });
    expect(hits.hits).toHaveLength(6);
  });
});
