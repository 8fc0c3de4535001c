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

const isApostrophe = (c: number) => c === 0x27 || c === 0x2019 || c === 0x2bc;
// Cheap letter test: ASCII letters, or any code unit above Latin-1 punctuation that the word pattern accepts.
const isLetter = (text: string, i: number) => {
  const c = text.charCodeAt(i);
  if (c < 0x80) return (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a;
  return c >= 0xc0 && /\p{L}/u.test(text[i]!);
};

const word = /[\p{L}\p{N}\p{M}]+(?:(?:(?<=\p{L}\p{M}*)[·\u0387\u2027](?=\p{L})|(?<=[lL])\.(?=[lL]\p{L})|(?<=\p{N})[.,](?=\p{N}))[\p{L}\p{N}\p{M}]+)*/gu;

/**
 * Whether the word at [start, end) is a clitic cut off by an apostrophe: `l'aiga` (a short word before an apostrophe,
 * unless what follows is itself a one-letter clitic, as in `John's`), or the `s` of `'s`.
 */
export function isClitic(text: string, start: number, end: number): boolean {
  const len = end - start;
  if (len <= 4 && isApostrophe(text.charCodeAt(end)) && isLetter(text, end + 1) && isLetter(text, end + 2)) return true;
  return len === 1 && start > 0 && isApostrophe(text.charCodeAt(start - 1));
}

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(word)) {
    const start = m.index;
    const end = start + m[0].length;
    out.push({ text: m[0], start, end, clitic: isClitic(text, start, end) });
  }
  return out;
}

/** Calls `emit` for each word (text, start, end, clitic) without building token objects: the indexing hot path. */
export function forEachWord(text: string, emit: (word: string, start: number, end: number, clitic: boolean) => void): void {
  word.lastIndex = 0;
  for (let m = word.exec(text); m !== null; m = word.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    emit(m[0], start, end, isClitic(text, start, end));
  }
}
