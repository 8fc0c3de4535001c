import { parseAnalyzer, type Analyzer } from '../analysis/analyzer.ts';
import { PontError } from '../errors.ts';
import type { TokenizedText } from './tokenizer.ts';

/** The file a pack carries instead of tokenizer.json when its graph reads Pont's own hashed analyser features. */
export const HASHED_TOKENIZER_FILE = 'pont-tokenizer.json';

/** What `pont-tokenizer.json` holds: which analysers make the features and how they are hashed into rows. */
export interface HashedTokenizerSpec {
  kind: 'pont-hashed';
  /** Analyser specs (docs/lexical.md), e.g. `chargram:3-5+fold`, `words+fold`; each one's terms are features. */
  analyzers: string[];
  /** Analyser versions the features were made with: a newer analyser would feed the graph other rows. */
  versions: number[];
  /** Rows of the embedding table; row 0 is padding, features hash into 1…buckets−1. */
  buckets: number;
}

/** FNV-1a over UTF-16 code units, seeded per analyser so a word and an n-gram with the same letters differ. */
function fnv1a(salt: number, s: string): number {
  let h = (0x811c9dc5 ^ Math.imul(salt + 1, 0x9e3779b1)) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * Pont's analysers as a model tokenizer: a text's features are the terms of each analyser (character n-grams and
 * words, as the lexical indexes cut them), hashed into the rows of an embedding table. The trainer and the ONNX
 * runner both tokenise through this class, so a trained model encodes the same vectors in either.
 */
export class HashedTokenizer {
  readonly file: string;
  readonly spec: HashedTokenizerSpec;
  readonly padId = 0;
  readonly vocabSize: number;
  readonly maxId: number;
  private readonly analyzers: Analyzer[];

  constructor(spec: HashedTokenizerSpec, file = HASHED_TOKENIZER_FILE) {
    this.file = file;
    const bad = (field: string, reason: string): never => {
      throw new PontError('bad_data', 'model.tokenizer_bad', { file, field, reason }, [{ file, field, reason }]);
    };
    if (spec.kind !== 'pont-hashed') bad('kind', `is ${String(spec.kind)}, expected pont-hashed`);
    if (!Number.isInteger(spec.buckets) || spec.buckets < 2 || spec.buckets > 2 ** 26) bad('buckets', 'must be an integer from 2 to 2^26');
    if (!Array.isArray(spec.analyzers) || spec.analyzers.length === 0) bad('analyzers', 'must list at least one analyser spec');
    this.analyzers = spec.analyzers.map((a, i) => {
      let analyzer: Analyzer;
      try {
        analyzer = parseAnalyzer(a);
      } catch (e) {
        return bad(`analyzers[${i}]`, (e as Error).message);
      }
      const want = spec.versions?.[i];
      if (want !== analyzer.version) bad(`versions[${i}]`, `is ${String(want)} but this Pont's ${analyzer.spec} is version ${analyzer.version}: the features would differ from training`);
      return analyzer;
    });
    this.spec = spec;
    this.vocabSize = spec.buckets;
    this.maxId = spec.buckets - 1;
  }

  static create(analyzers: string[], buckets: number): HashedTokenizer {
    return new HashedTokenizer({ kind: 'pont-hashed', analyzers, versions: analyzers.map((a) => parseAnalyzer(a).version), buckets });
  }

  tokenId(token: string): number {
    const cut = token.indexOf('\u0001');
    const salt = cut > 0 ? Number(token.slice(0, cut)) : 0;
    return 1 + (fnv1a(salt, cut > 0 ? token.slice(cut + 1) : token) % (this.spec.buckets - 1));
  }

  tokenOf(id: number): string {
    return `#${id}`;
  }

  /** Features as strings (`<analyser index>\u0001<term>`), in text order per analyser. */
  tokens(text: string): string[] {
    return this.analyzers.flatMap((a, i) => a.terms(text).map((t) => `${i}\u0001${t}`));
  }

  /** Feature ids of a text: the hashed terms of each analyser, in order, at most `maxLength` of them. */
  ids(text: string, maxLength = Infinity): Int32Array {
    const out: number[] = [];
    for (const [i, a] of this.analyzers.entries()) {
      for (const t of a.terms(text)) {
        out.push(1 + (fnv1a(i, t) % (this.spec.buckets - 1)));
        if (out.length >= maxLength) return Int32Array.from(out);
      }
    }
    return Int32Array.from(out);
  }

  encodeTokens(tokens: string[]): TokenizedText {
    const ids = tokens.map((t) => this.tokenId(t));
    return { ids, typeIds: new Array<number>(ids.length).fill(0), fullLength: ids.length };
  }

  /** No special tokens: a text is its bag of features, cut to `maxLength` (the trainer cuts at the same place). */
  encode(text: string, maxLength: number): TokenizedText {
    const all = this.ids(text);
    const ids = Array.from(all.subarray(0, maxLength));
    return { ids, typeIds: new Array<number>(ids.length).fill(0), fullLength: all.length };
  }
}
