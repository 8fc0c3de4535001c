/**
 * A segment's sorted term dictionary packed as UTF-16 code units: a few transferable buffers instead of one string
 * per term, so that a dictionary crosses threads without being cloned and a held segment costs no heap strings.
 * Code units are compared as JavaScript compares strings, so the order is the one `Array.prototype.sort` gives.
 */
export interface PackedTerms {
  /** The terms' code units, back to back. */
  termChars: Uint16Array;
  /** Per term: the end of its code units in `termChars` (it starts where the previous one ends). */
  termEnds: Uint32Array;
}

export function packTerms(sorted: readonly string[]): PackedTerms {
  const termEnds = new Uint32Array(sorted.length);
  let n = 0;
  sorted.forEach((t, i) => (termEnds[i] = n += t.length));
  const termChars = new Uint16Array(n);
  let at = 0;
  for (const t of sorted) for (let j = 0; j < t.length; j++) termChars[at++] = t.charCodeAt(j);
  return { termChars, termEnds };
}

const termStart = (p: PackedTerms, i: number): number => (i === 0 ? 0 : p.termEnds[i - 1]!);

/** Term `i` as a string (built from its code units in slices: `fromCharCode` takes a bounded number of arguments). */
export function termAt(p: PackedTerms, i: number): string {
  const from = termStart(p, i);
  const to = p.termEnds[i]!;
  let s = '';
  for (let at = from; at < to; at += 4096) s += String.fromCharCode(...p.termChars.subarray(at, Math.min(to, at + 4096)));
  return s;
}

/** Compares term `i` of `a` with term `j` of `b` as strings compare (negative, zero, positive). */
export function compareTerms(a: PackedTerms, i: number, b: PackedTerms, j: number): number {
  const af = termStart(a, i);
  const al = a.termEnds[i]! - af;
  const bf = termStart(b, j);
  const bl = b.termEnds[j]! - bf;
  const n = Math.min(al, bl);
  for (let k = 0; k < n; k++) {
    const d = a.termChars[af + k]! - b.termChars[bf + k]!;
    if (d !== 0) return d;
  }
  return al - bl;
}
