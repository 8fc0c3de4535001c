// Writes small ONNX graphs as protobuf bytes, field by field (numbers from onnx.proto), so the product can export
// the models it trains without depending on protobufjs at run time.

type Part = Uint8Array;

function varint(n: number | bigint): number[] {
  let v = BigInt(n);
  if (v < 0n) v += 1n << 64n;
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}

const concat = (parts: readonly Part[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

const key = (no: number, wire: number) => Uint8Array.from(varint(no * 8 + wire));
const int = (no: number, v: number): Part => concat([key(no, 0), Uint8Array.from(varint(v))]);
const bytes = (no: number, b: Uint8Array): Part => concat([key(no, 2), Uint8Array.from(varint(b.length)), b]);
const str = (no: number, s: string): Part => bytes(no, new TextEncoder().encode(s));
const msg = (no: number, parts: readonly Part[]): Part => bytes(no, concat(parts));

export const ONNX_FLOAT = 1;
export const ONNX_INT64 = 7;

export interface OnnxTensor {
  name: string;
  dims: number[];
  data: Float32Array;
}

export interface OnnxNode {
  op: string;
  inputs: string[];
  output: string;
  attrs?: Record<string, number>;
}

export interface OnnxValue {
  name: string;
  elemType: number;
  /** Numbers are fixed sizes, strings symbolic ones (batch, sequence). */
  shape: (number | string)[];
}

export interface OnnxGraph {
  name: string;
  inputs: OnnxValue[];
  outputs: OnnxValue[];
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  /** Metadata the file carries (producer, provenance), as ONNX metadata_props. */
  metadata?: Record<string, string>;
  opset?: number;
}

function valueInfo(no: number, v: OnnxValue): Part {
  const dims = v.shape.map((d) => msg(1, [typeof d === 'number' ? int(1, d) : str(2, d)]));
  // ValueInfoProto{name=1, type=2{tensor_type=1{elem_type=1, shape=2{dim=1…}}}}
  return msg(no, [str(1, v.name), msg(2, [msg(1, [int(1, v.elemType), msg(2, dims)])])]);
}

function tensor(t: OnnxTensor): Part {
  // TensorProto{dims=1, data_type=2, name=8, raw_data=9}; raw data is little-endian, as Float32Array is on every
  // platform Pont ships to.
  return msg(5, [...t.dims.map((d) => int(1, d)), int(2, ONNX_FLOAT), str(8, t.name), bytes(9, new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength))]);
}

function node(n: OnnxNode): Part {
  // NodeProto{input=1, output=2, name=3, op_type=4, attribute=5{name=1, i=3, type=20 (INT=2)}}
  const attrs = Object.entries(n.attrs ?? {}).map(([name, v]) => msg(5, [str(1, name), int(3, v), int(20, 2)]));
  return msg(1, [...n.inputs.map((i) => str(1, i)), str(2, n.output), str(3, n.output), str(4, n.op), ...attrs]);
}

/** The bytes of a ModelProto (IR version 8) holding the graph. */
export function writeOnnx(g: OnnxGraph): Uint8Array {
  const graph = msg(7, [
    ...g.nodes.map(node),
    str(2, g.name),
    ...g.initializers.map(tensor),
    ...g.inputs.map((v) => valueInfo(11, v)),
    ...g.outputs.map((v) => valueInfo(12, v)),
  ]);
  const meta = Object.entries(g.metadata ?? {}).map(([k, v]) => msg(14, [str(1, k), str(2, v)]));
  return concat([int(1, 8), str(2, 'pont'), graph, msg(8, [str(1, ''), int(2, g.opset ?? 17)]), ...meta]);
}
