import { int8Kernel, type Int8Kernel } from './int8-kernel.ts';
import { quantiseInto, scaledQuery } from './quantise.ts';

/**
 * A hierarchical navigable small-world graph (Malkov & Yashunin, 2018) over int8 codes, in typed arrays so that a
 * million 768-dimensional vectors cost 768 MB of codes plus 128 bytes of links each, not millions of objects.
 * Similarity is the inner product of unit vectors (cosine); every distance computed during construction and search
 * is asymmetric: a float query against int8 codes. Deleting marks a node: it still routes searches but is never
 * returned, as in hnswlib. Results are candidates: callers rescore them with the exact float vectors.
 */
export interface HnswParams {
  /** Links per node on the upper layers; twice this on layer 0. */
  m: number;
  efConstruction: number;
  seed: number;
}

export const defaultHnswParams: HnswParams = { m: 16, efConstruction: 100, seed: 42 };

/** Nodes per stored chunk: a change rewrites the chunks it touched, not the graph. */
export const CHUNK = 4096;
const MAX_LEVEL = 16;

export class Hnsw {
  readonly dimension: number;
  readonly params: HnswParams;
  readonly scales: Float32Array;
  /**
   * Per dimension, the most any vector overshot its int8 range (clamped at ±127 steps); together with the rounding
   * it bounds how far an int8 similarity can be from the true one. Undefined when not known (a graph stored before it
   * was kept, or copied from a content pack): every candidate asked for is then rescored.
   */
  excess: Float32Array | undefined;
  private readonly m0: number;
  private readonly ml: number;
  size = 0;
  entry = -1;
  maxLevel = -1;
  deletedCount = 0;
  private readonly kernel: Int8Kernel;
  labels: Float64Array;
  levels: Uint8Array;
  deleted: Uint8Array;
  counts: Uint8Array;
  links: Int32Array;
  upper: (Int32Array | undefined)[] = [];
  /** The live node of each label (document id). */
  readonly byLabel = new Map<number, number>();
  /** Chunks whose links, labels or tombstones changed since `clean()`; chunks at or past `savedSize` need their codes written. */
  readonly dirty = new Set<number>();
  savedSize = 0;
  private visited = new Uint32Array(0);
  private stamp = 0;
  // Reused by every search: a query allocates nothing but its results.
  private readonly cand = new Heap(); // by −sim: the closest unexpanded candidate first
  private readonly res = new Heap(); // by sim: the worst of the best `ef` first

  constructor(dimension: number, scales: Float32Array, params: HnswParams = defaultHnswParams, capacity = 1024) {
    this.dimension = dimension;
    this.params = params;
    this.scales = scales;
    this.excess = new Float32Array(dimension);
    this.m0 = params.m * 2;
    this.ml = 1 / Math.log(params.m);
    this.kernel = int8Kernel(dimension, capacity);
    this.labels = new Float64Array(capacity);
    this.levels = new Uint8Array(capacity);
    this.deleted = new Uint8Array(capacity);
    this.counts = new Uint8Array(capacity);
    this.links = new Int32Array(capacity * this.m0);
  }

  /** One row of `dimension` int8 codes per node (a view that `reserve` may replace). */
  get codes(): Int8Array {
    return this.kernel.codes;
  }

  get live(): number {
    return this.size - this.deletedCount;
  }

  reserve(capacity: number): void {
    if (capacity <= this.labels.length) return;
    const grow = <T extends Float64Array | Uint8Array | Int32Array>(a: T, per: number): T => {
      const b = new (a.constructor as new (n: number) => T)(capacity * per);
      b.set(a);
      return b;
    };
    this.kernel.reserve(capacity);
    this.labels = grow(this.labels, 1);
    this.levels = grow(this.levels, 1);
    this.deleted = grow(this.deleted, 1);
    this.counts = grow(this.counts, 1);
    this.links = grow(this.links, this.m0);
  }

  /** Adds a unit vector under a label; a label already present is deleted first (an updated document). */
  insert(vector: ArrayLike<number>, label: number): void {
    this.remove(label);
    if (this.size === this.labels.length) this.reserve(Math.max(1024, this.size * 2));
    const id = this.size++;
    quantiseInto(vector, this.scales, this.codes, id * this.dimension, this.excess);
    this.labels[id] = label;
    const level = this.levelOf(id);
    this.levels[id] = level;
    this.upper[id] = level > 0 ? new Int32Array(level * (this.params.m + 1)) : undefined;
    this.byLabel.set(label, id);
    this.touch(id);
    if (this.entry < 0) {
      this.entry = id;
      this.maxLevel = level;
      return;
    }
    const q = scaledQuery(vector, this.scales);
    let ep = this.entry;
    for (let l = this.maxLevel; l > level; l--) ep = this.greedy(q, ep, l);
    let eps = [ep];
    for (let l = Math.min(level, this.maxLevel); l >= 0; l--) {
      const w = this.searchLayer(q, eps, this.params.efConstruction, l, false);
      const chosen = this.select(w.ids, w.sims, this.params.m);
      this.setLinks(id, l, chosen);
      for (const e of chosen) this.link(e, l, id);
      eps = w.ids;
    }
    if (level > this.maxLevel) {
      this.entry = id;
      this.maxLevel = level;
    }
  }

  remove(label: number): boolean {
    const node = this.byLabel.get(label);
    if (node === undefined) return false;
    this.byLabel.delete(label);
    this.deleted[node] = 1;
    this.deletedCount++;
    this.touch(node);
    return true;
  }

  /** The `ef` best live nodes for a unit query, by approximate (int8) inner product, best first. */
  search(query: ArrayLike<number>, ef: number): { ids: number[]; sims: number[] } {
    if (this.entry < 0) return { ids: [], sims: [] };
    const q = scaledQuery(query, this.scales);
    let ep = this.entry;
    for (let l = this.maxLevel; l > 0; l--) ep = this.greedy(q, ep, l);
    return this.searchLayer(q, [ep], ef, 0, true);
  }

  /** The int8 codes of a chunk's nodes: written once, when the chunk fills. */
  chunkCodes(chunk: number): Uint8Array {
    const from = chunk * CHUNK;
    const to = Math.min(this.size, from + CHUNK);
    return new Uint8Array(this.codes.buffer, this.codes.byteOffset + from * this.dimension, (to - from) * this.dimension);
  }

  /** Labels, links, levels and tombstones of a chunk's nodes, in one blob: [n, upper length], labels, layer-0 links, upper links, levels, tombstones, link counts. */
  chunkGraph(chunk: number): Uint8Array {
    const from = chunk * CHUNK;
    const to = Math.min(this.size, from + CHUNK);
    const n = to - from;
    const upper: number[] = [];
    for (let i = from; i < to; i++) {
      const u = this.upper[i];
      if (u) upper.push(i - from, ...u);
    }
    const bytes = new Uint8Array(8 + n * 8 + n * this.m0 * 4 + upper.length * 4 + n * 3);
    const header = new Int32Array(bytes.buffer, 0, 2);
    header[0] = n;
    header[1] = upper.length;
    let o = 8;
    new Float64Array(bytes.buffer, o, n).set(this.labels.subarray(from, to));
    o += n * 8;
    new Int32Array(bytes.buffer, o, n * this.m0).set(this.links.subarray(from * this.m0, to * this.m0));
    o += n * this.m0 * 4;
    new Int32Array(bytes.buffer, o, upper.length).set(upper);
    o += upper.length * 4;
    bytes.set(this.levels.subarray(from, to), o);
    bytes.set(this.deleted.subarray(from, to), o + n);
    bytes.set(this.counts.subarray(from, to), o + 2 * n);
    return bytes;
  }

  /** Puts back a chunk written by `chunkCodes` and `chunkGraph`; chunks must come in order. */
  loadChunk(chunk: number, codes: Uint8Array, graph: Uint8Array): void {
    const g = Uint8Array.from(graph); // SQLite's buffers are not aligned for wider views
    const [n, u] = new Int32Array(g.buffer, 0, 2) as unknown as [number, number];
    const from = chunk * CHUNK;
    this.reserve(from + n);
    this.codes.set(new Int8Array(codes.buffer, codes.byteOffset, codes.byteLength), from * this.dimension);
    let o = 8;
    this.labels.set(new Float64Array(g.buffer, o, n), from);
    o += n * 8;
    this.links.set(new Int32Array(g.buffer, o, n * this.m0), from * this.m0);
    o += n * this.m0 * 4;
    const upper = new Int32Array(g.buffer, o, u);
    o += u * 4;
    this.levels.set(g.subarray(o, o + n), from);
    this.deleted.set(g.subarray(o + n, o + 2 * n), from);
    this.counts.set(g.subarray(o + 2 * n, o + 3 * n), from);
    for (let p = 0; p < u; ) {
      const node = from + upper[p]!;
      const len = this.levels[node]! * (this.params.m + 1);
      this.upper[node] = upper.slice(p + 1, p + 1 + len);
      p += 1 + len;
    }
    for (let i = from; i < from + n; i++) {
      if (this.deleted[i]) this.deletedCount++;
      else this.byLabel.set(this.labels[i]!, i);
    }
    this.size = from + n;
    this.savedSize = this.size;
  }

  /** Approximate similarity of a scaled query to a node. */
  sim(q: Float32Array, node: number): number {
    return this.kernel.sim(q, node);
  }

  /** A node's code as a scaled query, to measure other nodes against it. */
  private asQuery(node: number): Float32Array {
    const q = new Float32Array(this.dimension);
    const o = node * this.dimension;
    const codes = this.codes;
    for (let j = 0; j < this.dimension; j++) q[j] = codes[o + j]! * this.scales[j]! * this.scales[j]!;
    return q;
  }

  private levelOf(id: number): number {
    // A hash of (seed, node number) rather than a stream: levels stay reproducible after the graph is reloaded.
    let z = (Math.imul(id + 1, 0x9e3779b9) ^ this.params.seed) >>> 0;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    const u = (((z ^ (z >>> 16)) >>> 0) + 1) / 4294967297;
    return Math.min(MAX_LEVEL, Math.floor(-Math.log(u) * this.ml));
  }

  private touch(node: number): void {
    this.dirty.add(Math.floor(node / CHUNK));
  }

  neighbours(node: number, level: number): Int32Array {
    if (level === 0) return this.links.subarray(node * this.m0, node * this.m0 + this.counts[node]!);
    const u = this.upper[node]!;
    const o = (level - 1) * (this.params.m + 1);
    return u.subarray(o + 1, o + 1 + u[o]!);
  }

  private setLinks(node: number, level: number, ids: readonly number[]): void {
    if (level === 0) {
      this.links.set(ids, node * this.m0);
      this.counts[node] = ids.length;
    } else {
      const u = this.upper[node]!;
      const o = (level - 1) * (this.params.m + 1);
      u[o] = ids.length;
      u.set(ids, o + 1);
    }
    this.touch(node);
  }

  /** Adds a back link from `e` to `node`; a full list is pruned again with the selection heuristic. */
  private link(e: number, level: number, node: number): void {
    const max = level === 0 ? this.m0 : this.params.m;
    const current = this.neighbours(e, level);
    if (current.length < max) {
      this.setLinks(e, level, [...current, node]);
      return;
    }
    const q = this.asQuery(e);
    const cands = [...current, node].map((id) => ({ id, s: this.sim(q, id) })).sort((a, b) => b.s - a.s);
    this.setLinks(
      e,
      level,
      this.select(
        cands.map((c) => c.id),
        cands.map((c) => c.s),
        max,
      ),
    );
  }

  /**
   * The neighbour selection heuristic: walking candidates from the closest, keep one only if it is closer to the
   * base than to every neighbour already kept, so links spread in all directions instead of into one cluster.
   */
  private select(ids: readonly number[], sims: readonly number[], max: number): number[] {
    if (ids.length <= max) return [...ids];
    const kept: number[] = [];
    for (let i = 0; i < ids.length && kept.length < max; i++) {
      const q = this.asQuery(ids[i]!);
      if (kept.every((r) => this.sim(q, r) <= sims[i]!)) kept.push(ids[i]!);
    }
    return kept;
  }

  private greedy(q: Float32Array, ep: number, level: number): number {
    let best = ep;
    let bestSim = this.sim(q, ep);
    for (let changed = true; changed; ) {
      changed = false;
      for (const e of this.neighbours(best, level)) {
        const s = this.sim(q, e);
        if (s > bestSim) {
          bestSim = s;
          best = e;
          changed = true;
        }
      }
    }
    return best;
  }

  private searchLayer(q: Float32Array, eps: readonly number[], ef: number, level: number, liveOnly: boolean): { ids: number[]; sims: number[] } {
    if (this.visited.length < this.size) this.visited = new Uint32Array(this.labels.length);
    if (++this.stamp === 0xffffffff) {
      this.visited.fill(0);
      this.stamp = 1;
    }
    const stamp = this.stamp;
    const visited = this.visited;
    const cand = this.cand;
    const res = this.res;
    cand.length = 0;
    res.length = 0;
    for (const ep of eps) {
      if (visited[ep] === stamp) continue;
      visited[ep] = stamp;
      const s = this.sim(q, ep);
      cand.push(ep, -s);
      if (!liveOnly || !this.deleted[ep]) res.push(ep, s);
    }
    while (cand.length > 0) {
      const s = -cand.topKey();
      if (res.length >= ef && s < res.topKey()) break;
      const c = cand.pop();
      for (const e of this.neighbours(c, level)) {
        if (visited[e] === stamp) continue;
        visited[e] = stamp;
        const se = this.sim(q, e);
        if (res.length < ef || se > res.topKey()) {
          cand.push(e, -se);
          if (!liveOnly || !this.deleted[e]) {
            res.push(e, se);
            if (res.length > ef) res.pop();
          }
        }
      }
    }
    const ids: number[] = [];
    const sims: number[] = [];
    while (res.length > 0) {
      sims.push(res.topKey());
      ids.push(res.pop());
    }
    return { ids: ids.reverse(), sims: sims.reverse() };
  }
}

/** A binary min-heap of (id, key) in typed arrays. */
class Heap {
  private ids = new Int32Array(64);
  private keys = new Float64Array(64);
  length = 0;

  topKey(): number {
    return this.keys[0]!;
  }

  push(id: number, key: number): void {
    if (this.length === this.ids.length) {
      const ids = new Int32Array(this.length * 2);
      ids.set(this.ids);
      const keys = new Float64Array(this.length * 2);
      keys.set(this.keys);
      this.ids = ids;
      this.keys = keys;
    }
    let i = this.length++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.keys[p]! <= key) break;
      this.ids[i] = this.ids[p]!;
      this.keys[i] = this.keys[p]!;
      i = p;
    }
    this.ids[i] = id;
    this.keys[i] = key;
  }

  pop(): number {
    const top = this.ids[0]!;
    const n = --this.length;
    const id = this.ids[n]!;
    const key = this.keys[n]!;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && this.keys[c + 1]! < this.keys[c]!) c++;
      if (this.keys[c]! >= key) break;
      this.ids[i] = this.ids[c]!;
      this.keys[i] = this.keys[c]!;
      i = c;
    }
    this.ids[i] = id;
    this.keys[i] = key;
    return top;
  }
}
