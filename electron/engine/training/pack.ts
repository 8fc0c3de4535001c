import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PontError } from '../errors.ts';
import { HASHED_TOKENIZER_FILE, HashedTokenizer, type HashedTokenizerSpec } from '../models/hashed-tokenizer.ts';
import { TRAINING_FILE } from '../models/infer.ts';
import type { ModelManifest, TrainingRecord } from '../models/manifest.ts';
import { readFloatInitializers } from '../models/onnx-inspect.ts';
import { ONNX_FLOAT, ONNX_INT64, writeOnnx, type OnnxNode } from '../models/onnx-write.ts';
import { BagEncoder } from './encoder.ts';

/** The family name a Pont-trained pack declares in config.json (`model_type`). */
export const BAG_FAMILY = 'pont-bag';

/**
 * Writes a trained encoder as an ordinary dense model pack: `model.onnx` (Gather of the feature ids' embeddings,
 * then the projection, giving per-feature states that the runner mean-pools and normalises, as the trainer does),
 * `pont-tokenizer.json` (the analysers and hashing), `pont-training.json` (provenance), and the sentence-transformers
 * files that tell `pont model import` how to pool. Feature order does not matter to a mean, so padding and length
 * sorting in the runner give the trainer's vectors.
 */
export function writePack(dir: string, encoder: BagEncoder, tokenizer: HashedTokenizerSpec, record: TrainingRecord, maxFeatures: number): void {
  mkdirSync(join(dir, '1_Pooling'), { recursive: true });
  const { buckets, dim, projection } = encoder.shape;
  const out = encoder.outDim;
  const nodes: OnnxNode[] = [{ op: 'Gather', inputs: ['embeddings', 'input_ids'], output: projection ? 'bag' : 'last_hidden_state' }];
  const initializers = [{ name: 'embeddings', dims: [buckets, dim], data: encoder.table }];
  if (encoder.proj) {
    nodes.push({ op: 'MatMul', inputs: ['bag', 'projection'], output: 'last_hidden_state' });
    initializers.push({ name: 'projection', dims: [dim, projection], data: encoder.proj });
  }
  const bytes = writeOnnx({
    name: 'pont_bag_encoder',
    inputs: [{ name: 'input_ids', elemType: ONNX_INT64, shape: ['batch', 'features'] }],
    outputs: [{ name: 'last_hidden_state', elemType: ONNX_FLOAT, shape: ['batch', 'features', out] }],
    nodes,
    initializers,
    metadata: { 'pont.training': JSON.stringify(record) },
  });
  writeFileSync(join(dir, 'model.onnx'), bytes);
  const json = (file: string, v: unknown) => writeFileSync(join(dir, file), JSON.stringify(v, null, 2) + '\n');
  json(HASHED_TOKENIZER_FILE, tokenizer);
  json(TRAINING_FILE, record);
  json('config.json', {
    model_type: BAG_FAMILY,
    architectures: ['PontBagEncoder'],
    hidden_size: out,
    vocab_size: buckets,
    max_position_embeddings: maxFeatures,
    license: 'as the training pairs',
  });
  json('modules.json', [
    { idx: 0, name: '0', path: '', type: 'pont.HashedFeatureBag' },
    { idx: 1, name: '1', path: '1_Pooling', type: 'sentence_transformers.models.Pooling' },
    { idx: 2, name: '2', path: '2_Normalize', type: 'sentence_transformers.models.Normalize' },
  ]);
  json('1_Pooling/config.json', { word_embedding_dimension: out, pooling_mode_mean_tokens: true });
  writeFileSync(
    join(dir, 'README.md'),
    `# ${record.pairSets.map((p) => p.name).join(', ')} → ${record.to}\n\nA bag-of-features dual encoder trained by Pont on ${record.from.join(', ')} → ${record.to} pairs ` +
      `(${record.steps} steps; settings in pont-training.json). Import with \`pont model import DIR --name NAME\`.\n`,
  );
}

/** A pack Pont trained, read back into a trainable encoder with its tokenizer and feature budget. */
export function readPack(dir: string, manifest: ModelManifest): { encoder: BagEncoder; tokenizer: HashedTokenizer; maxFeatures: number; record: TrainingRecord | undefined } {
  if (manifest.family !== BAG_FAMILY || manifest.tokenizer !== HASHED_TOKENIZER_FILE) {
    throw new PontError('invalid_input', 'training.not_trainable', { model: manifest.name, family: manifest.family, trainable: BAG_FAMILY }, [
      { field: 'from', reason: `family ${manifest.family}` },
    ]);
  }
  const file = join(dir, manifest.onnx.fp32 ?? 'model.onnx');
  const inits = readFloatInitializers(file);
  const table = inits.get('embeddings');
  if (!table || table.dims.length !== 2) throw new PontError('bad_data', 'training.no_embeddings', { file }, [{ file, field: 'embeddings', reason: 'missing' }]);
  const proj = inits.get('projection');
  const spec = JSON.parse(readFileSync(join(dir, HASHED_TOKENIZER_FILE), 'utf8')) as HashedTokenizerSpec;
  const tokenizer = new HashedTokenizer(spec, join(dir, HASHED_TOKENIZER_FILE));
  const encoder = new BagEncoder({ buckets: table.dims[0]!, dim: table.dims[1]!, projection: proj ? proj.dims[1]! : 0 }, table.data, proj?.data ?? null);
  return { encoder, tokenizer, maxFeatures: manifest.maxLength.passage, record: manifest.training };
}
