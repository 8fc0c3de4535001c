import { describe, expect, it } from 'vitest';
import { defaultIndexName, parseAnalyzer } from '../../electron/engine/analysis/analyzer.ts';
import { tokenize } from '../../electron/engine/analysis/tokenize.ts';
import { PontError } from '../../electron/engine/errors.ts';

const words = (s: string) => tokenize(s).map((t) => t.text);

describe('tokenize', () => {
  it('splits elisions with straight and typographic apostrophes', () => {
    expect(words("l'aiga de la font")).toEqual(['l', 'aiga', 'de', 'la', 'font']);
    expect(words('dell’acqua, d’un còp')).toEqual(['dell', 'acqua', 'd', 'un', 'còp']);
    expect(words("John's book, 's avonds")).toEqual(['John', 's', 'book', 's', 'avonds']);
  });
  it('keeps the middle dot inside Catalan and Occitan words', () => {
    expect(words('la col·lecció i el paral·lel; l.l és col.lecció')).toEqual(['la', 'col·lecció', 'i', 'el', 'paral·lel', 'l', 'l', 'és', 'col.lecció']);
    expect(words('a · b')).toEqual(['a', 'b']);
  });
  it('splits hyphens and keeps decimal numbers', () => {
    expect(words('arc-en-ciel 3.5 kg, 1,000 pages; 2024.')).toEqual(['arc', 'en', 'ciel', '3.5', 'kg', '1,000', 'pages', '2024']);
  });
  it('marks clitics cut off by apostrophes', () => {
    expect(tokenize("l'aiga dell'acqua John's").filter((t) => t.clitic).map((t) => t.text)).toEqual(['l', 'dell', 's']);
  });
  it('reports offsets into the original text, decomposed accents included', () => {
    const text = 'Cafe\u0301 ﬁn';
    for (const t of tokenize(text)) expect(text.slice(t.start, t.end)).toBe(t.text);
    expect(words(text)).toEqual(['Cafe\u0301', 'ﬁn']);
  });
});

describe('analysers', () => {
  it('normalises (NFKC, case, ß) and optionally folds diacritics', () => {
    expect(parseAnalyzer('words').terms('Cafe\u0301 ﬁn STRASSE Straße')).toEqual(['café', 'fin', 'strasse', 'strasse']);
    expect(parseAnalyzer('words+fold').terms('Èsser PORTUGUÊS')).toEqual(['esser', 'portugues']);
  });
  it('removes stopwords and stems with Snowball for the languages asked for', () => {
    expect(parseAnalyzer('words:fr').terms("l'eau des fontaines")).toEqual(['eau', 'fontain']);
    expect(parseAnalyzer('words:it').terms("dell'acqua delle fontane")).toEqual(['acqua', 'fontan']);
    expect(parseAnalyzer('words:ca').terms('la col·lecció de llibres')).toEqual(['col.lec', 'llibr']);
    expect(parseAnalyzer('words:ca').terms('col.lecció')).toEqual(parseAnalyzer('words:ca').terms('col·lecció'));
    for (const lang of ['es', 'pt', 'nl', 'en', 'de']) expect(parseAnalyzer(`words:${lang}`).terms('Running houses').length).toBeGreaterThan(0);
    expect(parseAnalyzer('words:en').terms('the running houses')).toEqual(['run', 'hous']);
    expect(parseAnalyzer('words:nl').terms("de huizen van 's avonds")).toEqual(['huiz', 'avond']);
    expect(parseAnalyzer('words:fr+nostem').terms('les fontaines')).toEqual(['fontaines']);
  });
  it('makes padded character n-grams within words', () => {
    expect(parseAnalyzer('chargram:3-3').terms('lenga oc')).toEqual([' le', 'len', 'eng', 'nga', 'ga ', ' oc', 'oc ']);
    const a = parseAnalyzer('chargram:3-5');
    // Occitan `occitana` and French `occitane` share every gram but those of the last letter.
    const other = new Set(a.terms('occitane'));
    const shared = new Set(a.terms('occitana').filter((g) => other.has(g)));
    expect([...shared].sort()).toEqual([' oc', ' occ', ' occi', 'cci', 'ccit', 'ccita', 'cit', 'cita', 'citan', 'ita', 'itan', 'occ', 'occi', 'occit', 'tan'].sort());
    expect(a.terms('col·lecció')).toContain('llec');
  });
  it('places n-gram spans inside the word they come from', () => {
    const text = 'la lenga occitana';
    for (const s of parseAnalyzer('chargram:3-5').spans(text)) {
      expect(s.start).toBeGreaterThanOrEqual(0);
      expect(s.end).toBeLessThanOrEqual(text.length);
      expect(text.slice(s.start, s.end)).not.toContain(' ');
    }
  });
  it('has canonical specs, versions and index names', () => {
    expect(parseAnalyzer('WORDS:FR').spec).toBe('words:fr');
    expect(parseAnalyzer('words:ca-valencia').spec).toBe('words:ca');
    expect(parseAnalyzer('chargram:5').spec).toBe('chargram:5-5');
    expect(defaultIndexName('chargram:3-5')).toBe('chargram-3-5');
    expect(parseAnalyzer('words:fr').version).toBeGreaterThan(0);
  });
  it('rejects bad specs with the field named', () => {
    for (const bad of ['ngrams', 'chargram:5-3', 'chargram:x', 'words:f', 'words+nostem', 'chargram:3-5+nostop', 'words:fr+loud']) {
      expect(() => parseAnalyzer(bad)).toThrow(PontError);
      try {
        parseAnalyzer(bad);
      } catch (e) {
        expect((e as PontError).details[0]!.field).toBe('analyzer');
      }
    }
  });
});
