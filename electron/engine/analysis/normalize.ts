/**
 * Character-level normalisation shared by every analyser. NFKC folds compatibility forms (ligatures, full-width
 * letters, superscripts) that would otherwise split one word into two terms; case folding uses the locale-free
 * Unicode mapping so that a Turkish dotless i in a document does not depend on the machine's locale.
 */
export interface NormalizeOptions {
  /** Strip combining marks after canonical decomposition: `èsser` → `esser`, `português` → `portugues`. */
  foldDiacritics: boolean;
}

const combiningMarks = /\p{M}+/gu;
// Variants of the Catalan and Occitan middle dot (`col·lecció`, `l·l`) that keyboards and OCR produce.
const middleDots = /[\u0387\u2027\u2219\u22C5\u30FB]/g;

export function normalizeTerm(raw: string, o: NormalizeOptions): string {
  let s = raw.normalize('NFKC').toLowerCase().replace(middleDots, '·');
  // `col.lecció` is the common fallback spelling of `col·lecció`.
  if (s.includes('l.l')) s = s.replace(/(?<=l)\.(?=l)/g, '·');
  // German ß has no lower/upper pair that round-trips; fold to ss as Unicode case folding does.
  if (s.includes('ß')) s = s.replaceAll('ß', 'ss');
  if (o.foldDiacritics) s = s.normalize('NFD').replace(combiningMarks, '').normalize('NFC');
  return s;
}
