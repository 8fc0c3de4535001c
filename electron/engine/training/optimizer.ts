import type { BagEncoder, Gradients } from './encoder.ts';

export interface AdamSettings {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
}

/**
 * The moments' memory written once, in order: the kernel maps a new buffer's pages on first write, and a step's
 * scattered rows then each took a page fault (on this VM, the lazy update ran 2x slower over the training
 * benchmark's 80 steps until every page had been touched).
 */
function touched(a: Float32Array): Float32Array {
  return a.fill(0);
}

export const defaultAdam: AdamSettings = { lr: 0.005, beta1: 0.9, beta2: 0.999, eps: 1e-8 };

/**
 * Lazy (sparse) Adam as PyTorch's SparseAdam does it: only the embedding rows a step touched get their moments
 * and weights updated, so a step costs what its texts cost and not the table's size. The projection, dense, gets
 * ordinary Adam. The moments are part of a checkpoint.
 */
export class SparseAdam {
  readonly settings: AdamSettings;
  readonly m: Float32Array;
  readonly v: Float32Array;
  readonly pm: Float32Array | null;
  readonly pv: Float32Array | null;
  step: number;

  constructor(encoder: BagEncoder, settings: AdamSettings, state?: { m: Float32Array; v: Float32Array; pm: Float32Array | null; pv: Float32Array | null; step: number }) {
    this.settings = settings;
    this.m = state?.m ?? touched(new Float32Array(encoder.table.length));
    this.v = state?.v ?? touched(new Float32Array(encoder.table.length));
    this.pm = state?.pm ?? (encoder.proj ? new Float32Array(encoder.proj.length) : null);
    this.pv = state?.pv ?? (encoder.proj ? new Float32Array(encoder.proj.length) : null);
    this.step = state?.step ?? 0;
  }

  apply(encoder: BagEncoder, g: Gradients): void {
    const { lr, beta1, beta2, eps } = this.settings;
    this.step++;
    const bc1 = 1 - beta1 ** this.step;
    const bc2 = 1 - beta2 ** this.step;
    const size = (lr * Math.sqrt(bc2)) / bc1;
    const dim = encoder.shape.dim;
    const { m, v } = this;
    const table = encoder.table;
    const data = g.data;
    const rows = g.rows;
    const a1 = 1 - beta1;
    const a2 = 1 - beta2;
    for (let s = 0; s < rows.length; s++) {
      const at = rows[s]! * dim;
      const gs = s * dim;
      for (let i = 0; i < dim; i++) {
        const gi = data[gs + i]!;
        const mi = beta1 * m[at + i]! + a1 * gi;
        const vi = beta2 * v[at + i]! + a2 * gi * gi;
        m[at + i] = mi;
        v[at + i] = vi;
        table[at + i]! -= (size * mi) / (Math.sqrt(vi) + eps);
      }
    }
    if (encoder.proj && g.proj) {
      const pm = this.pm!;
      const pv = this.pv!;
      const p = encoder.proj;
      for (let i = 0; i < p.length; i++) {
        const gi = g.proj[i]!;
        pm[i] = beta1 * pm[i]! + (1 - beta1) * gi;
        pv[i] = beta2 * pv[i]! + (1 - beta2) * gi * gi;
        p[i]! -= (lr / bc1) * pm[i]! / (Math.sqrt(pv[i]! / bc2) + eps);
      }
    }
  }
}
