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

/** A term from its code units (in slices: `fromCharCode` takes a bounded number of arguments). */
export function termString(chars: Uint16Array): string {
  let s = '';
  for (let at = 0; at < chars.length; at += 4096) s += String.fromCharCode(...chars.subarray(at, Math.min(chars.length, at + 4096)));
  return s;
}
