import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { PontError } from '../errors.ts';

/**
 * NumPy's `.npy` format for a 2-D float32 matrix (what `numpy.save` writes for embeddings): a magic string, a
 * version, a header length, a Python dict literal giving dtype, order and shape, padded so that the data starts on a
 * 64-byte boundary, then the data in row-major order.
 */
const MAGIC = '\x93NUMPY';

export function npyHeader(rows: number, dimension: number): Buffer {
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${dimension}), }`;
  // Version 1.0: 2-byte header length; pad with spaces and end with a newline, as NumPy does.
  const unpadded = MAGIC.length + 2 + 2 + dict.length + 1;
  const total = Math.ceil(unpadded / 64) * 64;
  const text = dict + ' '.repeat(total - unpadded) + '\n';
  const out = Buffer.alloc(total);
  out.write(MAGIC, 0, 'latin1');
  out[6] = 1;
  out[7] = 0;
  out.writeUInt16LE(text.length, 8);
  out.write(text, 10, 'latin1');
  return out;
}

export interface MatrixFile {
  rows: number;
  dimension: number;
  /** Byte offset of the first float. */
  offset: number;
}

/** Reads and checks an `.npy` header: float32 little-endian, C order, two dimensions. */
export function readNpyHeader(file: string): MatrixFile {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(12);
    const got = readSync(fd, head, 0, 12, 0);
    const bad = (reason: string): PontError => new PontError('bad_data', 'vectors.bad_file', { file, reason: `not a 2-D float32 .npy file: ${reason}` }, [{ file, field: 'header', reason }]);
    if (got < 10 || head.toString('latin1', 0, 6) !== MAGIC) throw bad('no NumPy magic string');
    const major = head[6]!;
    const lenBytes = major === 1 ? 2 : 4;
    const len = major === 1 ? head.readUInt16LE(8) : head.readUInt32LE(8);
    const text = Buffer.alloc(len);
    readSync(fd, text, 0, len, 8 + lenBytes);
    const dict = text.toString('latin1');
    const descr = /'descr':\s*'([^']*)'/.exec(dict)?.[1];
    if (descr !== '<f4' && descr !== '=f4' && descr !== 'f4') throw bad(`dtype ${descr ?? 'missing'}; save the array with .astype('float32')`);
    if (/'fortran_order':\s*True/.test(dict)) throw bad('Fortran order; save numpy.ascontiguousarray(x)');
    const shape = /'shape':\s*\(([^)]*)\)/.exec(dict)?.[1]?.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
    if (!shape || shape.length !== 2 || shape.some((x) => !Number.isInteger(x))) throw bad(`shape (${shape?.join(', ') ?? 'missing'}); expected (documents, dimension)`);
    const offset = 8 + lenBytes + len;
    const [rows, dimension] = shape as [number, number];
    const size = statSync(file).size;
    if (size < offset + rows * dimension * 4) throw bad(`${size - offset} bytes of data for shape (${rows}, ${dimension}); the file is truncated`);
    return { rows, dimension, offset };
  } finally {
    closeSync(fd);
  }
}

/** Reads rows [from, from + count) of a float32 matrix file. */
export function readRows(file: string, m: MatrixFile, from: number, count: number): Float32Array {
  const n = Math.min(count, m.rows - from);
  const buf = Buffer.alloc(n * m.dimension * 4);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buf, 0, buf.length, m.offset + from * m.dimension * 4);
  } finally {
    closeSync(fd);
  }
  const out = new Float32Array(n * m.dimension);
  for (let i = 0; i < out.length; i++) out[i] = buf.readFloatLE(i * 4);
  return out;
}
