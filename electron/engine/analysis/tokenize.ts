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

// Character classes of UTF-16 code units for the scanner: what `word`'s \p{L}, \p{N} and \p{M} accept, looked up
// once per code unit (by the same regular expressions, so the two cannot disagree) and cached.
const LETTER = 1;
const NUMBER = 2;
const MARK = 3;
const KNOWN = 4;
const classes = new Uint8Array(0x10000);
const classOf = (c: number): number => {
  let v = classes[c]!;
  if (v === 0) {
    const ch = String.fromCharCode(c);
    v = KNOWN | (/\p{L}/u.test(ch) ? LETTER : /\p{N}/u.test(ch) ? NUMBER : /\p{M}/u.test(ch) ? MARK : 0);
    classes[c] = v;
  }
  return v & 3;
};
const surrogates = /[\uD800-\uDFFF]/;

/**
 * Calls `emit` with the span of each word, exactly as `word` would match them, scanning code units instead of
 * running the regular expression (four times faster, and it allocates nothing). Text with surrogate pairs (letters
 * outside the BMP) goes through the regular expression.
 */
export function forEachWordSpan(text: string, emit: (start: number, end: number, clitic: boolean) => void): void {
  const n = text.length;
  if (surrogates.test(text)) {
    word.lastIndex = 0;
    for (let m = word.exec(text); m !== null; m = word.exec(text)) {
      const end = m.index + m[0].length;
      emit(m.index, end, isClitic(text, m.index, end));
    }
    return;
  }
  const cls = (i: number) => (i < n ? classOf(text.charCodeAt(i)) : 0);
  let i = 0;
  while (i < n) {
    if (cls(i) === 0) {
      i++;
      continue;
    }
    const start = i;
    for (;;) {
      i++;
      while (i < n && cls(i) !== 0) i++;
      if (i >= n) break;
      // The separators `word` accepts inside a word, each with its look-behind and look-ahead.
      const c = text.charCodeAt(i);
      let joins = false;
      if (c === 0xb7 || c === 0x387 || c === 0x2027) {
        let j = i - 1;
        while (j >= 0 && cls(j) === MARK) j--;
        joins = j >= 0 && cls(j) === LETTER && cls(i + 1) === LETTER;
      }
      if (!joins && c === 0x2e) {
        const before = text.charCodeAt(i - 1) | 0x20;
        const after = i + 1 < n ? text.charCodeAt(i + 1) | 0x20 : 0;
        joins = before === 0x6c && after === 0x6c && cls(i + 2) === LETTER;
      }
      if (!joins && (c === 0x2e || c === 0x2c)) joins = cls(i - 1) === NUMBER && cls(i + 1) === NUMBER;
      if (!joins) break;
    }
    emit(start, i, isClitic(text, start, i));
  }
}

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  forEachWordSpan(text, (start, end, clitic) => out.push({ text: text.slice(start, end), start, end, clitic }));
  return out;
}

/** Calls `emit` for each word (text, start, end, clitic) without building token objects. */
export function forEachWord(text: string, emit: (word: string, start: number, end: number, clitic: boolean) => void): void {
  forEachWordSpan(text, (start, end, clitic) => emit(text.slice(start, end), start, end, clitic));
}

/** The words of `text` by the regular expression itself: the specification the scanner is tested against. */
export function wordsByPattern(text: string): [number, number][] {
  return [...text.matchAll(word)].map((m) => [m.index, m.index + m[0].length]);
}
