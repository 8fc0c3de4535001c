/**
 * A word tokeniser for Romance and Germanic writing that keeps the offsets of each token in the original text, so
 * that matches can be highlighted in what the user sees.
 *
 * A word is a run of letters, digits and combining marks. Inside a word we keep:
 * - the middle dot between two letters (`col·lecció`, Occitan `des·har`), and `l.l` written for `l·l`;
 * - `.` or `,` between two digits (`3.5`, `1,000`).
 * Apostrophes (straight, typographic ’, modifier ʼ) end a word: `l'aiga` gives `l` and `aiga`, `dell'acqua` gives
 * `dell` and `acqua`, `John's` gives `john` and `s`; the elided articles are stopwords of their languages. Hyphens
 * separate words too (`arc-en-ciel` → `arc`, `en`, `ciel`), as in Lucene's standard tokeniser: the parts are what
 * a speaker of a neighbouring variety may share.
 */
export interface Token {
  /** The token as written. */
  text: string;
  /** UTF-16 offsets into the original text: text === source.slice(start, end). */
  start: number;
  end: number;
  /** A clitic cut off by an apostrophe (`l'`, `dell'`, `qu'`, `'s`, `'t`): language analysers drop these. */
  clitic: boolean;
}

const apostrophe = /['’ʼ]/u;
const letter = /\p{L}/u;

const word = /[\p{L}\p{N}\p{M}]+(?:(?:(?<=\p{L}\p{M}*)[·\u0387\u2027](?=\p{L})|(?<=[lL])\.(?=[lL]\p{L})|(?<=\p{N})[.,](?=\p{N}))[\p{L}\p{N}\p{M}]+)*/gu;

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(word)) {
    const start = m.index;
    const end = start + m[0].length;
    // `l'aiga`: a short word before an apostrophe is elided, unless what follows is itself a one-letter clitic (`John's`).
    const before = apostrophe.test(text[end] ?? '') && letter.test(text[end + 1] ?? '') && letter.test(text[end + 2] ?? '') && m[0].length <= 4;
    const after = apostrophe.test(text[start - 1] ?? '') && m[0].length === 1;
    out.push({ text: m[0], start, end, clitic: before || after });
  }
  return out;
}
