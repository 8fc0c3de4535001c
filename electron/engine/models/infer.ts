import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PontError, type ErrorDetail } from '../errors.ts';
import { inspectOnnx, type OnnxSummary, type ValueDecl } from './onnx-inspect.ts';
import type { ModelManifest, ModelOverrides, ModelRole, Pooling, Precision } from './manifest.ts';
import { HASHED_TOKENIZER_FILE } from './hashed-tokenizer.ts';
import type { TrainingRecord } from './manifest.ts';
import { openTokenizer, readJson, type PackTokenizer } from './tokenizer.ts';

/** The manifest before the files are copied and checksummed. */
export type InferredManifest = Omit<ModelManifest, 'checksum' | 'files' | 'name'>;

type Json = Record<string, unknown>;

/** Where a model Pont trained records what it was trained on (varieties, pair sets, settings). */
export const TRAINING_FILE = 'pont-training.json';

const fail = (message: string, detail: ErrorDetail): never => {
  throw new PontError('bad_data', 'model_pack.invalid', { problem: message }, [detail]);
};

/** ONNX files of one kind (`model`, `encoder_model`, `decoder_model`) by precision, in the root or `onnx/`. */
function findVariants(dir: string, stem: string): Partial<Record<Precision, string>> {
  const out: Partial<Record<Precision, string>> = {};
  for (const sub of ['', 'onnx']) {
    const d = join(dir, sub);
    if (!existsSync(d) || !statSync(d).isDirectory()) continue;
    for (const f of readdirSync(d).sort()) {
      const rel = sub ? `${sub}/${f}` : f;
      if (f === `${stem}.onnx`) out.fp32 ??= rel;
      else if (f === `${stem}_fp16.onnx`) out.fp16 ??= rel;
      else if (f === `${stem}_int8.onnx` || f === `${stem}_quantized.onnx` || f === `${stem}_qint8.onnx`) out.int8 ??= rel;
    }
  }
  return out;
}

function optionalJson(dir: string, rel: string): Json | undefined {
  const file = join(dir, rel);
  if (!existsSync(file)) return undefined;
  const v = readJson(file);
  if (v === null || typeof v !== 'object' || Array.isArray(v)) fail(`${file} must hold a JSON object`, { file, reason: 'not a JSON object' });
  return v as Json;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function expectRank(file: string, decl: ValueDecl | undefined, name: string, rank: number, what: string): ValueDecl {
  if (!decl) return fail(`${file} has no output "${name}" (${what})`, { file, field: `outputs.${name}`, reason: 'missing output' });
  if (decl.shape.length !== rank) {
    fail(`${file}: output "${name}" has rank ${decl.shape.length} [${decl.shape.join(', ')}], expected ${rank} (${what})`, {
      file,
      field: `outputs.${name}`,
      reason: `rank ${decl.shape.length}, expected ${rank}`,
    });
  }
  return decl;
}

function inferRole(config: Json, st: { modules?: unknown; pooling?: Json }, hasDecoder: boolean, outputs: string[]): ModelRole | undefined {
  if (hasDecoder || config.is_encoder_decoder === true) return 'seq2seq';
  const arch = Array.isArray(config.architectures) ? config.architectures.map(String) : [];
  if (arch.some((a) => a.endsWith('ForSequenceClassification'))) return 'cross-encoder';
  if (st.modules || st.pooling || outputs.includes('sentence_embedding') || outputs.includes('dense_vecs')) return 'dense';
  if (arch.some((a) => a.endsWith('ForMaskedLM')) && outputs.includes('logits')) return 'sparse';
  return undefined;
}

function poolingFromSentenceTransformers(p: Json | undefined): Pooling | undefined {
  if (!p) return undefined;
  if (p.pooling_mode_cls_token === true) return 'cls';
  if (p.pooling_mode_mean_tokens === true) return 'mean';
  if (p.pooling_mode_lasttoken === true) return 'last-token';
  return undefined;
}

/**
 * Reads a Hugging Face–layout folder and works out how to run it, checking every file against the others: the ONNX
 * graph's inputs and outputs against the role, the tokenizer's vocabulary against the embedding matrix, and the
 * settings against config.json. Anything that cannot be inferred must come from `overrides`.
 */
export function inferManifest(dir: string, o: ModelOverrides = {}): { manifest: InferredManifest; tokenizer: PackTokenizer } {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) fail(`${dir} is not a folder`, { file: dir, reason: 'not a folder' });
  const notes: string[] = [];
  const configFile = join(dir, 'config.json');
  if (!existsSync(configFile)) fail(`${configFile} is missing: a model pack needs the config.json of the Hugging Face export`, { file: configFile, reason: 'missing file' });
  const config = optionalJson(dir, 'config.json')!;
  const family = config.model_type;
  if (typeof family !== 'string' || !family) fail(`${configFile}: field model_type must name the architecture (bert, xlm-roberta, mt5…)`, { file: configFile, field: 'model_type', reason: 'missing or not a string' });
  for (const k of ['vocab_size', 'hidden_size', 'd_model', 'max_position_embeddings', 'decoder_start_token_id']) {
    if (k in config && num(config[k]) === undefined) fail(`${configFile}: field ${k} must be a number`, { file: configFile, field: k, reason: 'not a number' });
  }

  // Models Pont trained read its analysers' hashed features (pont-tokenizer.json) instead of sub-word tokens.
  const hashed = !existsSync(join(dir, 'tokenizer.json')) && existsSync(join(dir, HASHED_TOKENIZER_FILE));
  const tokFile = join(dir, hashed ? HASHED_TOKENIZER_FILE : 'tokenizer.json');
  if (!existsSync(tokFile)) fail(`${tokFile} is missing: Pont reads Hugging Face fast-tokenizer files (tokenizer.json)`, { file: tokFile, reason: 'missing file' });
  const tokConfig = optionalJson(dir, 'tokenizer_config.json');
  const tokenizer = openTokenizer(tokFile, tokConfig ? join(dir, 'tokenizer_config.json') : undefined);
  const training = optionalJson(dir, TRAINING_FILE) as TrainingRecord | undefined;

  const stConfig = optionalJson(dir, 'sentence_bert_config.json');
  const stPrompts = optionalJson(dir, 'config_sentence_transformers.json');
  const poolingConfig = optionalJson(dir, '1_Pooling/config.json');
  const modulesFile = join(dir, 'modules.json');
  const modules = existsSync(modulesFile) ? readJson(modulesFile) : undefined;
  if (modules !== undefined && !Array.isArray(modules)) fail(`${modulesFile} must hold a JSON array of modules`, { file: modulesFile, reason: 'not an array' });

  const encoders = { ...findVariants(dir, 'model') };
  const seqEncoders = findVariants(dir, 'encoder_model');
  const decoders = findVariants(dir, 'decoder_model');
  const twoFile = Object.keys(seqEncoders).length > 0 || Object.keys(decoders).length > 0;
  const onnx = twoFile ? seqEncoders : encoders;
  if (!onnx.fp32 && !onnx.fp16 && !onnx.int8) {
    const want = twoFile ? 'encoder_model.onnx' : 'model.onnx';
    fail(`${join(dir, want)} is missing: no ONNX ${twoFile ? 'encoder' : 'model'} in ${dir} or ${join(dir, 'onnx')}`, { file: join(dir, want), reason: 'missing file' });
  }
  if (twoFile && !decoders.fp32 && !decoders.fp16 && !decoders.int8) {
    fail(`${join(dir, 'decoder_model.onnx')} is missing: a sequence-to-sequence pack needs the decoder too`, { file: join(dir, 'decoder_model.onnx'), reason: 'missing file' });
  }
  const mainRel = (onnx.fp32 ?? onnx.fp16 ?? onnx.int8)!;
  const mainFile = join(dir, mainRel);
  const graph: OnnxSummary = inspectOnnx(mainFile);
  const outputs = new Map(graph.outputs.map((d) => [d.name, d]));
  const inputNames = graph.inputs.map((i) => i.name);

  const role = o.role ?? inferRole(config, { modules, ...(poolingConfig ? { pooling: poolingConfig } : {}) }, twoFile, [...outputs.keys()]);
  if (!role) {
    fail(`cannot tell what ${dir} is for from its files; say it with --role dense|sparse|multi-vector|cross-encoder|seq2seq`, {
      file: configFile,
      field: 'architectures',
      reason: 'role not inferable',
    });
  }
  if (role === 'seq2seq' && !twoFile) {
    fail(`${dir}: a seq2seq re-ranker needs encoder_model.onnx and decoder_model.onnx (the Optimum export layout)`, { file: join(dir, 'decoder_model.onnx'), reason: 'missing file' });
  }

  // Inputs: the runner feeds ids, mask and segment ids; any other required input would be left unfed.
  const inputIds = 'input_ids';
  if (!inputNames.includes(inputIds)) {
    fail(`${mainFile}: the graph has no input "input_ids" (its inputs: ${inputNames.join(', ') || 'none'})`, { file: mainFile, field: 'inputs.input_ids', reason: 'missing input' });
  }
  const known = new Set(['input_ids', 'attention_mask', 'token_type_ids']);
  const unknown = inputNames.filter((n) => !known.has(n));
  if (unknown.length > 0) {
    fail(`${mainFile}: inputs ${unknown.join(', ')} cannot be fed (Pont feeds input_ids, attention_mask, token_type_ids)`, { file: mainFile, field: `inputs.${unknown[0]}`, reason: 'unsupported input' });
  }
  for (const i of graph.inputs) {
    if (i.elemType !== 7) fail(`${mainFile}: input ${i.name} must be int64`, { file: mainFile, field: `inputs.${i.name}`, reason: `element type ${i.elemType}, expected int64 (7)` });
  }

  // The vocabulary check that catches a tokenizer from another model: ids past the embedding matrix crash at run time.
  const rows = graph.embeddingRows.get(inputIds);
  if (rows !== undefined && tokenizer.vocabSize > rows) {
    fail(`${tokFile}: the vocabulary has ${tokenizer.vocabSize} tokens but the embedding matrix in ${mainRel} has ${rows} rows`, {
      file: tokFile,
      field: 'model.vocab',
      reason: `${tokenizer.vocabSize} tokens > ${rows} embedding rows`,
    });
  }
  if (rows === undefined) notes.push('embedding matrix not found next to input_ids; vocabulary size not checked against it');
  const configVocab = num(config.vocab_size);
  if (configVocab !== undefined && tokenizer.vocabSize > configVocab) {
    fail(`${tokFile}: the vocabulary has ${tokenizer.vocabSize} tokens but config.json says vocab_size ${configVocab}`, { file: tokFile, field: 'model.vocab', reason: `more tokens than config.json vocab_size` });
  }

  let output: string;
  let pooling: Pooling = 'none';
  let dimension: number | undefined;
  const pick = (...names: string[]) => o.output ?? names.find((n) => outputs.has(n)) ?? names[0]!;
  const lastDim = (d: ValueDecl) => num(d.shape[d.shape.length - 1]);
  let relevantLabel: number | undefined;
  let seq2seq: ModelManifest['seq2seq'];
  let decoderInputs: ModelManifest['decoderInputs'];

  if (role === 'dense') {
    output = pick('sentence_embedding', 'dense_vecs', 'last_hidden_state', 'token_embeddings', 'pooler_output');
    const decl = outputs.get(output);
    const stPooling = poolingFromSentenceTransformers(poolingConfig);
    if (decl && decl.shape.length === 2) {
      pooling = 'none';
      if (o.pooling && o.pooling !== 'none') fail(`${mainFile}: output "${output}" has rank 2 [${decl.shape.join(', ')}], expected 3 [batch, sequence, hidden] for --pooling ${o.pooling}`, { file: mainFile, field: `outputs.${output}`, reason: 'rank 2, expected 3' });
    } else {
      expectRank(mainFile, decl, output, 3, `[batch, sequence, hidden] states to pool`);
      const chosen = o.pooling ?? stPooling;
      if (!chosen || chosen === 'none') {
        fail(`${dir}: nothing says how to pool "${output}" into one vector (no 1_Pooling/config.json); say it with --pooling cls|mean|last-token`, {
          file: join(dir, '1_Pooling/config.json'),
          field: 'pooling_mode',
          reason: 'pooling not inferable',
        });
      }
      pooling = chosen!;
      if (!o.pooling) notes.push(`pooling ${pooling} from 1_Pooling/config.json`);
    }
    dimension = lastDim(decl!) ?? num(poolingConfig?.word_embedding_dimension);
  } else if (role === 'cross-encoder') {
    output = pick('logits');
    const decl = expectRank(mainFile, outputs.get(output), output, 2, '[batch, labels] classification logits');
    const labels = lastDim(decl) ?? (config.id2label ? Object.keys(config.id2label as Json).length : 1);
    relevantLabel = labels >= 2 ? 1 : 0;
    dimension = labels;
  } else if (role === 'sparse') {
    output = pick('sparse_vecs', 'logits');
    const decl = expectRank(mainFile, outputs.get(output), output, 3, '[batch, sequence, 1] token weights or [batch, sequence, vocab] logits');
    dimension = lastDim(decl) === 1 ? tokenizer.vocabSize : (lastDim(decl) ?? configVocab ?? tokenizer.vocabSize);
  } else if (role === 'multi-vector') {
    output = pick('colbert_vecs', 'last_hidden_state');
    dimension = lastDim(expectRank(mainFile, outputs.get(output), output, 3, '[batch, sequence, dim] token vectors'));
  } else {
    output = pick('last_hidden_state');
    dimension = lastDim(expectRank(mainFile, outputs.get(output), output, 3, 'encoder states for the decoder'));
    const decRel = (decoders.fp32 ?? decoders.fp16 ?? decoders.int8)!;
    const decFile = join(dir, decRel);
    const dec = inspectOnnx(decFile);
    const decIn = dec.inputs.map((i) => i.name);
    for (const need of ['input_ids', 'encoder_hidden_states']) {
      if (!decIn.includes(need)) fail(`${decFile}: the decoder has no input "${need}" (its inputs: ${decIn.join(', ')})`, { file: decFile, field: `inputs.${need}`, reason: 'missing input' });
    }
    const extra = decIn.filter((n) => !['input_ids', 'encoder_hidden_states', 'encoder_attention_mask'].includes(n));
    if (extra.length) fail(`${decFile}: decoder inputs ${extra.join(', ')} cannot be fed (past key values need the decoder without cache)`, { file: decFile, field: `inputs.${extra[0]}`, reason: 'unsupported input' });
    const logits = dec.outputs.find((d) => d.name === 'logits') ?? dec.outputs[0];
    expectRank(decFile, logits, logits?.name ?? 'logits', 3, '[batch, decoder sequence, vocab] logits');
    decoderInputs = { inputIds: 'input_ids', encoderHiddenStates: 'encoder_hidden_states', ...(decIn.includes('encoder_attention_mask') ? { encoderAttentionMask: 'encoder_attention_mask' } : {}) };
    const decRows = dec.embeddingRows.get('input_ids');
    if (decRows !== undefined && tokenizer.vocabSize > decRows) {
      fail(`${tokFile}: the vocabulary has ${tokenizer.vocabSize} tokens but the decoder's embedding matrix has ${decRows} rows`, { file: tokFile, field: 'model.vocab', reason: 'more tokens than decoder embedding rows' });
    }
    const token = (given: string | undefined, defaults: string[], field: string): [string, number] => {
      for (const t of given ? [given] : defaults) {
        const id = tokenizer.tokenId(t);
        if (id !== undefined) return [t, id];
      }
      return fail(`${tokFile}: the ${field} token ${given ?? defaults.join(' / ')} is not in the vocabulary; name it with --${field === 'yes' ? 'relevant' : 'irrelevant'}-token`, { file: tokFile, field: `seq2seq.${field}Token`, reason: 'not in vocabulary' });
    };
    const [yesToken, yesId] = token(o.yesToken, ['▁yes', 'yes', '▁true', 'true'], 'yes');
    const [noToken, noId] = token(o.noToken, ['▁no', 'no', '▁false', 'false'], 'no');
    seq2seq = {
      template: o.template ?? 'Query: {query} Document: {document} Relevant:',
      yesToken,
      noToken,
      yesId,
      noId,
      decoderStartId: num(config.decoder_start_token_id) ?? num(config.pad_token_id) ?? 0,
    };
  }
  dimension ??= num(config.hidden_size) ?? num(config.d_model);
  if (dimension === undefined) fail(`${configFile}: cannot tell the output dimension; config.json needs hidden_size or d_model`, { file: configFile, field: 'hidden_size', reason: 'missing' });

  // Lengths: the smallest of what the files declare; the paper's 64-token queries unless told otherwise.
  const declared = [num(stConfig?.max_seq_length), num(tokConfig?.model_max_length), positionLimit(config)].filter((v): v is number => v !== undefined && v < 1e6);
  const modelMax = declared.length ? Math.min(...declared) : 512;
  const prompts = (stPrompts?.prompts ?? {}) as Json;
  const prefixes = {
    query: o.queryPrefix ?? (typeof prompts.query === 'string' ? prompts.query : ''),
    passage: o.passagePrefix ?? (typeof prompts.passage === 'string' ? prompts.passage : typeof prompts.document === 'string' ? prompts.document : ''),
  };
  const normalize = o.normalize ?? (Array.isArray(modules) && modules.some((m) => String((m as Json)?.type ?? '').endsWith('Normalize')));
  const license = o.license ?? (typeof config.license === 'string' ? config.license : null);

  const decoder = role === 'seq2seq' ? decoders : undefined;
  return {
    tokenizer,
    manifest: {
      format: 1,
      role: role!,
      family: family as string,
      onnx,
      ...(decoder ? { decoder } : {}),
      tokenizer: hashed ? HASHED_TOKENIZER_FILE : 'tokenizer.json',
      ...(tokConfig ? { tokenizerConfig: 'tokenizer_config.json' } : {}),
      inputs: {
        inputIds,
        ...(inputNames.includes('attention_mask') ? { attentionMask: 'attention_mask' } : {}),
        ...(inputNames.includes('token_type_ids') ? { tokenTypeIds: 'token_type_ids' } : {}),
      },
      ...(decoderInputs ? { decoderInputs } : {}),
      output,
      pooling,
      normalize,
      prefixes,
      // A bag of hashed features has no positions: queries get the same feature budget as passages.
      maxLength: { query: o.maxQueryLength ?? (hashed ? modelMax : Math.min(64, modelMax)), passage: o.maxPassageLength ?? Math.min(hashed ? modelMax : 512, modelMax) },
      dimension: dimension!,
      vocabSize: tokenizer.vocabSize,
      ...(relevantLabel !== undefined ? { relevantLabel } : {}),
      ...(seq2seq ? { seq2seq } : {}),
      license,
      ...(training ? { training } : {}),
      source: dir,
      notes,
    },
  };
}

// RoBERTa-family models reserve two positions for the padding offset (XLM-R's 514 positions hold 512 tokens).
function positionLimit(config: Json): number | undefined {
  const n = num(config.max_position_embeddings);
  if (n === undefined) return undefined;
  return String(config.model_type).includes('roberta') ? n - 2 : n;
}
