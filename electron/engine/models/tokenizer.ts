import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { PontError } from '../errors.ts';
import { HASHED_TOKENIZER_FILE, HashedTokenizer, type HashedTokenizerSpec } from './hashed-tokenizer.ts';

/** One tokenised input: ids, segment (token type) ids, and how many tokens the text had before truncation. */
export interface TokenizedText {
  ids: number[];
  typeIds: number[];
  /** Tokens before truncation, special tokens included: tells the caller that text was cut. */
  fullLength: number;
}

/** A padded batch, laid out row-major as onnxruntime wants it. */
export interface PaddedBatch {
  rows: number;
  seqLen: number;
  inputIds: BigInt64Array;
  attentionMask: BigInt64Array;
  tokenTypeIds: BigInt64Array;
}

// The library's post-processor is callable (tokens, pair, addSpecial) but only typed as a class instance.
type PostProcess = (a: string[], b: string[] | null, addSpecial: boolean) => { tokens: string[]; token_type_ids?: number[] };

/**
 * A Hugging Face `tokenizer.json` with what the library leaves out: truncation (longest-first for pairs, after
 * special tokens are counted) and padding into batches. Truncation works on tokens before the post-processor adds
 * special tokens, so a truncated text still ends with its separator as the model saw in training.
 */
export class TextTokenizer {
  readonly file: string;
  readonly padId: number;
  readonly vocabSize: number;
  /** The largest token id the tokenizer can produce (added tokens included). */
  readonly maxId: number;
  private readonly tok: Tokenizer;
  private readonly vocab: Map<string, number>;
  private readonly unkId: number;
  private readonly post: PostProcess | null;
  private readonly specialSingle: number;
  private readonly specialPair: number;

  constructor(tokenizerJson: unknown, config: Record<string, unknown> = {}, file = 'tokenizer.json') {
    this.file = file;
    try {
      this.tok = new Tokenizer(tokenizerJson as object, config);
    } catch (e) {
      throw new PontError('bad_data', 'model.tokenizer_unreadable', { name: basename(file), file, reason: (e as Error).message }, [
        { file, field: 'model', reason: (e as Error).message },
      ]);
    }
    this.vocab = this.tok.get_vocab(true);
    this.maxId = Math.max(-1, ...this.vocab.values());
    this.vocabSize = this.maxId + 1;
    const model = this.tok.model as unknown as { unk_token_id?: number };
    this.unkId = model.unk_token_id ?? 0;
    this.post = this.tok.post_processor as unknown as PostProcess | null;
    const padToken = typeof config.pad_token === 'string' ? config.pad_token : undefined;
    const padding = (tokenizerJson as { padding?: { pad_id?: number } | null }).padding;
    this.padId = padding?.pad_id ?? (padToken !== undefined ? this.vocab.get(padToken) : undefined) ?? this.vocab.get('[PAD]') ?? this.vocab.get('<pad>') ?? 0;
    this.specialSingle = this.post ? this.post([], null, true).tokens.length : 0;
    this.specialPair = this.post ? this.post([], [], true).tokens.length : 0;
  }

  static fromFiles(tokenizerFile: string, configFile?: string): TextTokenizer {
    const json = readJson(tokenizerFile);
    const config = configFile ? (readJson(configFile) as Record<string, unknown>) : {};
    return new TextTokenizer(json, config, tokenizerFile);
  }

  tokenId(token: string): number | undefined {
    return this.vocab.get(token);
  }

  tokenOf(id: number): string {
    return this.tok.id_to_token(id) ?? `[${id}]`;
  }

  /** Sub-word tokens without special tokens, e.g. to find the id of "▁yes". */
  tokens(text: string): string[] {
    return this.tok.tokenize(text, { add_special_tokens: false });
  }

  /** Adds the special tokens to already split (and already truncated) tokens. */
  encodeTokens(tokens: string[]): TokenizedText {
    const processed = this.post ? this.post(tokens, null, true) : { tokens };
    const ids = processed.tokens.map((t) => this.vocab.get(t) ?? this.unkId);
    return { ids, typeIds: processed.token_type_ids ?? new Array<number>(ids.length).fill(0), fullLength: ids.length };
  }

  /** Encodes one text, or a (query, passage) pair, cut to at most `maxLength` tokens including special tokens. */
  encode(text: string, maxLength: number, pair?: string): TokenizedText {
    const a = this.tokens(text);
    const b = pair === undefined ? null : this.tokens(pair);
    const special = b === null ? this.specialSingle : this.specialPair;
    const fullLength = a.length + (b?.length ?? 0) + special;
    const budget = Math.max(0, maxLength - special);
    if (b === null) {
      if (a.length > budget) a.length = budget;
    } else {
      // Longest first: take tokens from whichever side is longer, so a short query survives a long passage.
      while (a.length + b.length > budget) {
        if (a.length >= b.length) a.pop();
        else b.pop();
      }
    }
    const processed = this.post ? this.post(a, b, true) : { tokens: b ? [...a, ...b] : a };
    const ids = processed.tokens.map((t) => this.vocab.get(t) ?? this.unkId);
    const typeIds = processed.token_type_ids ?? new Array<number>(ids.length).fill(0);
    return { ids, typeIds, fullLength };
  }
}

/**
 * Encodes `before + middle + after` as one sequence, cutting only `middle` when it is too long: a re-ranker's prompt
 * ("Query: … Document: … Relevant:") must keep its closing words, which the model reads its answer after. Parts are
 * tokenised apart, so templates should break at spaces (Metaspace tokenizers mark each part as a word start).
 */
export function encodeTemplate(tok: PackTokenizer, before: string, middle: string, after: string, maxLength: number): TokenizedText {
  const special = tok.encode('', maxLength).ids.length;
  const a = tok.tokens(before.trim());
  const m = tok.tokens(middle.trim());
  const z = after.trim() ? tok.tokens(after.trim()) : [];
  const fullLength = a.length + m.length + z.length + special;
  const room = Math.max(0, maxLength - special - a.length - z.length);
  return { ...tok.encodeTokens([...a, ...m.slice(0, room), ...z].slice(0, Math.max(0, maxLength - special))), fullLength };
}

/** Pads texts to the longest in the batch (never to the model maximum: attention is quadratic in length). */
export function padBatch(texts: readonly TokenizedText[], padId: number): PaddedBatch {
  const rows = texts.length;
  const seqLen = Math.max(1, ...texts.map((t) => t.ids.length));
  const inputIds = new BigInt64Array(rows * seqLen).fill(BigInt(padId));
  const attentionMask = new BigInt64Array(rows * seqLen);
  const tokenTypeIds = new BigInt64Array(rows * seqLen);
  texts.forEach((t, r) => {
    for (let i = 0; i < t.ids.length; i++) {
      inputIds[r * seqLen + i] = BigInt(t.ids[i]!);
      attentionMask[r * seqLen + i] = 1n;
      tokenTypeIds[r * seqLen + i] = BigInt(t.typeIds[i] ?? 0);
    }
  });
  return { rows, seqLen, inputIds, attentionMask, tokenTypeIds };
}

export function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new PontError('bad_data', 'file.unreadable', { file, reason: (e as NodeJS.ErrnoException).code ?? (e as Error).message }, [
      { file, reason: 'cannot be read' },
    ]);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    const m = /line (\d+)/.exec((e as Error).message);
    throw new PontError('bad_data', 'file.bad_json', { file, reason: (e as Error).message }, [
      { file, ...(m ? { line: Number(m[1]) } : {}), reason: (e as Error).message },
    ]);
  }
}

/** A pack's tokenizer: a Hugging Face tokenizer.json, or Pont's hashed analyser features (models Pont trained). */
export type PackTokenizer = TextTokenizer | HashedTokenizer;

export function openTokenizer(file: string, configFile?: string): PackTokenizer {
  if (basename(file) === HASHED_TOKENIZER_FILE) return new HashedTokenizer(readJson(file) as HashedTokenizerSpec, file);
  return TextTokenizer.fromFiles(file, configFile);
}
