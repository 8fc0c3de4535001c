// Model packs in the Hugging Face layout, written to disk from the graphs and tokenizers built in code.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rng } from '../helpers/random.ts';
import type { Engine } from '../../electron/api/engine.ts';
import { ensureCollection } from '../../electron/engine/store/collections.ts';
import { tempDir, tempEngine } from '../helpers/workspace.ts';
import { decoderWeights, randomMatrix, tinyCrossEncoder, tinyM3, tinyEncoder, tinySeq2SeqDecoder, tinySeq2SeqEncoder, tinyWeights, type EncoderGraphOptions } from './graphs.ts';
import { unigramPieces, unigramTokenizer, wordPieceTokenizer, wordPieceVocab } from './tokenizers.ts';

export const HIDDEN = 8;
export const WP_VOCAB = wordPieceVocab.length;
export const UG_VOCAB = unigramPieces.length;

const json = (dir: string, file: string, v: unknown) => {
  mkdirSync(join(dir, file, '..'), { recursive: true });
  writeFileSync(join(dir, file), JSON.stringify(v, null, 2));
};

export interface DensePackOptions extends EncoderGraphOptions {
  pooling?: 'cls' | 'mean' | 'lasttoken' | null;
  normalize?: boolean;
  /** Rows in the embedding matrix (fewer than the tokenizer's vocabulary gives the import error). */
  embeddingRows?: number;
  prompts?: { query: string; passage: string };
  /** Also write onnx/model_fp16.onnx and onnx/model_quantized.onnx, as Optimum and transformers.js exports do. */
  variants?: boolean;
}

/** A sentence-transformers–style BERT pack: model.onnx, tokenizer.json, config.json, modules.json, 1_Pooling/. */
export function writeDensePack(dir: string, o: DensePackOptions = {}) {
  const w = tinyWeights(o.embeddingRows ?? WP_VOCAB, HIDDEN);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'model.onnx'), tinyEncoder(w, o));
  if (o.variants) {
    mkdirSync(join(dir, 'onnx'), { recursive: true });
    writeFileSync(join(dir, 'onnx', 'model_fp16.onnx'), tinyEncoder(w, { ...o, variant: 'fp16' }));
    writeFileSync(join(dir, 'onnx', 'model_quantized.onnx'), tinyEncoder(w, { ...o, variant: 'int8' }));
  }
  json(dir, 'tokenizer.json', wordPieceTokenizer());
  json(dir, 'tokenizer_config.json', { model_max_length: 512, pad_token: '[PAD]', do_lower_case: true });
  json(dir, 'config.json', { model_type: 'bert', architectures: ['BertModel'], hidden_size: HIDDEN, vocab_size: WP_VOCAB, max_position_embeddings: 512 });
  if (o.pooling !== null) {
    const mode = o.pooling ?? 'mean';
    json(dir, '1_Pooling/config.json', {
      word_embedding_dimension: HIDDEN,
      pooling_mode_cls_token: mode === 'cls',
      pooling_mode_mean_tokens: mode === 'mean',
      pooling_mode_lasttoken: mode === 'lasttoken',
    });
    json(dir, 'modules.json', [
      { idx: 0, name: '0', path: '', type: 'sentence_transformers.models.Transformer' },
      { idx: 1, name: '1', path: '1_Pooling', type: 'sentence_transformers.models.Pooling' },
      ...(o.normalize ? [{ idx: 2, name: '2', path: '2_Normalize', type: 'sentence_transformers.models.Normalize' }] : []),
    ]);
    json(dir, 'sentence_bert_config.json', { max_seq_length: 128, do_lower_case: false });
  }
  if (o.prompts) json(dir, 'config_sentence_transformers.json', { prompts: o.prompts });
  return w;
}

/** A BERT cross-encoder pack (…ForSequenceClassification, one logit). */
export function writeCrossEncoderPack(dir: string) {
  const w = tinyWeights(WP_VOCAB, HIDDEN, 21);
  const head = randomMatrix(rng(5), HIDDEN, 1);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'model.onnx'), tinyCrossEncoder(w, head));
  json(dir, 'tokenizer.json', wordPieceTokenizer());
  json(dir, 'config.json', { model_type: 'bert', architectures: ['BertForSequenceClassification'], hidden_size: HIDDEN, vocab_size: WP_VOCAB, id2label: { 0: 'LABEL_0' } });
  return { w, head };
}

/** An mT5-style re-ranker in Optimum's layout: encoder_model.onnx + decoder_model.onnx and a Unigram tokenizer. */
export function writeSeq2SeqPack(dir: string) {
  const w = tinyWeights(UG_VOCAB, HIDDEN, 31);
  const d = decoderWeights(UG_VOCAB, HIDDEN, 32);
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  writeFileSync(join(dir, 'onnx', 'encoder_model.onnx'), tinySeq2SeqEncoder(w));
  writeFileSync(join(dir, 'onnx', 'decoder_model.onnx'), tinySeq2SeqDecoder(w, d));
  json(dir, 'tokenizer.json', unigramTokenizer());
  json(dir, 'config.json', { model_type: 'mt5', architectures: ['MT5ForConditionalGeneration'], d_model: HIDDEN, vocab_size: UG_VOCAB, is_encoder_decoder: true, decoder_start_token_id: 0 });
  return { w, d };
}

/** A BGE-M3–style pack (XLM-RoBERTa family) whose one graph has dense, sparse and ColBERT outputs. */
export function writeM3Pack(dir: string) {
  const w = tinyWeights(WP_VOCAB, HIDDEN, 41);
  const sparseHead = randomMatrix(rng(42), HIDDEN, 1);
  const colbertHead = randomMatrix(rng(43), HIDDEN * HIDDEN, 0.5);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'model.onnx'), tinyM3(w, sparseHead, colbertHead));
  json(dir, 'tokenizer.json', wordPieceTokenizer());
  json(dir, 'config.json', { model_type: 'xlm-roberta', architectures: ['XLMRobertaModel'], hidden_size: HIDDEN, vocab_size: WP_VOCAB, max_position_embeddings: 8194 });
  return { w, sparseHead, colbertHead };
}

/** A workspace with an English collection of these texts (ids d1, d2, …) and the tiny dense pack imported as `e5`, on the CPU. */
export async function engineWithDenseModel(texts: readonly string[]): Promise<Engine> {
  const engine = tempEngine();
  const c = ensureCollection(engine.workspace.db, 'docs', 'en');
  const insert = engine.workspace.db.prepare('INSERT INTO documents (collection_id, ext_id, text) VALUES (?, ?, ?)');
  texts.forEach((text, i) => insert.run(c.id, `d${i + 1}`, text));
  const pack = tempDir();
  writeDensePack(pack, { pooling: 'mean', normalize: true });
  await engine.call('model.import', { path: pack, name: 'e5' });
  await engine.call('model.settings', { provider: 'cpu' });
  return engine;
}
