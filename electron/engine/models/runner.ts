import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { PontError } from '../errors.ts';
import type { ModelManifest, Precision } from './manifest.ts';
import { dot, halfToFloat, l2normalize, maxSim, pool, sparseDot, type MultiVector, type SparseVector, type TokenStates } from './pooling.ts';
import { createSession, type ProviderUse, type SessionOptions } from './providers.ts';
import { encodeTemplate, openTokenizer, padBatch, type PackTokenizer, type PaddedBatch, type TokenizedText } from './tokenizer.ts';

export type TextKind = 'query' | 'passage';

export interface RunnerOptions extends SessionOptions {
  precision?: Precision;
  /** Texts per onnxruntime call. */
  batchSize?: number;
  /** Sort texts by token count before batching, so each batch pads to a similar length (on by default). */
  sortByLength?: boolean;
}

/** What encoding gives, by role: one vector, a sparse bag of weighted token ids, or one vector per token. */
export type Encoded = { kind: 'dense'; vector: Float32Array } | { kind: 'sparse'; sparse: SparseVector } | { kind: 'multi'; multi: MultiVector };

export interface EncodeStats {
  texts: number;
  batches: number;
  /** Tokens fed, padding included, and the real tokens among them: the cost of padding at a glance. */
  paddedTokens: number;
  realTokens: number;
  truncated: number;
}

function floatData(t: ort.Tensor): Float32Array {
  if (t.data instanceof Float32Array) return t.data;
  if (t.type === 'float16' && t.data instanceof Uint16Array) return halfToFloat(t.data);
  return Float32Array.from(t.data as ArrayLike<number>);
}

/**
 * Runs batches of texts in length order and puts results back in input order. Sorting keeps padding (wasted
 * attention and matrix work) small when lengths vary, which they do in real collections.
 */
export async function inBatches<R>(
  texts: readonly TokenizedText[],
  batchSize: number,
  sort: boolean,
  run: (batch: TokenizedText[]) => Promise<R[]>,
  stats?: EncodeStats,
): Promise<R[]> {
  const order = texts.map((_, i) => i);
  if (sort) order.sort((a, b) => texts[a]!.ids.length - texts[b]!.ids.length);
  const out = new Array<R>(texts.length);
  for (let s = 0; s < order.length; s += batchSize) {
    const idx = order.slice(s, s + batchSize);
    const batch = idx.map((i) => texts[i]!);
    const results = await run(batch);
    idx.forEach((i, k) => (out[i] = results[k]!));
    if (stats) {
      stats.batches++;
      stats.paddedTokens += batch.length * Math.max(...batch.map((t) => t.ids.length));
      stats.realTokens += batch.reduce((a, t) => a + t.ids.length, 0);
    }
  }
  return out;
}

/**
 * One model pack, loaded: tokenizer, onnxruntime session(s) on the chosen provider, and the role's way of turning
 * outputs into vectors or scores. Runs wherever it is created; `worker-model.ts` puts it on a worker thread.
 */
export class ModelRunner {
  readonly manifest: ModelManifest;
  readonly tokenizer: PackTokenizer;
  readonly provider: ProviderUse;
  readonly precision: Precision;
  private readonly session: ort.InferenceSession;
  private readonly decoder: ort.InferenceSession | undefined;
  private readonly batchSize: number;
  private readonly sortByLength: boolean;
  private readonly specialIds: Set<number>;

  private constructor(
    manifest: ModelManifest,
    tokenizer: PackTokenizer,
    session: ort.InferenceSession,
    decoder: ort.InferenceSession | undefined,
    provider: ProviderUse,
    precision: Precision,
    o: RunnerOptions,
  ) {
    this.manifest = manifest;
    this.tokenizer = tokenizer;
    this.session = session;
    this.decoder = decoder;
    this.provider = provider;
    this.precision = precision;
    this.batchSize = o.batchSize ?? 16;
    this.sortByLength = o.sortByLength ?? true;
    this.specialIds = new Set([...tokenizer.encode('', 8).ids, tokenizer.padId]);
  }

  static async open(dir: string, manifest: ModelManifest, o: RunnerOptions = {}): Promise<ModelRunner> {
    const precision = o.precision ?? 'fp32';
    const rel = manifest.onnx[precision] ?? (o.precision ? undefined : (manifest.onnx.fp16 ?? manifest.onnx.int8));
    if (!rel) {
      const have = Object.keys(manifest.onnx).join(', ');
      throw new PontError('not_found', 'model.no_precision', { model: manifest.name, precision, have }, [{ field: 'precision', reason: `have ${have}` }]);
    }
    const used = (Object.entries(manifest.onnx).find(([, f]) => f === rel)![0]) as Precision;
    const tokenizer = openTokenizer(join(dir, manifest.tokenizer), manifest.tokenizerConfig ? join(dir, manifest.tokenizerConfig) : undefined);
    const { session, use } = await createSession(join(dir, rel), o);
    let decoder: ort.InferenceSession | undefined;
    if (manifest.role === 'seq2seq') {
      const decRel = manifest.decoder?.[used] ?? manifest.decoder?.fp32;
      if (!decRel) throw new PontError('bad_data', 'model.no_decoder', { model: manifest.name }, [{ field: 'decoder', reason: 'missing' }]);
      // The decoder goes on the provider the encoder got, so encoder states need not cross devices.
      decoder = (await createSession(join(dir, decRel), { ...o, provider: use.provider })).session;
    }
    return new ModelRunner(manifest, tokenizer, session, decoder, use, used, o);
  }

  tokenize(texts: readonly string[], kind: TextKind): TokenizedText[] {
    const prefix = this.manifest.prefixes[kind];
    const max = this.manifest.maxLength[kind];
    return texts.map((t) => this.tokenizer.encode(prefix + t, max));
  }

  private feeds(b: PaddedBatch): Record<string, ort.Tensor> {
    const dims = [b.rows, b.seqLen];
    const { inputs } = this.manifest;
    return {
      [inputs.inputIds]: new ort.Tensor('int64', b.inputIds, dims),
      ...(inputs.attentionMask ? { [inputs.attentionMask]: new ort.Tensor('int64', b.attentionMask, dims) } : {}),
      ...(inputs.tokenTypeIds ? { [inputs.tokenTypeIds]: new ort.Tensor('int64', b.tokenTypeIds, dims) } : {}),
    };
  }

  private async runEncoder(b: PaddedBatch): Promise<ort.Tensor> {
    const out = await this.session.run(this.feeds(b), [this.manifest.output]);
    return out[this.manifest.output]!;
  }

  /** Encodes texts for the pack's role (dense, sparse or multi-vector), in input order. */
  async encode(texts: readonly string[], kind: TextKind, stats?: EncodeStats): Promise<Encoded[]> {
    const role = this.manifest.role;
    if (role === 'cross-encoder' || role === 'seq2seq') {
      throw new PontError('invalid_input', 'model.not_encoder', { model: this.manifest.name, role }, [{ field: 'model', reason: `role ${role}` }]);
    }
    const tokenized = this.tokenize(texts, kind);
    if (stats) {
      stats.texts += texts.length;
      stats.truncated += tokenized.filter((t) => t.fullLength > t.ids.length).length;
    }
    return inBatches(tokenized, this.batchSize, this.sortByLength, (batch) => this.encodeBatch(batch), stats);
  }

  private async encodeBatch(batch: TokenizedText[]): Promise<Encoded[]> {
    const b = padBatch(batch, this.tokenizer.padId);
    const t = await this.runEncoder(b);
    const data = floatData(t);
    const dims = t.dims.map(Number);
    const m = this.manifest;
    if (m.role === 'dense') {
      let vectors: Float32Array[];
      if (dims.length === 2) {
        vectors = batch.map((_, r) => data.slice(r * dims[1]!, (r + 1) * dims[1]!));
      } else {
        if (m.pooling === 'none') throw new PontError('bad_data', 'model.no_pooling', { model: m.name, output: m.output });
        vectors = pool({ data, rows: dims[0]!, seq: dims[1]!, dim: dims[2]! }, b.attentionMask, b.seqLen, m.pooling);
      }
      return vectors.map((v) => ({ kind: 'dense', vector: m.normalize ? l2normalize(v) : v }));
    }
    const states: TokenStates = { data, rows: dims[0]!, seq: dims[1]!, dim: dims[2]! };
    // BGE-M3's colbert_vecs and sparse_vecs drop the first token: align the mask by the difference in length.
    const shift = b.seqLen - states.seq;
    if (m.role === 'multi-vector') return batch.map((_, r) => ({ kind: 'multi', multi: this.tokenVectors(states, b, r, shift) }));
    return batch.map((_, r) => ({ kind: 'sparse', sparse: this.sparseVector(states, b, r, shift) }));
  }

  private tokenVectors(s: TokenStates, b: PaddedBatch, r: number, shift: number): MultiVector {
    const rows: Float32Array[] = [];
    for (let t = 0; t < s.seq; t++) {
      if (b.attentionMask[r * b.seqLen + t + shift] === 0n) continue;
      rows.push(l2normalize(s.data.slice((r * s.seq + t) * s.dim, (r * s.seq + t + 1) * s.dim)));
    }
    const data = new Float32Array(rows.length * s.dim);
    rows.forEach((v, i) => data.set(v, i * s.dim));
    return { count: rows.length, dim: s.dim, data };
  }

  private sparseVector(s: TokenStates, b: PaddedBatch, r: number, shift: number): SparseVector {
    const weights = new Map<number, number>();
    const keep = (id: number, w: number) => {
      if (w > 0 && !this.specialIds.has(id)) weights.set(id, Math.max(weights.get(id) ?? 0, w));
    };
    for (let t = 0; t < s.seq; t++) {
      const pos = r * b.seqLen + t + shift;
      if (b.attentionMask[pos] === 0n) continue;
      const at = (r * s.seq + t) * s.dim;
      if (s.dim === 1) {
        keep(Number(b.inputIds[pos]), Math.max(0, s.data[at]!)); // one weight per token (BGE-M3)
      } else {
        for (let v = 0; v < s.dim; v++) keep(v, Math.log1p(Math.max(0, s.data[at + v]!))); // SPLADE over MLM logits
      }
    }
    const ids = [...weights.keys()].sort((a, c) => a - c);
    return { ids, weights: ids.map((i) => weights.get(i)!), tokens: ids.map((i) => this.tokenizer.tokenOf(i)) };
  }

  /** Relevance scores of documents for a query, in document order: higher is more relevant. */
  async score(query: string, docs: readonly string[], stats?: EncodeStats): Promise<number[]> {
    const m = this.manifest;
    if (m.role === 'multi-vector') {
      const [q] = await this.encode([query], 'query');
      const ds = await this.encode(docs, 'passage', stats);
      const qv = (q as Extract<Encoded, { kind: 'multi' }>).multi;
      return ds.map((d) => maxSim(qv, (d as Extract<Encoded, { kind: 'multi' }>).multi));
    }
    if (m.role === 'cross-encoder') {
      const pairs = docs.map((d) => this.tokenizer.encode(m.prefixes.query + query, m.maxLength.passage, m.prefixes.passage + d));
      return inBatches(pairs, this.batchSize, this.sortByLength, async (batch) => {
        const t = await this.runEncoder(padBatch(batch, this.tokenizer.padId));
        const data = floatData(t);
        const labels = Number(t.dims[1] ?? 1);
        const label = m.relevantLabel ?? 0;
        // Two labels: the margin of "relevant" over "not relevant" orders documents as the softmax would.
        return batch.map((_, r) => (labels >= 2 ? data[r * labels + label]! - data[r * labels + 1 - label]! : data[r * labels]!));
      }, stats);
    }
    if (m.role === 'seq2seq') {
      const s = m.seq2seq!;
      const [before, after] = s.template.split('{document}').map((part) => part.replaceAll('{query}', query)) as [string, string];
      const prompts = docs.map((d) => encodeTemplate(this.tokenizer, before, d, after, m.maxLength.passage));
      return inBatches(prompts, this.batchSize, this.sortByLength, (batch) => this.seq2seqBatch(batch), stats);
    }
    // Bi-encoders score by the inner product of their representations.
    const [q] = await this.encode([query], 'query');
    const ds = await this.encode(docs, 'passage', stats);
    return ds.map((d) => similarity(q!, d));
  }

  private async seq2seqBatch(batch: TokenizedText[]): Promise<number[]> {
    const m = this.manifest;
    const s = m.seq2seq!;
    const b = padBatch(batch, this.tokenizer.padId);
    const enc = await this.runEncoder(b);
    const di = m.decoderInputs!;
    const feeds: Record<string, ort.Tensor> = {
      [di.inputIds]: new ort.Tensor('int64', new BigInt64Array(b.rows).fill(BigInt(s.decoderStartId)), [b.rows, 1]),
      [di.encoderHiddenStates]: enc,
    };
    if (di.encoderAttentionMask) feeds[di.encoderAttentionMask] = new ort.Tensor('int64', b.attentionMask, [b.rows, b.seqLen]);
    const out = await this.decoder!.run(feeds);
    const logits = out.logits ?? Object.values(out)[0]!;
    const data = floatData(logits);
    const [, steps, vocab] = logits.dims.map(Number) as [number, number, number];
    return batch.map((_, r) => {
      const base = (r * steps + steps - 1) * vocab;
      // softmax over the two answers only: P(yes) = 1 / (1 + e^(no − yes)).
      return 1 / (1 + Math.exp(data[base + s.noId]! - data[base + s.yesId]!));
    });
  }

  async release(): Promise<void> {
    await this.session.release();
    await this.decoder?.release();
  }
}

function similarity(a: Encoded, b: Encoded): number {
  if (a.kind === 'dense' && b.kind === 'dense') return dot(a.vector, b.vector);
  if (a.kind === 'sparse' && b.kind === 'sparse') return sparseDot(a.sparse, b.sparse);
  return 0;
}
