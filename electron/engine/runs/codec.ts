import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { emptyRun, type Run, type RunQuery } from '../eval/run.ts';
import { BitReader, BitWriter, bitLength } from './bits.ts';

// A stored run in a few bytes a hit instead of a line of text (issue 12: 3,000 queries × 1,000 hits took 27–61 MB
// as gzip text). Exact: it decodes to the same queries, docnos and scores (as doubles, bit for bit), so
// `pont runs export` writes the run that was evaluated.
//
//   "PRN1", mode byte (0: every score is a float32 value, 1: doubles), varint byte length of the dictionary, the
//   dictionary (deflate of the run's distinct docnos, sorted, front-coded), then a bit stream: runid; the number of
//   queries; per query its qid, its hit count, and its hits by descending score: each docno as its dictionary index
//   in a fixed width, each float32 score as the gap from the previous one in an order-preserving integer key
//   (exponential-Golomb, parameter from the query's mean gap), or doubles as 64 raw bits.
//
// The order of tied hits, and file lines, are not kept: trec_eval ranks by score, then docno, and so does Pont.

const MAGIC = [0x50, 0x52, 0x4e, 0x31]; // PRN1

export function isEncodedRun(blob: Uint8Array): boolean {
  return blob.length >= 4 && MAGIC.every((b, i) => blob[i] === b);
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

export function encodeRun(run: Run): Uint8Array {
  const distinct = new Set<string>();
  for (const q of run.queries.values()) for (const d of q.docnos) distinct.add(d);
  const dictionary = [...distinct].sort();
  const index = new Map(dictionary.map((d, i) => [d, i]));
  const width = bitLength(Math.max(1, dictionary.length - 1));
  const float32 = allFloat32(run);

  const w = new BitWriter();
  const runid = utf8.encode(run.runid);
  w.gamma(runid.length + 1);
  w.bytes(runid);
  w.gamma(run.queries.size + 1);
  for (const [qid, q] of run.queries) {
    const id = utf8.encode(qid);
    w.gamma(id.length + 1);
    w.bytes(id);
    const n = q.docnos.length;
    w.gamma(n + 1);
    if (n === 0) continue;
    if (!float32) {
      for (let i = 0; i < n; i++) {
        w.bits(index.get(q.docnos[i]!)!, width);
        f64[0] = q.scores[i]!;
        w.bits(u32of64[1]!, 32);
        w.bits(u32of64[0]!, 32);
      }
      continue;
    }
    // By key, not by value: −0 and +0 are equal values but distinct keys, and the gaps must never be negative.
    const byHit = q.scores.map(keyOfFloat32);
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => byHit[b]! - byHit[a]!);
    const keys = order.map((i) => byHit[i]!);
    for (const i of order) w.bits(index.get(q.docnos[i]!)!, width);
    w.bits(keys[0]!, 32);
    const mean = n > 1 ? (keys[0]! - keys[n - 1]!) / (n - 1) : 0;
    const k = mean >= 2 ? bitLength(Math.floor(mean)) - 1 : 0;
    w.gamma(k + 1);
    for (let i = 1; i < n; i++) w.expGolomb(keys[i - 1]! - keys[i]!, k);
  }
  const body = w.finish();
  const dict = encodeDictionary(dictionary);
  const head: number[] = [...MAGIC, float32 ? 0 : 1];
  writeVarint(head, dict.length);
  const out = new Uint8Array(head.length + dict.length + body.length);
  out.set(head);
  out.set(dict, head.length);
  out.set(body, head.length + dict.length);
  return out;
}

export function decodeRun(blob: Uint8Array, source: string): Run {
  if (!isEncodedRun(blob)) throw new RangeError('not a stored run');
  const mode = blob[4];
  const at = { pos: 5 };
  const dictLength = readVarint(blob, at);
  const dictionary = decodeDictionary(blob.subarray(at.pos, at.pos + dictLength));
  const width = bitLength(Math.max(1, dictionary.length - 1));
  const r = new BitReader(blob, at.pos + dictLength);
  const run = emptyRun(source, fromUtf8.decode(r.bytes(r.gamma() - 1)));
  const queries = r.gamma() - 1;
  for (let qi = 0; qi < queries; qi++) {
    const qid = fromUtf8.decode(r.bytes(r.gamma() - 1));
    const n = r.gamma() - 1;
    const q: RunQuery = { docnos: new Array<string>(n), scores: new Array<number>(n), lines: new Array<number>(n).fill(0) };
    run.queries.set(qid, q);
    if (n === 0) continue;
    if (mode === 1) {
      for (let i = 0; i < n; i++) {
        q.docnos[i] = dictionary[r.bits(width)]!;
        u32of64[1] = r.bits(32);
        u32of64[0] = r.bits(32);
        q.scores[i] = f64[0]!;
      }
      continue;
    }
    for (let i = 0; i < n; i++) q.docnos[i] = dictionary[r.bits(width)]!;
    let key = r.bits(32);
    q.scores[0] = float32OfKey(key);
    const k = r.gamma() - 1;
    for (let i = 1; i < n; i++) {
      key -= r.expGolomb(k);
      q.scores[i] = float32OfKey(key);
    }
  }
  return run;
}
