import { rng } from '../random.ts';

/** The size of a bag encoder: embedding rows (hash buckets), their width, and an optional projection (0: none). */
export interface EncoderShape {
  buckets: number;
  dim: number;
  projection: number;
}

/** What the forward pass keeps for the backward pass, one row per text. */
export interface Forward {
  rows: number;
  /** Mean of the text's feature embeddings [rows × dim]. */
  h: Float64Array;
  /** After the projection (h itself without one) [rows × out]. */
  z: Float64Array;
  /** z / ‖z‖: the vector that is scored [rows × out]. */
  e: Float64Array;
  norm: Float64Array;
}

/**
 * Gradients of one step: embedding rows touched by the step's texts (sparse: a step touches a few thousand of the
 * table's rows) and the dense projection.
 */
export class Gradients {
  readonly rows: number[] = [];
  private readonly slot: Int32Array;
  private values: Float64Array;
  readonly proj: Float64Array | null;
  private readonly dim: number;

  constructor(shape: EncoderShape) {
    this.dim = shape.dim;
    this.slot = new Int32Array(shape.buckets).fill(-1);
    this.values = new Float64Array(4096 * shape.dim);
    this.proj = shape.projection ? new Float64Array(shape.dim * shape.projection) : null;
  }

  /** The gradient row of an embedding row, created (zeroed) on first touch. */
  row(id: number): number {
    let s = this.slot[id]!;
    if (s < 0) {
      s = this.rows.length;
      this.slot[id] = s;
      this.rows.push(id);
      if ((s + 1) * this.dim > this.values.length) {
        const grown = new Float64Array(this.values.length * 2);
        grown.set(this.values);
        this.values = grown;
      }
    }
    return s * this.dim;
  }

  get data(): Float64Array {
    return this.values;
  }

  reset(): void {
    for (const id of this.rows) this.slot[id] = -1;
    this.values.fill(0, 0, this.rows.length * this.dim);
    this.rows.length = 0;
    this.proj?.fill(0);
  }
}

/**
 * A dual encoder's one tower (queries and documents share it): hashed features → embedding bag (mean) → optional
 * linear projection → L2 normalisation. Gradients are written out by hand; `test/training/gradients.test.ts` checks
 * them against finite differences.
 */
export class BagEncoder {
  readonly shape: EncoderShape;
  readonly table: Float32Array;
  readonly proj: Float32Array | null;

  constructor(shape: EncoderShape, table: Float32Array, proj: Float32Array | null) {
    this.shape = shape;
    this.table = table;
    this.proj = proj;
  }

  /** Small uniform embeddings (random projections keep n-gram overlap visible from the first step). */
  static create(shape: EncoderShape, seed: number): BagEncoder {
    const r = rng(seed);
    const table = new Float32Array(shape.buckets * shape.dim);
    const a = 1 / Math.sqrt(shape.dim);
    for (let i = shape.dim; i < table.length; i++) table[i] = (r() * 2 - 1) * a; // row 0 is padding and stays zero
    let proj: Float32Array | null = null;
    if (shape.projection) {
      proj = new Float32Array(shape.dim * shape.projection);
      const b = Math.sqrt(3 / shape.dim);
      for (let i = 0; i < proj.length; i++) proj[i] = (r() * 2 - 1) * b;
    }
    return new BagEncoder(shape, table, proj);
  }

  get outDim(): number {
    return this.shape.projection || this.shape.dim;
  }

  forward(texts: readonly Int32Array[]): Forward {
    const { dim } = this.shape;
    const out = this.outDim;
    const rows = texts.length;
    const h = new Float64Array(rows * dim);
    const z = this.proj ? new Float64Array(rows * out) : h;
    const e = new Float64Array(rows * out);
    const norm = new Float64Array(rows);
    const { table, proj } = this;
    for (let r = 0; r < rows; r++) {
      const ids = texts[r]!;
      const hr = r * dim;
      for (let k = 0; k < ids.length; k++) {
        const at = ids[k]! * dim;
        for (let i = 0; i < dim; i++) h[hr + i]! += table[at + i]!;
      }
      if (ids.length > 0) for (let i = 0; i < dim; i++) h[hr + i]! /= ids.length;
      const zr = r * out;
      if (proj) {
        for (let i = 0; i < dim; i++) {
          const x = h[hr + i]!;
          if (x === 0) continue;
          const w = i * out;
          for (let j = 0; j < out; j++) z[zr + j]! += x * proj[w + j]!;
        }
      }
      let s = 0;
      for (let j = 0; j < out; j++) s += z[zr + j]! * z[zr + j]!;
      const n = Math.sqrt(s);
      norm[r] = n;
      if (n > 0) for (let j = 0; j < out; j++) e[zr + j] = z[zr + j]! / n;
    }
    return { rows, h, z, e, norm };
  }

  /** Accumulates into `g` the gradients of a loss whose gradient with respect to the normalised vectors is `ge`. */
  backward(texts: readonly Int32Array[], f: Forward, ge: Float64Array, g: Gradients): void {
    const { dim } = this.shape;
    const out = this.outDim;
    const gz = new Float64Array(out);
    const gh = new Float64Array(dim);
    const { proj } = this;
    for (let r = 0; r < f.rows; r++) {
      const n = f.norm[r]!;
      const ids = texts[r]!;
      if (n === 0 || ids.length === 0) continue;
      const zr = r * out;
      // Through the normalisation: ∂e/∂z = (I − e eᵀ) / ‖z‖.
      let dotEG = 0;
      for (let j = 0; j < out; j++) dotEG += f.e[zr + j]! * ge[zr + j]!;
      for (let j = 0; j < out; j++) gz[j] = (ge[zr + j]! - f.e[zr + j]! * dotEG) / n;
      const hr = r * dim;
      if (proj) {
        const gp = g.proj!;
        for (let i = 0; i < dim; i++) {
          const x = f.h[hr + i]!;
          const w = i * out;
          let s = 0;
          for (let j = 0; j < out; j++) {
            gp[w + j]! += x * gz[j]!;
            s += proj[w + j]! * gz[j]!;
          }
          gh[i] = s;
        }
      } else {
        gh.set(gz);
      }
      // Through the mean: each occurrence of a feature gets 1/len of the bag's gradient.
      const inv = 1 / ids.length;
      for (let k = 0; k < ids.length; k++) {
        const at = g.row(ids[k]!);
        const d = g.data; // read after row(): it may have grown the buffer
        for (let i = 0; i < dim; i++) d[at + i]! += gh[i]! * inv;
      }
    }
  }

  /** Normalised vectors of texts as float32 rows, for scoring and evaluation. */
  vectors(texts: readonly Int32Array[]): Float32Array[] {
    const f = this.forward(texts);
    const out = this.outDim;
    return texts.map((_, r) => Float32Array.from(f.e.subarray(r * out, (r + 1) * out)));
  }
}
