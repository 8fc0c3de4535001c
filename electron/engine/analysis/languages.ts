import { createRequire } from 'node:module';
import type Snowball from 'snowball-stemmers';
import stopwordsIso from 'stopwords-iso/stopwords-iso.json' with { type: 'json' };

// The stemmers of twenty languages are one 850 kB script, 30 ms to load, which a search of a character n-gram index
// never runs: loaded on first use, synchronously, with a require made from this file. Not from import.meta.url,
// which the application's build defines as CommonJS code (vite.main.config.ts) that fails in its ES-module worker
// threads; its CommonJS main bundle has no import.meta (the build makes it {}), but has __filename.
const load = (id: string): unknown => createRequire(import.meta.filename ?? __filename)(id);
let snowball: typeof Snowball | undefined;

/** Snowball algorithm names by ISO 639-1 code: the languages whose word analyser can stem. */
const snowballNames: Record<string, string> = {
  ca: 'catalan',
  cs: 'czech',
  da: 'danish',
  de: 'german',
  en: 'english',
  es: 'spanish',
  eu: 'basque',
  fi: 'finnish',
  fr: 'french',
  ga: 'irish',
  hu: 'hungarian',
  it: 'italian',
  nl: 'dutch',
  no: 'norwegian',
  pt: 'portuguese',
  ro: 'romanian',
  ru: 'russian',
  sl: 'slovene',
  sv: 'swedish',
  tr: 'turkish',
};

export function stemmingLanguages(): string[] {
  return Object.keys(snowballNames).sort();
}

/** The primary subtag of a BCP-47 tag: `ca-valencia` → `ca`. */
export function primaryLanguage(tag: string): string {
  return tag.toLowerCase().split('-')[0]!;
}

export function stemmerFor(lang: string): ((word: string) => string) | undefined {
  const algo = snowballNames[primaryLanguage(lang)];
  if (!algo) return undefined;
  const s = (snowball ??= load('snowball-stemmers') as typeof Snowball).newStemmer(algo);
  return (w) => s.stem(w);
}

const lists = stopwordsIso as Record<string, string[]>;

/**
 * Stopwords of stopwords-iso for a language, normalised the way terms are, with elided forms (`l'`, `dell'`) also
 * given without their apostrophe, since the tokeniser splits at apostrophes.
 */
export function stopwordsFor(lang: string, normalize: (s: string) => string): Set<string> {
  const list = lists[primaryLanguage(lang)] ?? [];
  const out = new Set<string>();
  for (const w of list) {
    out.add(normalize(w));
    const bare = w.replace(/['’]+$/u, '');
    if (bare !== w && bare) out.add(normalize(bare));
  }
  return out;
}
