// Small real ONNX graphs built in code (no pretrained weights can be downloaded here), and the same computations
// written out in TypeScript so tests can check onnxruntime's numbers against an independent implementation.
import p from 'onnx-proto';
import { rng } from '../helpers/random.ts';

const { onnx } = p;
const FLOAT = onnx.TensorProto.DataType.FLOAT;
const FLOAT16 = onnx.TensorProto.DataType.FLOAT16;
const INT64 = onnx.TensorProto.DataType.INT64;

type Dim = number | string;
type AttrValue = number | number[] | string;

export function randomMatrix(rand: () => number, size: number, scale: number): Float32Array {
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = (rand() * 2 - 1) * scale;
  return out;
}

/**
 * IEEE half precision of each value, rounded to nearest even (what a converted fp16 model holds): overflow gives
 * infinity, tiny values subnormals or zero.
 */
export function floatToHalf(values: Float32Array): Uint16Array {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const x = bits[i]!;
    const sign = (x >>> 16) & 0x8000;
    const exp = (x >>> 23) & 0xff;
    let mant = x & 0x7fffff;
    const e = exp - 127 + 15;
    if (exp === 0xff) out[i] = sign | 0x7c00 | (mant ? 0x200 : 0);
    else if (e >= 0x1f) out[i] = sign | 0x7c00;
    else if (e <= 0) {
      if (e < -10) {
        out[i] = sign;
        continue;
      }
      mant |= 0x800000;
      const shift = 14 - e;
      const rest = mant & ((1 << shift) - 1);
      const halfway = 1 << (shift - 1);
      let h = mant >>> shift;
      if (rest > halfway || (rest === halfway && h & 1)) h++;
      out[i] = sign | h;
    } else {
      // A carry out of the mantissa correctly moves on to the next exponent (or to infinity).
      let h = (e << 10) | (mant >>> 13);
      const rest = mant & 0x1fff;
      if (rest > 0x1000 || (rest === 0x1000 && h & 1)) h++;
      out[i] = sign | h;
    }
  }
  return out;
}

/**
 * Builds an ONNX graph node by node; initialisers are written as raw bytes, which keeps large models fast. With
 * `fp16`, float weights and scalars are stored in half precision, so the graph computes in fp16 as a converted
 * model does (`floatType` is the `to` of a Cast into it).
 */
export class GraphBuilder {
  readonly precision: 'fp32' | 'fp16';
  readonly floatType: number;

  constructor(precision: 'fp32' | 'fp16' = 'fp32') {
    this.precision = precision;
    this.floatType = precision === 'fp16' ? FLOAT16 : FLOAT;
  }

  private readonly nodes: p.onnx.INodeProto[] = [];
  private readonly inits: p.onnx.ITensorProto[] = [];
  private readonly inputs: p.onnx.IValueInfoProto[] = [];
  private readonly outputs: p.onnx.IValueInfoProto[] = [];
  private counter = 0;

  input(name: string, dims: Dim[], type: 'float' | 'int64' = 'int64'): string {
    this.inputs.push(valueInfo(name, dims, type === 'float' ? FLOAT : INT64));
    return name;
  }

  output(name: string, dims: Dim[], type: 'float' | 'float16' = 'float'): void {
    this.outputs.push(valueInfo(name, dims, type === 'float' ? FLOAT : onnx.TensorProto.DataType.FLOAT16));
  }

  weight(name: string, data: Float32Array, dims: number[]): string {
    const stored = this.precision === 'fp16' ? floatToHalf(data) : data;
    this.inits.push({ name, dataType: this.floatType, dims, rawData: new Uint8Array(stored.buffer, stored.byteOffset, stored.byteLength) });
    return name;
  }

  ints(name: string, values: number[]): string {
    const data = BigInt64Array.from(values.map(BigInt));
    this.inits.push({ name, dataType: INT64, dims: [values.length], rawData: new Uint8Array(data.buffer) });
    return name;
  }

  int8(name: string, data: Int8Array, dims: number[]): string {
    this.inits.push({ name, dataType: onnx.TensorProto.DataType.INT8, dims, rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) });
    return name;
  }

  scalar(name: string, value: number): string {
    return this.weight(name, Float32Array.of(value), []);
  }

  /** Adds a node and returns its output name (named `out` when given, else a fresh one). */
  op(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}, out?: string): string {
    const output = out ?? `${opType.toLowerCase()}_${this.counter++}`;
    const attribute = Object.entries(attrs).map(([name, v]) =>
      typeof v === 'string'
        ? { name, type: onnx.AttributeProto.AttributeType.STRING, s: new TextEncoder().encode(v) }
        : Array.isArray(v)
          ? { name, type: onnx.AttributeProto.AttributeType.INTS, ints: v }
          : Number.isInteger(v) && name !== 'epsilon' && name !== 'alpha'
            ? { name, type: onnx.AttributeProto.AttributeType.INT, i: v }
            : { name, type: onnx.AttributeProto.AttributeType.FLOAT, f: v },
    );
    this.nodes.push({ opType, input: inputs, output: [output], name: output, attribute });
    return output;
  }

  toBytes(): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: 'pont-tests',
      opsetImport: [{ domain: '', version: 17 }],
      graph: { name: 'g', node: this.nodes, initializer: this.inits, input: this.inputs, output: this.outputs },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

function valueInfo(name: string, dims: Dim[], elemType: number): p.onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The tiny encoder: embeddings → one masked single-head self-attention → Tanh feed-forward, with a pooled output.

export interface TinyWeights {
  vocab: number;
  hidden: number;
  word: Float32Array; // vocab × hidden
  type: Float32Array; // 2 × hidden
  wq: Float32Array;
  wk: Float32Array;
  wv: Float32Array;
  w1: Float32Array;
  b1: Float32Array;
  wp: Float32Array;
  bp: Float32Array;
}

export function tinyWeights(vocab: number, hidden: number, seed = 7): TinyWeights {
  const r = rng(seed);
  const m = (n: number, s = 0.5) => randomMatrix(r, n, s);
  return {
    vocab,
    hidden,
    word: m(vocab * hidden, 1),
    type: m(2 * hidden, 0.3),
    wq: m(hidden * hidden),
    wk: m(hidden * hidden),
    wv: m(hidden * hidden),
    w1: m(hidden * hidden),
    b1: m(hidden, 0.1),
    wp: m(hidden * hidden),
    bp: m(hidden, 0.1),
  };
}

export interface EncoderGraphOptions {
  /** Name of the token input; tests rename it to check the import error. */
  inputIdsName?: string;
  tokenTypes?: boolean;
  /** Emit `last_hidden_state` with the sequence axis pooled away, i.e. of the wrong rank. */
  wrongRank?: boolean;
  /** fp16: outputs in half precision; int8: the embedding matrix stored as int8 with a scale (weight-only). */
  variant?: 'fp16' | 'int8';
}

/** Adds the encoder body to `g` and returns the name of its [batch, seq, hidden] output. */
function encoderBody(g: GraphBuilder, w: TinyWeights, idsName: string, maskName: string, typesName: string | undefined, hiddenOut: string, int8 = false): string {
  const H = w.hidden;
  let table = g.weight('word_embeddings', w.word, [w.vocab, H]);
  if (int8) {
    const scale = Math.max(...w.word.map(Math.abs)) / 127;
    const q = Int8Array.from(w.word, (v) => Math.round(v / scale));
    table = g.op('DequantizeLinear', [g.int8('word_embeddings_q', q, [w.vocab, H]), g.scalar('word_scale', scale)]);
  }
  let x = g.op('Gather', [table, idsName]);
  if (typesName) x = g.op('Add', [x, g.op('Gather', [g.weight('type_embeddings', w.type, [2, H]), typesName])]);
  const maskF = g.op('Cast', [maskName], { to: FLOAT });
  const bias = g.op('Unsqueeze', [g.op('Mul', [g.op('Sub', [g.scalar('one', 1), maskF]), g.scalar('neg', -10000)]), g.ints('axis1', [1])]);
  const q = g.op('MatMul', [x, g.weight('wq', w.wq, [H, H])]);
  const k = g.op('MatMul', [x, g.weight('wk', w.wk, [H, H])]);
  const v = g.op('MatMul', [x, g.weight('wv', w.wv, [H, H])]);
  const scores = g.op('Add', [g.op('Div', [g.op('MatMul', [q, g.op('Transpose', [k], { perm: [0, 2, 1] })]), g.scalar('scale', Math.sqrt(H))]), bias]);
  const ctx = g.op('MatMul', [g.op('Softmax', [scores], { axis: -1 }), v]);
  return g.op('Tanh', [g.op('Add', [g.op('MatMul', [g.op('Add', [x, ctx]), g.weight('w1', w.w1, [H, H])]), g.weight('b1', w.b1, [H])])], {}, hiddenOut);
}

function firstToken(g: GraphBuilder, h: string): string {
  return g.op('Gather', [h, g.ints('zero', [0])], { axis: 1 });
}

/** A BERT-like encoder: input_ids, attention_mask (and token_type_ids) → last_hidden_state, pooler_output. */
export function tinyEncoder(w: TinyWeights, o: EncoderGraphOptions = {}): Uint8Array {
  const g = new GraphBuilder();
  const ids = g.input(o.inputIdsName ?? 'input_ids', ['batch', 'seq']);
  const mask = g.input('attention_mask', ['batch', 'seq']);
  const types = o.tokenTypes ? g.input('token_type_ids', ['batch', 'seq']) : undefined;
  const fp16 = o.variant === 'fp16';
  const h = encoderBody(g, w, ids, mask, types, o.wrongRank ? 'hidden_3d' : fp16 ? 'hidden_fp32' : 'last_hidden_state', o.variant === 'int8');
  if (fp16) {
    g.op('Cast', [h], { to: onnx.TensorProto.DataType.FLOAT16 }, 'last_hidden_state');
    g.output('last_hidden_state', ['batch', 'seq', w.hidden], 'float16');
  } else if (o.wrongRank) {
    g.op('ReduceMean', [h], { axes: [1], keepdims: 0 }, 'last_hidden_state');
    g.output('last_hidden_state', ['batch', w.hidden]);
  } else {
    g.output('last_hidden_state', ['batch', 'seq', w.hidden]);
  }
  const cls = g.op('Squeeze', [firstToken(g, h), g.ints('axis1b', [1])]);
  g.op('Tanh', [g.op('Add', [g.op('MatMul', [cls, g.weight('wp', w.wp, [w.hidden, w.hidden])]), g.weight('bp', w.bp, [w.hidden])])], {}, 'pooler_output');
  g.output('pooler_output', ['batch', w.hidden]);
  return g.toBytes();
}

/**
 * A BGE-M3–style export with its three heads: dense_vecs (the first token's state), sparse_vecs (ReLU of a linear
 * weight per token, [batch, seq, 1]) and colbert_vecs (a linear map of every token but the first).
 */
export function tinyM3(w: TinyWeights, sparseHead: Float32Array, colbertHead: Float32Array): Uint8Array {
  const g = new GraphBuilder();
  const H = w.hidden;
  const h = encoderBody(g, w, g.input('input_ids', ['batch', 'seq']), g.input('attention_mask', ['batch', 'seq']), undefined, 'hidden');
  g.op('Squeeze', [firstToken(g, h), g.ints('axis1b', [1])], {}, 'dense_vecs');
  g.output('dense_vecs', ['batch', H]);
  g.op('Relu', [g.op('MatMul', [h, g.weight('sparse_linear', sparseHead, [H, 1])])], {}, 'sparse_vecs');
  g.output('sparse_vecs', ['batch', 'seq', 1]);
  const rest = g.op('Slice', [h, g.ints('start1', [1]), g.ints('end_max', [1 << 30]), g.ints('axis_s', [1])]);
  g.op('MatMul', [rest, g.weight('colbert_linear', colbertHead, [H, H])], {}, 'colbert_vecs');
  g.output('colbert_vecs', ['batch', 'seq_minus_1', H]);
  return g.toBytes();
}

/** A cross-encoder: the encoder with a classification head on the first token → logits [batch, labels]. */
export function tinyCrossEncoder(w: TinyWeights, head: Float32Array, labels = 1): Uint8Array {
  const g = new GraphBuilder();
  const h = encoderBody(g, w, g.input('input_ids', ['batch', 'seq']), g.input('attention_mask', ['batch', 'seq']), g.input('token_type_ids', ['batch', 'seq']), 'hidden');
  const cls = g.op('Squeeze', [firstToken(g, h), g.ints('axis1b', [1])]);
  g.op('MatMul', [cls, g.weight('classifier', head, [w.hidden, labels])], {}, 'logits');
  g.output('logits', ['batch', labels]);
  return g.toBytes();
}

/** The encoder half of a T5-style model as Optimum exports it: input_ids, attention_mask → last_hidden_state. */
export function tinySeq2SeqEncoder(w: TinyWeights): Uint8Array {
  const g = new GraphBuilder();
  encoderBody(g, w, g.input('input_ids', ['batch', 'seq']), g.input('attention_mask', ['batch', 'seq']), undefined, 'last_hidden_state');
  g.output('last_hidden_state', ['batch', 'seq', w.hidden]);
  return g.toBytes();
}

export interface DecoderWeights {
  embed: Float32Array; // vocab × hidden
  wo: Float32Array; // hidden × hidden
  lmHead: Float32Array; // hidden × vocab
}

export function decoderWeights(vocab: number, hidden: number, seed = 11): DecoderWeights {
  const r = rng(seed);
  return { embed: randomMatrix(r, vocab * hidden, 1), wo: randomMatrix(r, hidden * hidden, 0.5), lmHead: randomMatrix(r, hidden * vocab, 1) };
}

/**
 * One decoder step: input_ids [batch, 1], encoder_hidden_states, encoder_attention_mask → logits [batch, 1, vocab],
 * through masked cross-attention over the encoder's states.
 */
export function tinySeq2SeqDecoder(w: TinyWeights, d: DecoderWeights): Uint8Array {
  const g = new GraphBuilder();
  const H = w.hidden;
  const ids = g.input('input_ids', ['batch', 'dec_seq']);
  const mask = g.input('encoder_attention_mask', ['batch', 'seq']);
  const enc = g.input('encoder_hidden_states', ['batch', 'seq', H], 'float');
  const x = g.op('Gather', [g.weight('dec_embed', d.embed, [w.vocab, H]), ids]);
  const bias = g.op('Unsqueeze', [g.op('Mul', [g.op('Sub', [g.scalar('one', 1), g.op('Cast', [mask], { to: FLOAT })]), g.scalar('neg', -10000)]), g.ints('axis1', [1])]);
  const scores = g.op('Add', [g.op('Div', [g.op('MatMul', [x, g.op('Transpose', [enc], { perm: [0, 2, 1] })]), g.scalar('scale', Math.sqrt(H))]), bias]);
  const ctx = g.op('MatMul', [g.op('Softmax', [scores], { axis: -1 }), enc]);
  const h = g.op('Tanh', [g.op('MatMul', [g.op('Add', [x, ctx]), g.weight('wo', d.wo, [H, H])])]);
  g.op('MatMul', [h, g.weight('lm_head', d.lmHead, [H, w.vocab])], {}, 'logits');
  g.output('logits', ['batch', 'dec_seq', w.vocab]);
  return g.toBytes();
}

// ---------------------------------------------------------------------------------------------------------------
// The same computations in TypeScript, one unpadded sequence at a time (so they also check batch invariance).

type Matrix = number[][];

function rowsOf(ids: number[], table: Float32Array, H: number): Matrix {
  return ids.map((id) => Array.from(table.subarray(id * H, (id + 1) * H)));
}

function matmul(a: Matrix, w: Float32Array, cols: number): Matrix {
  return a.map((row) => {
    const out = new Array<number>(cols).fill(0);
    row.forEach((v, i) => {
      for (let j = 0; j < cols; j++) out[j]! += v * w[i * cols + j]!;
    });
    return out;
  });
}

function attend(q: Matrix, k: Matrix, v: Matrix, H: number): Matrix {
  return q.map((qi) => {
    const s = k.map((kj) => qi.reduce((acc, x, t) => acc + x * kj[t]!, 0) / Math.sqrt(H));
    const max = Math.max(...s);
    const e = s.map((x) => Math.exp(x - max));
    const z = e.reduce((a, b) => a + b, 0);
    return v[0]!.map((_, c) => v.reduce((acc, vj, j) => acc + (e[j]! / z) * vj[c]!, 0));
  });
}

const add = (a: Matrix, b: Matrix): Matrix => a.map((r, i) => r.map((x, j) => x + b[i]![j]!));

/** last_hidden_state and pooler_output of `tinyEncoder` for one sequence. */
export function referenceEncoder(w: TinyWeights, ids: number[], types?: number[]): { hidden: Matrix; pooled: number[] } {
  const H = w.hidden;
  let x = rowsOf(ids, w.word, H);
  if (types) x = add(x, rowsOf(types, w.type, H));
  const ctx = attend(matmul(x, w.wq, H), matmul(x, w.wk, H), matmul(x, w.wv, H), H);
  const hidden = matmul(add(x, ctx), w.w1, H).map((r) => r.map((v, j) => Math.tanh(v + w.b1[j]!)));
  const pooled = matmul([hidden[0]!], w.wp, H)[0]!.map((v, j) => Math.tanh(v + w.bp[j]!));
  return { hidden, pooled };
}

export function referenceCrossEncoder(w: TinyWeights, head: Float32Array, ids: number[], types: number[]): number {
  const { hidden } = referenceEncoder(w, ids, types);
  return hidden[0]!.reduce((acc, v, i) => acc + v * head[i]!, 0);
}

/** Decoder logits over the vocabulary for one decoder token after encoding `ids`. */
export function referenceSeq2Seq(w: TinyWeights, d: DecoderWeights, ids: number[], decoderStart: number): number[] {
  const H = w.hidden;
  const enc = referenceEncoder(w, ids).hidden;
  const x = rowsOf([decoderStart], d.embed, H);
  const ctx = attend(x, enc, enc, H);
  const h = matmul(add(x, ctx), d.wo, H).map((r) => r.map(Math.tanh));
  return matmul(h, d.lmHead, w.vocab)[0]!;
}
