import { openSync, readSync, closeSync, fstatSync } from 'node:fs';
import { PontError } from '../errors.ts';

/** A graph input or output as declared in the file: name, element type and shape (numbers or symbolic names). */
export interface ValueDecl {
  name: string;
  elemType: number;
  shape: (number | string)[];
}

export interface OnnxSummary {
  inputs: ValueDecl[];
  outputs: ValueDecl[];
  opsets: Record<string, number>;
  /** Rows of the embedding matrix that a Gather reads directly with this input's ids, when the graph has one. */
  embeddingRows: Map<string, number>;
}

// Protobuf field numbers from onnx.proto.
const MODEL_GRAPH = 7, MODEL_OPSET = 8;
const GRAPH_NODE = 1, GRAPH_INIT = 5, GRAPH_INPUT = 11, GRAPH_OUTPUT = 12;
const NODE_INPUT = 1, NODE_OP = 4;
const TENSOR_DIMS = 1, TENSOR_NAME = 8;

/**
 * Reads the declarations of an ONNX file without loading its weights: a small protobuf walk that skips tensor bytes,
 * so a 2 GB model is inspected in milliseconds and without protobufjs (which would copy the whole file).
 */
export function inspectOnnx(file: string): OnnxSummary {
  const bytes = readAll(file);
  try {
    return summarise(bytes);
  } catch (e) {
    throw new PontError('bad_data', 'model.onnx_unreadable', { file, reason: (e as Error).message }, [{ file, reason: (e as Error).message }]);
  }
}

function readAll(file: string): Uint8Array {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const buf = Buffer.allocUnsafe(size);
    let off = 0;
    while (off < size) off += readSync(fd, buf, off, size - off, off);
    return buf;
  } finally {
    closeSync(fd);
  }
}

interface Field {
  no: number;
  wire: number;
  /** Varint value, or the start of a length-delimited field. */
  value: number;
  end: number;
}

function* fields(b: Uint8Array, start: number, end: number): Generator<Field> {
  let pos = start;
  const varint = (): number => {
    let result = 0;
    let mul = 1;
    for (;;) {
      if (pos >= end) throw new Error('truncated protobuf');
      const byte = b[pos++]!;
      result += (byte & 0x7f) * mul;
      if ((byte & 0x80) === 0) return result;
      mul *= 128;
    }
  };
  while (pos < end) {
    const key = varint();
    const no = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 0) {
      const value = varint();
      yield { no, wire, value, end: pos };
    } else if (wire === 2) {
      const len = varint();
      const value = pos;
      pos += len;
      if (pos > end) throw new Error('truncated protobuf');
      yield { no, wire, value, end: pos };
    } else if (wire === 1) {
      pos += 8;
    } else if (wire === 5) {
      pos += 4;
    } else {
      throw new Error(`unexpected protobuf wire type ${wire}`);
    }
  }
}

const text = (b: Uint8Array, f: Field) => Buffer.from(b.buffer, b.byteOffset + f.value, f.end - f.value).toString('utf8');

function packedOrSingle(b: Uint8Array, f: Field): number[] {
  if (f.wire === 0) return [f.value];
  const out: number[] = [];
  const wrapped = wrapPacked(b, f);
  for (const g of fields(wrapped, 0, wrapped.length)) out.push(g.value);
  return out;
}

// Packed repeated varints have no keys; re-encode them with a fake key so `fields` can read them.
function wrapPacked(b: Uint8Array, f: Field): Uint8Array {
  const out: number[] = [];
  let pos = f.value;
  while (pos < f.end) {
    out.push(0x08);
    do out.push(b[pos]!);
    while (b[pos++]! & 0x80);
  }
  return Uint8Array.from(out);
}

function valueDecl(b: Uint8Array, start: number, end: number): ValueDecl {
  let name = '';
  let elemType = 0;
  const shape: (number | string)[] = [];
  for (const f of fields(b, start, end)) {
    if (f.no === 1 && f.wire === 2) name = text(b, f);
    if (f.no === 2 && f.wire === 2) {
      for (const t of fields(b, f.value, f.end)) {
        if (t.no !== 1 || t.wire !== 2) continue; // tensor_type
        for (const tt of fields(b, t.value, t.end)) {
          if (tt.no === 1 && tt.wire === 0) elemType = tt.value;
          if (tt.no === 2 && tt.wire === 2) {
            for (const dim of fields(b, tt.value, tt.end)) {
              if (dim.no !== 1) continue;
              let d: number | string = '?';
              for (const dv of fields(b, dim.value, dim.end)) {
                if (dv.no === 1 && dv.wire === 0) d = dv.value;
                if (dv.no === 2 && dv.wire === 2) d = text(b, dv);
              }
              shape.push(d);
            }
          }
        }
      }
    }
  }
  return { name, elemType, shape };
}

function summarise(b: Uint8Array): OnnxSummary {
  const inputs: ValueDecl[] = [];
  const outputs: ValueDecl[] = [];
  const opsets: Record<string, number> = {};
  const initDims = new Map<string, number[]>();
  const gathers: [string, string][] = [];
  let sawGraph = false;
  for (const f of fields(b, 0, b.length)) {
    if (f.no === MODEL_OPSET && f.wire === 2) {
      let domain = '';
      let version = 0;
      for (const g of fields(b, f.value, f.end)) {
        if (g.no === 1 && g.wire === 2) domain = text(b, g);
        if (g.no === 2 && g.wire === 0) version = g.value;
      }
      opsets[domain || 'ai.onnx'] = version;
    }
    if (f.no !== MODEL_GRAPH || f.wire !== 2) continue;
    sawGraph = true;
    for (const g of fields(b, f.value, f.end)) {
      if (g.wire !== 2) continue;
      if (g.no === GRAPH_INPUT) inputs.push(valueDecl(b, g.value, g.end));
      else if (g.no === GRAPH_OUTPUT) outputs.push(valueDecl(b, g.value, g.end));
      else if (g.no === GRAPH_INIT) {
        let name = '';
        const dims: number[] = [];
        for (const t of fields(b, g.value, g.end)) {
          if (t.no === TENSOR_NAME && t.wire === 2) name = text(b, t);
          if (t.no === TENSOR_DIMS) dims.push(...packedOrSingle(b, t));
        }
        initDims.set(name, dims);
      } else if (g.no === GRAPH_NODE) {
        let op = '';
        const ins: string[] = [];
        for (const n of fields(b, g.value, g.end)) {
          if (n.no === NODE_OP && n.wire === 2) op = text(b, n);
          if (n.no === NODE_INPUT && n.wire === 2) ins.push(text(b, n));
        }
        if (op === 'Gather' && ins.length === 2) gathers.push([ins[0]!, ins[1]!]);
      }
    }
  }
  if (!sawGraph) throw new Error('no graph in the file');
  const initNames = new Set(initDims.keys());
  const embeddingRows = new Map<string, number>();
  for (const [data, indices] of gathers) {
    const dims = initDims.get(data);
    if (dims && dims.length === 2 && inputs.some((i) => i.name === indices)) embeddingRows.set(indices, dims[0]!);
  }
  // Initialisers may also be listed as graph inputs (IR < 4 exports); those are not inputs the caller feeds.
  return { inputs: inputs.filter((i) => !initNames.has(i.name)), outputs, opsets, embeddingRows };
}

/**
 * The float32 initialisers of a graph with their dimensions (raw_data only, as Pont writes them): how a model Pont
 * trained is read back to continue training it.
 */
export function readFloatInitializers(file: string): Map<string, { dims: number[]; data: Float32Array }> {
  const b = readAll(file);
  const out = new Map<string, { dims: number[]; data: Float32Array }>();
  for (const f of fields(b, 0, b.length)) {
    if (f.no !== MODEL_GRAPH || f.wire !== 2) continue;
    for (const g of fields(b, f.value, f.end)) {
      if (g.no !== GRAPH_INIT || g.wire !== 2) continue;
      let name = '';
      let type = 0;
      const dims: number[] = [];
      let raw: Field | undefined;
      for (const t of fields(b, g.value, g.end)) {
        if (t.no === TENSOR_NAME && t.wire === 2) name = text(b, t);
        if (t.no === TENSOR_DIMS) dims.push(...packedOrSingle(b, t));
        if (t.no === 2 && t.wire === 0) type = t.value;
        if (t.no === 9 && t.wire === 2) raw = t;
      }
      if (type !== 1 || !raw) continue;
      // Copied out: the file's buffer offset need not be 4-byte aligned.
      const data = new Float32Array(new Uint8Array(b.buffer, b.byteOffset + raw.value, raw.end - raw.value).slice().buffer);
      out.set(name, { dims, data });
    }
  }
  return out;
}
