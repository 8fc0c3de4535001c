/**
 * Frees typed arrays' memory now rather than at a full garbage collection, which a thread whose heap stays small may
 * not run before hundreds of MB of dropped buffers pile up: detaching a buffer releases its memory at once. Neither
 * the arrays nor any other view of their buffers may be used afterwards.
 */
export function release(...arrays: ArrayBufferView[]): void {
  for (const a of arrays) {
    const b = a.buffer as ArrayBuffer & { detached: boolean; transfer(length: number): ArrayBuffer };
    if (!b.detached) b.transfer(0);
  }
}

/**
 * Arrays for a term's postings (document numbers and frequencies) with room for `need`, its df summed over the
 * segments it is gathered from: made anew when they are too small, a quarter larger than before at least, and the old
 * ones released at once. A term found in every document takes 8 bytes a document; doubling as postings come, and
 * copying, took 24 at the peak.
 */
export function postingRoom(docs: Int32Array<ArrayBuffer>, tfs: Int32Array<ArrayBuffer>, need: number): [Int32Array<ArrayBuffer>, Int32Array<ArrayBuffer>] {
  if (docs.length >= need) return [docs, tfs];
  const size = Math.max(need, Math.ceil(docs.length * 1.25));
  release(docs, tfs);
  return [new Int32Array(size), new Int32Array(size)];
}

/**
 * Posting compression: unsigned LEB128 varints, document numbers as gaps. Encoders append to a growable byte
 * buffer; decoders fill caller-provided typed arrays so that reading postings allocates nothing per posting.
 */
export class ByteWriter {
  buf: Uint8Array;
  length = 0;

  constructor(capacity = 1024) {
    this.buf = new Uint8Array(capacity);
  }

  /** Makes room for `extra` more bytes, for callers that write into `buf` themselves (then set `length`). */
  ensure(extra: number): void {
    if (this.length + extra <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + extra));
    next.set(this.buf.subarray(0, this.length));
    release(this.buf);
    this.buf = next;
  }

  varint(v: number): void {
    this.ensure(10);
    const buf = this.buf;
    let n = this.length;
    while (v >= 0x80000000) {
      buf[n++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.length = putVarint(buf, n, v);
  }

  /** A view of what was written (valid until the next write). */
  view(from = 0, to = this.length): Uint8Array {
    return this.buf.subarray(from, to);
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  /**
   * What was written; the writer must not be used afterwards. The buffer itself when little of it is unused (no
   * copy of a large result at its peak), else a copy that fits.
   */
  take(): Uint8Array {
    if (this.length >= this.buf.length * 0.9) return this.buf.subarray(0, this.length);
    const fit = this.buf.slice(0, this.length);
    release(this.buf);
    return fit;
  }

  reset(): void {
    this.length = 0;
  }
}

/** Writes `v` (below 2^31) as a varint into `buf` at `n`, which has room for it; returns the position after it. */
export function putVarint(buf: Uint8Array, n: number, v: number): number {
  while (v >= 0x80) {
    buf[n++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  buf[n++] = v;
  return n;
}

/** Reads `count` varints from `src` at `pos` into `out`; returns the position after them. */
export function readVarints(src: Uint8Array, pos: number, out: Int32Array | Float64Array, count: number): number {
  for (let i = 0; i < count; i++) {
    let b = src[pos++]!;
    let v = b & 0x7f;
    let shift = 128;
    while (b & 0x80) {
      b = src[pos++]!;
      v += (b & 0x7f) * shift;
      shift *= 128;
    }
    out[i] = v;
  }
  return pos;
}

/** Turns gaps into running values in place, starting after `base`. */
export function prefixSum(a: Int32Array | Float64Array, count: number, base: number): void {
  let v = base;
  for (let i = 0; i < count; i++) {
    v += a[i]!;
    a[i] = v;
  }
}

export const BLOCK_SIZE = 128;

/**
 * Encodes a term's postings (ascending local document numbers, their term frequencies, and the documents' lengths)
 * into blocks of BLOCK_SIZE appended to `out`: each block holds the document gaps then the frequencies, as varints.
 * Pushes each block's end offset in `out` to `blockEnds`; writes the skip data (per block: gap to its last
 * document, largest tf, smallest length) to `skips`, which is reset first. Returns the number of blocks.
 */
export function encodePostings(
  docs: ArrayLike<number>,
  tfs: ArrayLike<number>,
  docLens: ArrayLike<number>,
  out: ByteWriter,
  skips: ByteWriter,
  blockEnds: number[],
): number {
  const df = docs.length;
  skips.reset();
  let prevLast = -1;
  let blocks = 0;
  for (let from = 0; from < df; from += BLOCK_SIZE) {
    const to = Math.min(df, from + BLOCK_SIZE);
    // Room for the block's varints (gaps and tfs are int32s: 5 bytes each at most), written straight into the buffer:
    // a call per varint took 1.7 times as long.
    out.ensure(10 * (to - from));
    const buf = out.buf;
    let n = out.length;
    let prev = prevLast;
    let maxTf = 0;
    let minLen = Infinity;
    for (let i = from; i < to; i++) {
      const d = docs[i]!;
      n = putVarint(buf, n, d - prev);
      prev = d;
      const len = docLens[d]!;
      if (len < minLen) minLen = len;
    }
    for (let i = from; i < to; i++) {
      const tf = tfs[i]!;
      if (tf > maxTf) maxTf = tf;
      n = putVarint(buf, n, tf);
    }
    out.length = n;
    skips.varint(prev - prevLast);
    skips.varint(maxTf);
    skips.varint(minLen);
    prevLast = prev;
    blockEnds.push(n);
    blocks++;
  }
  return blocks;
}

/** Decoded skip data of one term: per block, its last document, largest tf and smallest length. */
export interface Skips {
  lastDocs: Int32Array;
  maxTfs: Int32Array;
  minLens: Int32Array;
}

export function decodeSkips(skips: Uint8Array, df: number): Skips {
  const n = Math.ceil(df / BLOCK_SIZE);
  const all = new Int32Array(3 * n);
  readVarints(skips, 0, all, 3 * n);
  const lastDocs = new Int32Array(n);
  const maxTfs = new Int32Array(n);
  const minLens = new Int32Array(n);
  let last = -1;
  for (let i = 0; i < n; i++) {
    last += all[3 * i]!;
    lastDocs[i] = last;
    maxTfs[i] = all[3 * i + 1]!;
    minLens[i] = all[3 * i + 2]!;
  }
  return { lastDocs, maxTfs, minLens };
}

/** Decodes block `b` of a term into docs/tfs (length ≥ BLOCK_SIZE); returns the number of postings. */
export function decodeBlock(data: Uint8Array, skips: Skips, df: number, b: number, docs: Int32Array, tfs: Int32Array): number {
  const n = blockPostings(df, b);
  decodeBlockAfter(data, n, b === 0 ? -1 : skips.lastDocs[b - 1]!, docs, tfs);
  return n;
}

/** Postings in block `b` of a term found in `df` documents. */
export const blockPostings = (df: number, b: number): number => Math.min(BLOCK_SIZE, df - b * BLOCK_SIZE);

/**
 * Decodes a block of `n` postings into docs/tfs, its first gap counted from `last`, the last document of the block
 * before (-1 for the first): reading a term's blocks in order, as joins and merges do, needs no skip data. Returns
 * the block's last document.
 */
export function decodeBlockAfter(data: Uint8Array, n: number, last: number, docs: Int32Array, tfs: Int32Array): number {
  const pos = readVarints(data, 0, docs, n);
  prefixSum(docs, n, last);
  readVarints(data, pos, tfs, n);
  return docs[n - 1]!;
}

export function encodeDocIds(ids: ArrayLike<number>): Uint8Array {
  const w = new ByteWriter(ids.length * 2 + 16);
  appendDocIds(w, ids, 0);
  return w.take();
}

/** Appends ids (ascending) to encoded ids whose last is `prev` (0 for none); returns the last id. */
export function appendDocIds(w: ByteWriter, ids: ArrayLike<number>, prev: number): number {
  for (let i = 0; i < ids.length; i++) {
    w.varint(ids[i]! - prev);
    prev = ids[i]!;
  }
  return prev;
}

export function decodeDocIds(blob: Uint8Array, count: number): Float64Array {
  return decodeDocIdsInto(blob, new Float64Array(count));
}

/** Decodes as many ids as `out` holds into it; returns it. */
export function decodeDocIdsInto(blob: Uint8Array, out: Float64Array): Float64Array {
  readVarints(blob, 0, out, out.length);
  prefixSum(out, out.length, 0);
  return out;
}

/** The bytes of a segment's document lengths as stored: a view of the array, not a copy (10 MB for 2.5M documents). */
export const uint32Bytes = (a: Uint32Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

export function decodeUint32(blob: Uint8Array): Uint32Array {
  const copy = new Uint8Array(blob.byteLength);
  copy.set(blob);
  return new Uint32Array(copy.buffer);
}
