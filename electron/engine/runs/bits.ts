// Bit-level writing and reading for the stored-run codec: fixed-width fields, Elias gamma and exponential-Golomb
// codes. Values are JavaScript numbers up to 2^32 (written in chunks of at most 16 bits, so no shift overflows).

export class BitWriter {
  private buf: Uint8Array;
  private pos = 0;
  private acc = 0;
  private nbits = 0;

  constructor(capacity = 1 << 16) {
    this.buf = new Uint8Array(capacity);
  }

  /** Writes the n low bits of `value` (0 ≤ value < 2^n, n ≤ 32), most significant first. */
  bits(value: number, n: number): void {
    if (n > 16) {
      this.bits(Math.floor(value / 65536), n - 16);
      this.bits(value % 65536, 16);
      return;
    }
    this.acc = (this.acc << n) | value;
    this.nbits += n;
    while (this.nbits >= 8) {
      this.nbits -= 8;
      if (this.pos === this.buf.length) this.grow();
      this.buf[this.pos++] = (this.acc >>> this.nbits) & 255;
    }
    this.acc &= (1 << this.nbits) - 1;
  }

  /** Elias gamma code of v ≥ 1: ⌊log2 v⌋ zeros, then v in ⌊log2 v⌋ + 1 bits. */
  gamma(v: number): void {
    const n = bitLength(v);
    if (n <= 8) {
      this.bits(v, 2 * n - 1);
      return;
    }
    this.bits(0, n - 1);
    this.bits(v, n);
  }

  /** Exponential-Golomb code of v ≥ 0 with parameter k: the quotient v >> k in gamma, then k low bits. */
  expGolomb(v: number, k: number): void {
    const q = Math.floor(v / 2 ** k);
    this.gamma(q + 1);
    this.bits(v - q * 2 ** k, k);
  }

  bytes(b: Uint8Array): void {
    for (const x of b) this.bits(x, 8);
  }

  private grow(): void {
    const next = new Uint8Array(this.buf.length * 2);
    next.set(this.buf);
    this.buf = next;
  }

  /** The bytes written, the last one padded with zero bits. */
  finish(): Uint8Array {
    if (this.nbits > 0) this.bits(0, 8 - this.nbits);
    return this.buf.subarray(0, this.pos);
  }
}

export class BitReader {
  private readonly buf: Uint8Array;
  private pos: number;
  private acc = 0;
  private nbits = 0;

  constructor(buf: Uint8Array, offset = 0) {
    this.buf = buf;
    this.pos = offset;
  }

  bits(n: number): number {
    if (n > 16) return this.bits(n - 16) * 65536 + this.bits(16);
    while (this.nbits < n) {
      if (this.pos >= this.buf.length) throw new RangeError('stored run is truncated');
      this.acc = ((this.acc << 8) | this.buf[this.pos++]!) & 0xffffff;
      this.nbits += 8;
    }
    this.nbits -= n;
    return (this.acc >>> this.nbits) & ((1 << n) - 1);
  }

  gamma(): number {
    let zeros = 0;
    // Whole zero bytes of the window at a time, then the leading zeros of what is left.
    for (;;) {
      if (this.nbits < 8) {
        if (this.pos < this.buf.length) {
          this.acc = ((this.acc << 8) | this.buf[this.pos++]!) & 0xffffff;
          this.nbits += 8;
        } else if (this.nbits === 0) throw new RangeError('stored run is truncated');
      }
      const window = this.acc & ((1 << this.nbits) - 1);
      if (window === 0) {
        zeros += this.nbits;
        this.nbits = 0;
        if (zeros > 64) throw new RangeError('stored run is damaged (bad gamma code)');
        continue;
      }
      const lead = Math.clz32(window) - (32 - this.nbits);
      zeros += lead;
      this.nbits -= lead + 1;
      break;
    }
    return zeros === 0 ? 1 : 2 ** zeros + this.bits(zeros);
  }

  expGolomb(k: number): number {
    const q = this.gamma() - 1;
    return q * 2 ** k + this.bits(k);
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.bits(8);
    return out;
  }
}

/** Bits needed to write v ≥ 1 (⌊log2 v⌋ + 1), for values up to 2^53. */
export function bitLength(v: number): number {
  return v < 2 ** 32 ? 32 - Math.clz32(v) : 32 + bitLength(Math.floor(v / 2 ** 32));
}
