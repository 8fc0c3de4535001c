// A BERT-base–shaped encoder with random weights, built in code for the benchmark: real transformer blocks
// (multi-head attention with Softmax, LayerNormalization, GELU), so onnxruntime does the work a real model costs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GraphBuilder, randomMatrix } from './graphs.ts';
import { rng } from '../helpers/random.ts';

export interface BertShape {
  layers: number;
  hidden: number;
  heads: number;
  intermediate: number;
  vocab: number;
  positions: number;
}

export const bertBase: BertShape = { layers: 12, hidden: 768, heads: 12, intermediate: 3072, vocab: 30522, positions: 512 };

/** fp16: weights, activations and the output in half precision, as a model converted for a GPU. */
export function bertGraph(s: BertShape, seed = 1, precision: 'fp32' | 'fp16' = 'fp32'): Uint8Array {
  const g = new GraphBuilder(precision);
  const r = rng(seed);
  const H = s.hidden;
  const w = (name: string, rows: number, cols: number) => g.weight(name, randomMatrix(r, rows * cols, 0.02), [rows, cols]);
  const bias = (name: string, n: number) => g.weight(name, new Float32Array(n), [n]);
  const ones = (name: string, n: number) => g.weight(name, new Float32Array(n).fill(1), [n]);
  const layerNorm = (x: string, name: string) => g.op('LayerNormalization', [x, ones(`${name}.gamma`, H), bias(`${name}.beta`, H)], { axis: -1, epsilon: 1e-12 });

  const ids = g.input('input_ids', ['batch', 'seq']);
  const mask = g.input('attention_mask', ['batch', 'seq']);
  const seqLen = g.op('Gather', [g.op('Shape', [ids]), g.ints('one_idx', [1])]);
  // Range wants scalars; the initialisers and the Gather give one-element vectors.
  const positions = g.op('Range', [g.ints('zero_s', [0]), seqLen, g.ints('one_s', [1])].map((n) => g.op('Squeeze', [n])));
  let x = g.op('Add', [g.op('Gather', [w('word_embeddings', s.vocab, H), ids]), g.op('Gather', [w('position_embeddings', s.positions, H), positions])]);
  x = layerNorm(x, 'embeddings.ln');
  const maskBias = g.op('Unsqueeze', [g.op('Mul', [g.op('Sub', [g.scalar('one', 1), g.op('Cast', [mask], { to: g.floatType })]), g.scalar('neg', -10000)]), g.ints('axes12', [1, 2])]);
  const dh = H / s.heads;
  const split = g.ints('split_shape', [0, 0, s.heads, dh]);
  const merge = g.ints('merge_shape', [0, 0, H]);
  const sqrt2 = g.scalar('sqrt2', Math.SQRT2);
  const half = g.scalar('half', 0.5);
  const scale = g.scalar('scale', Math.sqrt(dh));
  for (let l = 0; l < s.layers; l++) {
    const p = `layer${l}`;
    const proj = (n: string, perm: number[]) => g.op('Transpose', [g.op('Reshape', [g.op('Add', [g.op('MatMul', [x, w(`${p}.${n}`, H, H)]), bias(`${p}.${n}.b`, H)]), split])], { perm });
    const q = proj('q', [0, 2, 1, 3]);
    const k = proj('k', [0, 2, 3, 1]);
    const v = proj('v', [0, 2, 1, 3]);
    const probs = g.op('Softmax', [g.op('Add', [g.op('Div', [g.op('MatMul', [q, k]), scale]), maskBias])], { axis: -1 });
    const ctx = g.op('Reshape', [g.op('Transpose', [g.op('MatMul', [probs, v])], { perm: [0, 2, 1, 3] }), merge]);
    const attn = g.op('Add', [g.op('MatMul', [ctx, w(`${p}.o`, H, H)]), bias(`${p}.o.b`, H)]);
    const x1 = layerNorm(g.op('Add', [attn, x]), `${p}.ln1`);
    const ff = g.op('Add', [g.op('MatMul', [x1, w(`${p}.ff1`, H, s.intermediate)]), bias(`${p}.ff1.b`, s.intermediate)]);
    const gelu = g.op('Mul', [g.op('Mul', [ff, half]), g.op('Add', [g.scalar(`${p}.one`, 1), g.op('Erf', [g.op('Div', [ff, sqrt2])])])]);
    const ff2 = g.op('Add', [g.op('MatMul', [gelu, w(`${p}.ff2`, s.intermediate, H)]), bias(`${p}.ff2.b`, H)]);
    x = layerNorm(g.op('Add', [ff2, x1]), `${p}.ln2`);
  }
  g.op('Identity', [x], {}, 'last_hidden_state');
  g.output('last_hidden_state', ['batch', 'seq', H], precision === 'fp16' ? 'float16' : 'float');
  return g.toBytes();
}

/** A WordPiece vocabulary of `size` tokens: the BERT specials and synthetic words w0, w1, … */
export function syntheticWordPiece(size: number): object {
  const vocab: Record<string, number> = { '[PAD]': 0, '[UNK]': 1, '[CLS]': 2, '[SEP]': 3, '[MASK]': 4 };
  for (let i = 5; i < size; i++) vocab[`w${i}`] = i;
  const special = (content: string, id: number) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  return {
    version: '1.0',
    added_tokens: [special('[PAD]', 0), special('[UNK]', 1), special('[CLS]', 2), special('[SEP]', 3), special('[MASK]', 4)],
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }, { Sequence: { id: 'B', type_id: 1 } }, { SpecialToken: { id: '[SEP]', type_id: 1 } }],
      special_tokens: { '[CLS]': { id: '[CLS]', ids: [2], tokens: ['[CLS]'] }, '[SEP]': { id: '[SEP]', ids: [3], tokens: ['[SEP]'] } },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
  };
}

/**
 * Writes a dense (mean-pooled, normalised) pack in the Hugging Face layout; with `fp16`, also the same weights in
 * half precision as `model_fp16.onnx`.
 */
export function writeBertPack(dir: string, s: BertShape, fp16 = false): void {
  mkdirSync(join(dir, '1_Pooling'), { recursive: true });
  writeFileSync(join(dir, 'model.onnx'), bertGraph(s));
  if (fp16) writeFileSync(join(dir, 'model_fp16.onnx'), bertGraph(s, 1, 'fp16'));
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(syntheticWordPiece(s.vocab)));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ model_type: 'bert', architectures: ['BertModel'], hidden_size: s.hidden, num_hidden_layers: s.layers, num_attention_heads: s.heads, intermediate_size: s.intermediate, vocab_size: s.vocab, max_position_embeddings: s.positions }));
  writeFileSync(join(dir, '1_Pooling', 'config.json'), JSON.stringify({ word_embedding_dimension: s.hidden, pooling_mode_mean_tokens: true }));
  writeFileSync(join(dir, 'modules.json'), JSON.stringify([{ idx: 0, type: 'sentence_transformers.models.Transformer' }, { idx: 1, type: 'sentence_transformers.models.Pooling' }, { idx: 2, type: 'sentence_transformers.models.Normalize' }]));
}
