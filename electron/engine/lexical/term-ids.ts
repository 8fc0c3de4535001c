import { release } from './codec.ts';

// Entries of E int32s, open addressing (`rebuildTable`), at most half full. A term of up to PACK_UNITS code units below 256 is kept in
// its entry (a byte a unit in the first two int32s); any other term's entry has its hash, and the term is compared
// with the caller's list of terms. Then its length (PACKED set when packed) and its id.
const E = 4;
const PACKED = 1 << 30;
const PACK_UNITS = 8;
/** A term's slots in the table. */
export const TERM_SLOT_BYTES = 2 * E * 4;

/** The slot hash of a packed term or word, from its two int32s (different lengths differ there: no term holds U+0000). */
export function packedHash(lo: number, hi: number): number {
  let h = lo ^ Math.imul(hi, 0x9e3779b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * Packs text[start, end) into out[0] and out[1], a byte a code unit, when it has up to PACK_UNITS of them, all below
 * 256 (most words and terms of the Latin-script languages Pont serves); returns whether it did.
 */
export function packUnits(text: string, start: number, end: number, out: Int32Array): boolean {
  if (end - start > PACK_UNITS) return false;
  let units = 0;
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < end - start; i++) {
    const c = text.charCodeAt(start + i);
    units |= c;
    if (i < 4) lo |= c << (8 * i);
    else hi |= c << (8 * (i - 4));
  }
  out[0] = lo;
  out[1] = hi;
  return units < 256;
}

/** FNV-1a of text[start, end), its high bits mixed into the low ones that slots are taken from. */
export function unitsHash(text: string, start: number, end: number): number {
  let h = 0x811c9dc5 | 0;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  return h ^ (h >>> 13);
}

/**
 * A table of `capacity` entries of four int32s (the third 0 when empty; linear probing) with the entries of `old`
 * that `keep` keeps, each placed by `hash`; `keep` may change the entry at old[o] in place. `old` is freed. Entries are
 * copied field by field: a view and a `set` per entry took a third of the vocabulary trims' time at 8.8M passages.
 */
export function rebuildTable(
  old: Int32Array<ArrayBuffer>,
  capacity: number,
  hash: (tab: Int32Array, o: number) => number,
  keep: (old: Int32Array, o: number) => boolean = () => true,
): Int32Array<ArrayBuffer> {
  const tab = new Int32Array(capacity * E);
  const mask = capacity - 1;
  for (let o = 0; o < old.length; o += E) {
    if (old[o + 2] === 0 || !keep(old, o)) continue;
    let e = (hash(old, o) & mask) * E;
    while (tab[e + 2] !== 0) e = (e + E) & (mask * E + E - 1);
    tab[e] = old[o]!;
    tab[e + 1] = old[o + 1]!;
    tab[e + 2] = old[o + 2]!;
    tab[e + 3] = old[o + 3]!;
  }
  release(old);
  return tab;
}

/**
 * The ids of an inverter's terms, by their code units: a table of int32s instead of a Map from strings. At 8.8M
 * passages a Map of half a million terms took 60 of the worker's CPU s in lookups, 43 s in being built again at each
 * trim of the vocabulary, and a share of the collector's time, which traces every entry of a Map and none of a typed
 * array. The terms' strings stay in the caller's list, by id.
 */
export class TermIds {
  private table: Int32Array<ArrayBuffer>;
  private capacity: number;
  private count = 0;
  /** The last term looked up: its two int32s (packed, or its hash and 0) and its length field. */
  private readonly units = new Int32Array(2);
  private key = 0;

  /** A table of the terms of `list`, each one's id its index there. */
  constructor(list: readonly string[] = []) {
    this.capacity = 16;
    while (list.length * 2 > this.capacity) this.capacity *= 2;
    this.table = new Int32Array(this.capacity * E);
    list.forEach((t, id) => this.idOf(t, list, id));
  }

  get size(): number {
    return this.count;
  }

  /** Bytes of the table (outside the heap: the caller counts it with its other arrays). */
  get bytes(): number {
    return this.table.byteLength;
  }

  /** The id of `term` (its strings are `list`), or `next` once added with that id when it is new. */
  idOf(term: string, list: readonly string[], next: number): number {
    const tab = this.table;
    const mask = this.capacity - 1;
    let e = (this.hashOf(term) & mask) * E;
    for (let l = tab[e + 2]!; l !== 0; l = tab[e + 2]!) {
      if (l === this.key && tab[e] === this.units[0] && tab[e + 1] === this.units[1] && (l & PACKED || list[tab[e + 3]!] === term)) return tab[e + 3]!;
      e = (e + E) & (mask * E + E - 1);
    }
    tab[e] = this.units[0]!;
    tab[e + 1] = this.units[1]!;
    tab[e + 2] = this.key;
    tab[e + 3] = next;
    if (++this.count * 2 > this.capacity) this.grow();
    return next;
  }

  /** Sets `units` and `key` for `term`, and returns its slot hash. */
  private hashOf(term: string): number {
    const u = this.units;
    if (packUnits(term, 0, term.length, u)) {
      this.key = term.length | PACKED;
      return packedHash(u[0]!, u[1]!);
    }
    // A term compared by its string: its hash in the entry, and its length (terms are far shorter than PACKED).
    u[0] = unitsHash(term, 0, term.length);
    u[1] = 0;
    this.key = term.length;
    return u[0];
  }

  private grow(): void {
    this.capacity *= 2;
    this.table = rebuildTable(this.table, this.capacity, (t, o) => (t[o + 2]! & PACKED ? packedHash(t[o]!, t[o + 1]!) : t[o]!));
  }

  /** Frees the table now (see `release`); it must not be used afterwards. */
  dispose(): void {
    release(this.table);
  }
}
