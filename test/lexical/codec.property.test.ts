// The posting format, pinned: indexes and content packs written by earlier versions are read with it, and the
// segment tests' reference encodes with the same function, so only this file says what the bytes must be.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BLOCK_SIZE, ByteWriter, decodeBlock, decodeBlockAfter, decodeSkips, encodePostings } from '../../electron/engine/lexical/codec.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** The format written one varint at a time: per block the document gaps, then the tfs; skips per block. */
function specified(docs: number[], tfs: number[], lens: ArrayLike<number>): { blocks: string[]; skips: string } {
  const blocks: string[] = [];
  const skips = new ByteWriter();
  let last = -1;
  for (let from = 0; from < docs.length; from += BLOCK_SIZE) {
    const w = new ByteWriter();
    const to = Math.min(docs.length, from + BLOCK_SIZE);
    let prev = last;
    for (let i = from; i < to; i++) {
      w.varint(docs[i]! - prev);
      prev = docs[i]!;
    }
    for (let i = from; i < to; i++) w.varint(tfs[i]!);
    blocks.push(hex(w.view()));
    skips.varint(prev - last);
    skips.varint(Math.max(...tfs.slice(from, to)));
    skips.varint(Math.min(...docs.slice(from, to).map((d) => lens[d]!)));
    last = prev;
  }
  return { blocks, skips: hex(skips.view()) };
}

function encoded(docs: number[], tfs: number[], lens: ArrayLike<number>): { blocks: string[]; skips: string; out: ByteWriter; sk: ByteWriter } {
  const out = new ByteWriter(16);
  const sk = new ByteWriter(16);
  const ends = [0];
  encodePostings(docs, tfs, lens, out, sk, ends);
  return { blocks: ends.slice(1).map((e, b) => hex(out.view(ends[b], e))), skips: hex(sk.view()), out, sk };
}

describe('the posting format', () => {
  it('is LEB128 gaps then tfs per block of 128, and per block its last gap, largest tf and smallest length', () => {
    const lens = new Uint32Array(300).fill(9);
    lens[200] = 4;
    // Gaps 1, 5, 195 (two bytes: c3 01); tfs 1, 3, 130 (82 01); skips: 201 (c9 01), 130, 4.
    expect(encoded([0, 5, 200], [1, 3, 130], lens)).toMatchObject({ blocks: ['0105c301' + '01038201'], skips: 'c901' + '8201' + '04' });
  });

  it('encodes as the specification and decodes back, block by block and in order, for any postings', () => {
    const postings = fc
      .array(fc.tuple(fc.integer({ min: 1, max: 2 ** 31 - 1 - 2 ** 20 }), fc.integer({ min: 1, max: 2 ** 31 - 1 })), { minLength: 1, maxLength: 3 * BLOCK_SIZE + 5 })
      .map((ps) => {
        // Gaps small and large (up to documents numbered near 2^31), so varints of every length occur.
        let d = -1;
        const docs = ps.map(([g], i) => (d += i % 7 === 0 ? 1 + (g % 2 ** 20) : 1 + (g % 300)));
        return { docs: docs.filter((x) => x < 2 ** 31 - 1), tfs: ps.map(([, t], i) => (i % 5 === 0 ? t : 1 + (t % 200))) };
      });
    fc.assert(
      fc.property(postings, ({ docs, tfs }) => {
        tfs = tfs.slice(0, docs.length);
        const lens = { length: 2 ** 31, ...Object.fromEntries(docs.map((d, i) => [d, 1 + ((d * 7 + i) % 1000)])) } as unknown as ArrayLike<number>;
        const got = encoded(docs, tfs, lens);
        const want = specified(docs, tfs, lens);
        expect({ blocks: got.blocks, skips: got.skips }).toEqual(want);
        const skips = decodeSkips(got.sk.view(), docs.length);
        const bd = new Int32Array(BLOCK_SIZE);
        const bt = new Int32Array(BLOCK_SIZE);
        const seq = new Int32Array(BLOCK_SIZE);
        const seqTf = new Int32Array(BLOCK_SIZE);
        let last = -1;
        let at = 0;
        got.blocks.forEach((b, j) => {
          const data = Buffer.from(b, 'hex');
          const n = decodeBlock(data, skips, docs.length, j, bd, bt);
          last = decodeBlockAfter(data, n, last, seq, seqTf);
          expect(Array.from(bd.subarray(0, n))).toEqual(docs.slice(at, at + n));
          expect(Array.from(bt.subarray(0, n))).toEqual(tfs.slice(at, at + n));
          expect(Array.from(seq.subarray(0, n))).toEqual(docs.slice(at, at + n));
          expect(Array.from(seqTf.subarray(0, n))).toEqual(tfs.slice(at, at + n));
          expect(last).toBe(skips.lastDocs[j]);
          at += n;
        });
        expect(at).toBe(docs.length);
      }),
      { numRuns: 200, seed: 12 },
    );
  });
});
