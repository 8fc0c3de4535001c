/**
 * Where a graph's int8 codes live, and the asymmetric inner product over them (a float query, already multiplied
 * by the scales, against one node's codes): the loop every graph search and build spends most of its time in.
 * Where WebAssembly SIMD is available (Node and Electron everywhere Pont ships) the codes sit in a WebAssembly
 * memory and the product runs 16 codes at a time in a kernel of a few dozen instructions, assembled below; otherwise,
 * or for more codes than a 32-bit memory holds, in a plain array and a JavaScript loop. Both give the same
 * similarities up to float rounding (test/dense/int8-kernel.property.test.ts).
 */
export interface Int8Kernel {
  readonly dimension: number;
  /** Codes, row-major, one row of `dimension` bytes per node: a view that changes when `reserve` grows it. */
  readonly codes: Int8Array;
  /** Room for `rows` rows, keeping the codes already there. */
  reserve(rows: number): void;
  /** Σ q[j]·codes[row·dimension + j]. */
  sim(q: Float32Array, row: number): number;
}

export function int8Kernel(dimension: number, rows: number, simd = simdAvailable()): Int8Kernel {
  if (simd) {
    const k = WasmKernel.create(dimension, rows);
    if (k) return k;
  }
  return new JsKernel(dimension, rows);
}

export class JsKernel implements Int8Kernel {
  readonly dimension: number;
  codes: Int8Array;

  constructor(dimension: number, rows: number) {
    this.dimension = dimension;
    this.codes = new Int8Array(rows * dimension);
  }

  reserve(rows: number): void {
    if (rows * this.dimension <= this.codes.length) return;
    const codes = new Int8Array(rows * this.dimension);
    codes.set(this.codes);
    this.codes = codes;
  }

  sim(q: Float32Array, row: number): number {
    return jsDot(q, this.codes, row * this.dimension, 0, this.dimension);
  }
}

function jsDot(q: Float32Array, c: Int8Array, o: number, from: number, to: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = from;
  for (; j + 3 < to; j += 4) {
    s0 += q[j]! * c[o + j]!;
    s1 += q[j + 1]! * c[o + j + 1]!;
    s2 += q[j + 2]! * c[o + j + 2]!;
    s3 += q[j + 3]! * c[o + j + 3]!;
  }
  for (; j < to; j++) s0 += q[j]! * c[o + j]!;
  return s0 + s1 + s2 + s3;
}

const PAGE = 65536;
const MAX_PAGES = 65536; // a 32-bit memory: 4 GiB

type Dot = (q: number, codes: number, blocks: number) => number;

class WasmKernel implements Int8Kernel {
  readonly dimension: number;
  codes!: Int8Array;
  private readonly memory: WebAssembly.Memory;
  private readonly dot: Dot;
  /** Bytes before the codes: the query's scratch area, 16-byte aligned. */
  private readonly base: number;
  private readonly blocks: number;
  private query!: Float32Array;
  /** The query now copied into the scratch area (compared by identity: queries are never changed in place). */
  private loaded: Float32Array | undefined;

  private constructor(dimension: number, memory: WebAssembly.Memory, dot: Dot, base: number) {
    this.dimension = dimension;
    this.memory = memory;
    this.dot = dot;
    this.base = base;
    this.blocks = Math.floor(dimension / 16);
    this.views(0);
  }

  static create(dimension: number, rows: number): WasmKernel | undefined {
    const base = Math.ceil((dimension * 4) / 16) * 16;
    const pages = Math.ceil((base + rows * dimension) / PAGE);
    if (pages > MAX_PAGES) return undefined;
    const memory = new WebAssembly.Memory({ initial: Math.max(1, pages), maximum: MAX_PAGES });
    const instance = new WebAssembly.Instance(kernelModule(), { m: { mem: memory } });
    return new WasmKernel(dimension, memory, instance.exports.dot as Dot, base);
  }

  private views(rows: number): void {
    const buffer = this.memory.buffer;
    this.query = new Float32Array(buffer, 0, this.dimension);
    this.codes = new Int8Array(buffer, this.base, Math.max(rows, Math.floor((buffer.byteLength - this.base) / this.dimension)) * this.dimension);
    this.loaded = undefined;
  }

  reserve(rows: number): void {
    const bytes = this.base + rows * this.dimension;
    const have = this.memory.buffer.byteLength;
    if (bytes <= have) return;
    const pages = Math.ceil((bytes - have) / PAGE);
    if (have / PAGE + pages > MAX_PAGES) throw new RangeError(`int8 codes for ${rows} rows of ${this.dimension} dimensions exceed 4 GiB`);
    this.memory.grow(pages);
    this.views(rows);
  }

  sim(q: Float32Array, row: number): number {
    if (q !== this.loaded) {
      this.query.set(q);
      this.loaded = q;
    }
    const d = this.dimension;
    const simd = this.dot(0, this.base + row * d, this.blocks);
    return this.blocks * 16 === d ? simd : simd + jsDot(q, this.codes, row * d, this.blocks * 16, d);
  }
}

let compiled: WebAssembly.Module | undefined;
let available: boolean | undefined;

export function simdAvailable(): boolean {
  available ??= typeof WebAssembly === 'object' && WebAssembly.validate(kernelBytes());
  return available;
}

function kernelModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(kernelBytes());
  return compiled;
}

/**
 * The kernel's module, assembled by hand (no toolchain on the install path): it imports its memory as m.mem and
 * exports dot(q, codes, blocks) → f32, the sum over `blocks` blocks of 16 of f32 q[j] × i8 codes[j], each block's
 * codes widened to i16, then i32, then f32, four lanes at a time, into two accumulators.
 */
function kernelBytes(): Uint8Array<ArrayBuffer> {
  const section = (id: number, body: number[]) => [id, ...leb(body.length), ...body];
  const name = (s: string) => [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];
  const simd = (op: number, ...imm: number[]) => [0xfd, ...leb(op), ...imm];
  const get = (i: number) => [0x20, i];
  const set = (i: number) => [0x21, i];
  const load = (offset: number) => simd(0x00, 0, ...leb(offset)); // v128.load, align 1
  const [Q, C, N, ACC0, ACC1, X, W] = [0, 1, 2, 3, 4, 5, 6];
  /** acc += f32(widen(W's low or high four lanes)) × q[offset…]. */
  const madd = (acc: number, high: boolean, offset: number) => [
    ...get(acc),
    ...get(W),
    ...simd(high ? 0xa8 : 0xa7), // i32x4.extend_{high,low}_i16x8_s
    ...simd(0xfa), // f32x4.convert_i32x4_s
    ...get(Q),
    ...load(offset),
    ...simd(0xe6), // f32x4.mul
    ...simd(0xe4), // f32x4.add
    ...set(acc),
  ];
  const lane = (i: number) => [...get(ACC0), ...simd(0x1f, i)]; // f32x4.extract_lane
  const code = [
    0x02, 0x40, // block
    ...get(N), 0x45, 0x0d, 0x00, // if blocks == 0, leave
    0x03, 0x40, // loop
    ...get(C), ...load(0), ...set(X),
    ...get(X), ...simd(0x87), ...set(W), // i16x8.extend_low_i8x16_s
    ...madd(ACC0, false, 0),
    ...madd(ACC1, true, 16),
    ...get(X), ...simd(0x88), ...set(W), // i16x8.extend_high_i8x16_s
    ...madd(ACC0, false, 32),
    ...madd(ACC1, true, 48),
    ...get(Q), 0x41, ...sleb(64), 0x6a, ...set(Q),
    ...get(C), 0x41, ...sleb(16), 0x6a, ...set(C),
    ...get(N), 0x41, ...sleb(1), 0x6b, 0x22, N, 0x0d, 0x00, // blocks -= 1; again while blocks != 0
    0x0b, // end loop
    0x0b, // end block
    ...get(ACC0), ...get(ACC1), ...simd(0xe4), ...set(ACC0),
    ...lane(0), ...lane(1), 0x92, ...lane(2), 0x92, ...lane(3), 0x92, // f32.add
    0x0b,
  ];
  const body = [1, 4, 0x7b, ...code]; // four v128 locals
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 3, 0x7f, 0x7f, 0x7f, 1, 0x7d]), // (i32, i32, i32) → f32
    ...section(2, [1, ...name('m'), ...name('mem'), 0x02, 0x00, 0x00]), // memory import, no minimum
    ...section(3, [1, 0]),
    ...section(7, [1, ...name('dot'), 0x00, 0]),
    ...section(10, [1, ...leb(body.length), ...body]),
  ]);
}

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}
