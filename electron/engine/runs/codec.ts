import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { emptyRun, type Run, type RunQuery } from '../eval/run.ts';
import { BitReader, BitWriter, bitLength } from './bits.ts';

// A stored run in a few bytes a hit instead of a line of text (issue 12: 3,000 queries × 1,000 hits took 27–61 MB
// as gzip text). Exact: it decodes to the same queries, docnos and scores (as doubles, bit for bit), so
// `pont runs export` writes the run that was evaluated.
//
//   "PRN2", mode byte (0: every score is a float32 value, 1: doubles), varint byte length of the dictionary, the
//   dictionary (deflate of the run's distinct docnos, sorted, front-coded), then a bit stream: runid; the documents
//   by how many queries retrieve them (most first: their dictionary indexes, fixed width), so that a document's rank
//   in that order is a short code for the documents most runs are full of; the code's parameter; the number of
//   queries; per query its qid, its hit count, then
//   - float32 scores: the hits by descending score, each score as its gap from the previous one in an
//     order-preserving integer key: one bit for a tie, else the gap in exponential-Golomb with a parameter that
//     follows the recent gaps (the gaps shrink down a ranking). Then the docnos, group of tied hits by group: a lone
//     hit's frequency rank, or a group's ranks sorted and coded as gaps (word BM25 ties three hits in four);
//   - doubles: per hit its frequency rank and the score's 64 bits.
//
// The order of tied hits, and file lines, are not kept: trec_eval ranks by score, then docno, and so does Pont.
// "PRN1" (the first version: fixed-width docnos, one Golomb parameter a query, no tie bit) is still read.

const MAGIC = [0x50, 0x52, 0x4e]; // PRN, then the version: '1' or '2'
const V1 = 0x31;
const V2 = 0x32;

export function isEncodedRun(blob: Uint8Array): boolean {
  return blob.length >= 4 && MAGIC.every((b, i) => blob[i] === b) && (blob[3] === V1 || blob[3] === V2);
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1);
const u32of64 = new Uint32Array(f64.buffer);

/** An integer that orders as the float32 value does (negative values' bits inverted, positive ones' sign set). */
function keyOfFloat32(v: number): number {
  f32[0] = v;
  const b = u32[0]!;
  return b >= 0x80000000 ? 0xffffffff - b : b + 0x80000000;
}

function float32OfKey(k: number): number {
  u32[0] = k >= 0x80000000 ? k - 0x80000000 : 0xffffffff - k;
  return f32[0]!;
}

/** Whether every score is a float32 value (what experiments store), so that 32 bits hold it exactly. */
function allFloat32(run: Run): boolean {
  for (const q of run.queries.values()) for (const s of q.scores) if (Math.fround(s) !== s || s !== s) return false;
  return true;
}

function writeVarint(out: number[], v: number): void {
  while (v >= 128) {
    out.push((v % 128) | 128);
    v = Math.floor(v / 128);
  }
  out.push(v);
}

function readVarint(b: Uint8Array, at: { pos: number }): number {
  let v = 0;
  let scale = 1;
  for (;;) {
    const x = b[at.pos++];
    if (x === undefined) throw new RangeError('stored run is truncated');
    v += (x & 127) * scale;
    if (x < 128) return v;
    scale *= 128;
  }
}

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

function encodeDictionary(docnos: string[]): Uint8Array {
  const out: number[] = [];
  writeVarint(out, docnos.length);
  let prev = new Uint8Array(0);
  for (const d of docnos) {
    const b = utf8.encode(d);
    let shared = 0;
    while (shared < b.length && shared < prev.length && b[shared] === prev[shared]) shared++;
    writeVarint(out, shared);
    writeVarint(out, b.length - shared);
    for (let i = shared; i < b.length; i++) out.push(b[i]!);
    prev = b;
  }
  return deflateRawSync(Uint8Array.from(out), { level: 6 });
}

function decodeDictionary(blob: Uint8Array): string[] {
  const b = inflateRawSync(blob);
  const at = { pos: 0 };
  const n = readVarint(b, at);
  const out: string[] = new Array(n);
  let prev: Uint8Array = new Uint8Array(0);
  for (let i = 0; i < n; i++) {
    const shared = readVarint(b, at);
    const len = readVarint(b, at);
    const cur = new Uint8Array(shared + len);
    cur.set(prev.subarray(0, shared));
    cur.set(b.subarray(at.pos, at.pos + len), shared);
    at.pos += len;
    out[i] = fromUtf8.decode(cur);
    prev = cur;
  }
  return out;
}

/** The recent gap size the exponential-Golomb parameter follows, and the parameter it gives. */
class GapModel {
  private avg: number;
  constructor(k0: number) {
    this.avg = 2 ** k0;
  }
  get k(): number {
    const a = this.avg * 0.7;
    return a >= 2 ? bitLength(Math.floor(a)) - 1 : 0;
  }
  saw(gap: number): void {
    this.avg = this.avg * 0.75 + gap * 0.25;
  }
}

/** The exponential-Golomb parameter that writes the documents' ranks (each as often as it is retrieved) shortest. */
function rankParameter(retrieved: number[], width: number): number {
  let best = { k: width, bits: Infinity };
  for (let k = Math.max(0, width - 8); k <= width; k++) {
    let bits = 0;
    for (let r = 0; r < retrieved.length; r++) bits += retrieved[r]! * (2 * bitLength(Math.floor(r / 2 ** k) + 1) - 1 + k);
    if (bits < best.bits) best = { k, bits };
  }
  return best.k;
}

/** Parameter of a group's rank gaps: a group of m among the documents leaves gaps of about N/m. */
const groupParameter = (k: number, m: number) => Math.max(0, k - bitLength(m) + 1);

export function encodeRun(run: Run): Uint8Array {
  const count = new Map<string, number>();
  for (const q of run.queries.values()) for (const d of q.docnos) count.set(d, (count.get(d) ?? 0) + 1);
  const dictionary = [...count.keys()].sort();
  const byFrequency = dictionary.map((_, i) => i).sort((a, b) => count.get(dictionary[b]!)! - count.get(dictionary[a]!)! || a - b);
  const rankOf = new Map<string, number>();
  byFrequency.forEach((i, r) => rankOf.set(dictionary[i]!, r));
  const width = bitLength(Math.max(1, dictionary.length - 1));
  const K = rankParameter(byFrequency.map((i) => count.get(dictionary[i]!)!), width);
  const float32 = allFloat32(run);

  const w = new BitWriter();
  const runid = utf8.encode(run.runid);
  w.gamma(runid.length + 1);
  w.bytes(runid);
  for (const i of byFrequency) w.bits(i, width);
  w.gamma(K + 1);
  w.gamma(run.queries.size + 1);
  for (const [qid, q] of run.queries) {
    const id = utf8.encode(qid);
    w.gamma(id.length + 1);
    w.bytes(id);
    const n = q.docnos.length;
    w.gamma(n + 1);
    if (n === 0) continue;
    const ranks = q.docnos.map((d) => rankOf.get(d)!);
    if (!float32) {
      for (let i = 0; i < n; i++) {
        w.expGolomb(ranks[i]!, K);
        f64[0] = q.scores[i]!;
        w.bits(u32of64[1]!, 32);
        w.bits(u32of64[0]!, 32);
      }
      continue;
    }
    // By key, not by value: −0 and +0 are equal values but distinct keys, and the gaps must never be negative.
    const byHit = q.scores.map(keyOfFloat32);
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => byHit[b]! - byHit[a]! || ranks[a]! - ranks[b]!);
    const keys = order.map((i) => byHit[i]!);
    w.bits(keys[0]!, 32);
    const mean = n > 1 ? (keys[0]! - keys[n - 1]!) / (n - 1) : 0;
    const k0 = mean >= 2 ? bitLength(Math.floor(mean)) - 1 : 0;
    w.gamma(k0 + 1);
    const gaps = new GapModel(k0);
    for (let i = 1; i < n; i++) {
      const gap = keys[i - 1]! - keys[i]!;
      w.bits(gap === 0 ? 1 : 0, 1);
      if (gap === 0) continue;
      w.expGolomb(gap - 1, gaps.k);
      gaps.saw(gap);
    }
    for (let start = 0; start < n; ) {
      let end = start + 1;
      while (end < n && keys[end] === keys[start]) end++;
      if (end - start === 1) w.expGolomb(ranks[order[start]!]!, K);
      else {
        // Sorted by rank already (the order's second key); a docno retrieved twice gives a gap of 0.
        const k = groupParameter(K, end - start);
        let prev = 0;
        for (let i = start; i < end; i++) {
          const r = ranks[order[i]!]!;
          w.expGolomb(r - prev, k);
          prev = r;
        }
      }
      start = end;
    }
  }
  return assemble(V2, float32, encodeDictionary(dictionary), w.finish());
}

function assemble(version: number, float32: boolean, dict: Uint8Array, body: Uint8Array): Uint8Array {
  const head: number[] = [...MAGIC, version, float32 ? 0 : 1];
  writeVarint(head, dict.length);
  const out = new Uint8Array(head.length + dict.length + body.length);
  out.set(head);
  out.set(dict, head.length);
  out.set(body, head.length + dict.length);
  return out;
}

export function decodeRun(blob: Uint8Array, source: string): Run {
  if (!isEncodedRun(blob)) throw new RangeError('not a stored run');
  const version = blob[3];
  const mode = blob[4];
  const at = { pos: 5 };
  const dictLength = readVarint(blob, at);
  const dictionary = decodeDictionary(blob.subarray(at.pos, at.pos + dictLength));
  const width = bitLength(Math.max(1, dictionary.length - 1));
  const r = new BitReader(blob, at.pos + dictLength);
  const run = emptyRun(source, fromUtf8.decode(r.bytes(r.gamma() - 1)));
  if (version === V1) {
    const indexed = () => dictionary[r.bits(width)]!;
    return decodeQueries(r, run, mode, indexed, (q, n) => {
      // Version 1: the docnos first, then the scores with one Golomb parameter a query and no tie bit.
      for (let i = 0; i < n; i++) q.docnos[i] = indexed();
      let key = r.bits(32);
      q.scores[0] = float32OfKey(key);
      const k = r.gamma() - 1;
      for (let i = 1; i < n; i++) {
        key -= r.expGolomb(k);
        q.scores[i] = float32OfKey(key);
      }
    });
  }
  const byRank = new Array<string>(dictionary.length);
  for (let i = 0; i < dictionary.length; i++) {
    const d = dictionary[r.bits(width)];
    if (d === undefined) throw new RangeError('stored run is damaged (bad dictionary order)');
    byRank[i] = d;
  }
  const docno = (rank: number) => {
    const d = byRank[rank];
    if (d === undefined) throw new RangeError('stored run is damaged (bad document rank)');
    return d;
  };
  const K = r.gamma() - 1;
  return decodeQueries(r, run, mode, () => docno(r.expGolomb(K)), (q, n) => {
    const keys = new Float64Array(n);
    keys[0] = r.bits(32);
    const gaps = new GapModel(r.gamma() - 1);
    for (let i = 1; i < n; i++) {
      if (r.bits(1) === 1) {
        keys[i] = keys[i - 1]!;
        continue;
      }
      const gap = r.expGolomb(gaps.k) + 1;
      keys[i] = keys[i - 1]! - gap;
      gaps.saw(gap);
    }
    for (let i = 0; i < n; i++) q.scores[i] = float32OfKey(keys[i]!);
    for (let start = 0; start < n; ) {
      let end = start + 1;
      while (end < n && keys[end] === keys[start]) end++;
      if (end - start === 1) q.docnos[start] = docno(r.expGolomb(K));
      else {
        const k = groupParameter(K, end - start);
        let rank = 0;
        for (let i = start; i < end; i++) q.docnos[i] = docno((rank += r.expGolomb(k)));
      }
      start = end;
    }
  });
}

/**
 * The queries of a run: each query's qid and hit count, then its hits: with double scores, each docno (as `docno`
 * reads it) and the score's 64 bits; with float32 scores, as `float32Hits` reads them (the versions differ there).
 */
function decodeQueries(r: BitReader, run: Run, mode: number | undefined, docno: () => string, float32Hits: (q: RunQuery, n: number) => void): Run {
  const queries = r.gamma() - 1;
  for (let qi = 0; qi < queries; qi++) {
    const qid = fromUtf8.decode(r.bytes(r.gamma() - 1));
    const n = r.gamma() - 1;
    const q: RunQuery = { docnos: new Array<string>(n), scores: new Array<number>(n), lines: new Array<number>(n).fill(0) };
    run.queries.set(qid, q);
    if (n === 0) continue;
    if (mode !== 1) {
      float32Hits(q, n);
      continue;
    }
    for (let i = 0; i < n; i++) {
      q.docnos[i] = docno();
      u32of64[1] = r.bits(32);
      u32of64[0] = r.bits(32);
      q.scores[i] = f64[0]!;
    }
  }
  return run;
}
