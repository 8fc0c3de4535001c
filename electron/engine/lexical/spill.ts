import { closeSync, ftruncateSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { ByteWriter, readVarints, release } from './codec.ts';
import { memoryCursor, type TermCursor } from './concat.ts';
import type { EncodedSegment } from './inverter.ts';

/** Bytes read from a spilled segment at a time at most (more when one term takes more). */
const WINDOW = 256 << 10;

/** Where a segment's records are in the file: bytes [at, end). */
export interface Spilled {
  at: number;
  end: number;
}

/**
 * A temporary file that inverted ranges move to while they wait to be written, so that a build holds a window of
 * each, not the ranges: the first pass over a large collection is then written to the database once, as one
 * segment, and needs no merge there. A range is stored as a run of records in term order, one per term (its length,
 * code units, df, block bounds, then its blocks and skips), and read back a window at a time by a cursor as the
 * ranges are joined. The file is deleted when closed; a crash leaves it, and the next build of the index truncates it.
 */
export class SpillFile {
  private readonly path: string;
  private readonly windows: number;
  private fd: number;
  /** Bytes in the file. */
  size = 0;

  /**
   * `windows`: bytes the cursors of one write read at a time, all together. Hundreds of ranges are joined at once
   * (the n-grams of 2.4M passages came in 339 ranges), so a window each of the most a cursor reads would take more
   * than the segments they read.
   */
  constructor(path: string, windows: number) {
    this.path = path;
    this.windows = windows;
    this.fd = openSync(path, 'w+');
  }

  /**
   * Moves the segment's terms and postings to the file; what stays in memory is its document ids and lengths.
   * Returns where its records are, for `cursor`.
   */
  spill(seg: EncodedSegment): Spilled {
    const at = this.size;
    const w = new ByteWriter(WINDOW * 2);
    const head = new ByteWriter(256);
    const write = () => {
      for (let done = 0; done < w.length; ) done += writeSync(this.fd, w.buf, done, w.length - done, this.size + done);
      this.size += w.length;
      w.reset();
    };
    for (const c = memoryCursor(seg); c.valid; c.next()) {
      head.reset();
      head.varint(c.chars.length);
      for (const u of c.chars) head.varint(u);
      head.varint(c.df);
      head.varint(c.bounds.length);
      for (const b of c.bounds) head.varint(b);
      // Record: its length, then the head, then the data.
      w.varint(head.length + c.data.length);
      w.bytes(head.view());
      w.bytes(c.data);
      if (w.length >= WINDOW) write();
    }
    write();
    release(w.buf, seg.data, seg.layout, seg.layoutStart, seg.dfs, seg.termChars, seg.termEnds);
    return { at, end: this.size };
  }

  /** A cursor over the terms of a spilled segment, one of `together` read at the same time, which share the windows. */
  cursor(s: Spilled, together: number): TermCursor {
    return new FileCursor(this.fd, s.at, s.end, Math.max(1, Math.min(WINDOW, Math.floor(this.windows / together))));
  }

  /** Empties the file once what was spilled is written; cursors made before must not be used afterwards. */
  reset(): void {
    ftruncateSync(this.fd, 0);
    this.size = 0;
  }

  close(): void {
    if (this.fd < 0) return;
    closeSync(this.fd);
    this.fd = -1;
    rmSync(this.path, { force: true });
  }
}

/** Reads the records of one spilled segment, file bytes [at, end), in order. */
class FileCursor implements TermCursor {
  private readonly fd: number;
  private pos: number;
  private readonly end: number;
  private readonly window: number;
  /** The window: file bytes [from, from + length) are in buf. */
  private buf = new Uint8Array(0);
  private from = 0;
  private length = 0;
  private readonly one = new Float64Array(1);
  private charRoom = new Uint16Array(64);
  private boundRoom = new Uint32Array(64);
  private values = new Float64Array(64);
  private count = 0;
  valid = true;
  chars: Uint16Array = new Uint16Array(0);
  df = 0;
  data: Uint8Array = new Uint8Array(0);
  bounds: Uint32Array = new Uint32Array(0);

  constructor(fd: number, at: number, end: number, window: number) {
    this.fd = fd;
    this.pos = at;
    this.end = end;
    this.window = window;
    this.next();
  }

  /** Makes file bytes [pos, pos + n) readable in buf (n ≤ what is left). */
  private ensure(pos: number, n: number): void {
    if (pos >= this.from && pos + n <= this.from + this.length) return;
    const want = Math.min(Math.max(this.window, n), this.end - pos);
    if (this.buf.length < want) {
      release(this.buf);
      this.buf = new Uint8Array(want);
    }
    let got = 0;
    while (got < want) {
      const r = readSync(this.fd, this.buf, got, want - got, pos + got);
      if (r === 0) throw new Error(`index spill file ends early at byte ${pos + got}`);
      got += r;
    }
    this.from = pos;
    this.length = got;
  }

  /** Reads a count, then that many varints, at buf offset `p` into `values` (`count`); returns the offset after them. */
  private list(p: number): number {
    p = readVarints(this.buf, p, this.one, 1);
    this.count = this.one[0]!;
    if (this.values.length < this.count) this.values = new Float64Array(2 * this.count);
    return readVarints(this.buf, p, this.values, this.count);
  }

  next(): void {
    if (this.pos >= this.end) {
      this.valid = false;
      // Freed now, not when the collector finds the cursor: the windows of a write are freed as it ends.
      release(this.buf);
      return;
    }
    // A record's length is a varint of at most 5 bytes.
    this.ensure(this.pos, Math.min(5, this.end - this.pos));
    const start = readVarints(this.buf, this.pos - this.from, this.one, 1) - (this.pos - this.from);
    const len = this.one[0]!;
    this.ensure(this.pos, start + len);
    let p = this.pos - this.from + start;
    const recordEnd = p + len;
    p = this.list(p);
    if (this.charRoom.length < this.count) this.charRoom = new Uint16Array(2 * this.count);
    this.charRoom.set(this.values.subarray(0, this.count));
    this.chars = this.charRoom.subarray(0, this.count);
    p = readVarints(this.buf, p, this.one, 1);
    this.df = this.one[0]!;
    p = this.list(p);
    if (this.boundRoom.length < this.count) this.boundRoom = new Uint32Array(2 * this.count);
    this.boundRoom.set(this.values.subarray(0, this.count));
    this.bounds = this.boundRoom.subarray(0, this.count);
    this.data = this.buf.subarray(p, recordEnd);
    this.pos += start + len;
  }
}
