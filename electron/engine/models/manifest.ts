import { z } from 'zod';
import { modelRoles, poolings, precisions, type ModelRole, type Pooling, type Precision } from './roles.ts';

export { modelRoles, poolings, precisions, type ModelRole, type Pooling, type Precision };

/** Whether a role turns texts into vectors (encoders) or scores query–document pairs (re-rankers). */
export const isReranker = (role: ModelRole): boolean => role === 'cross-encoder' || role === 'seq2seq' || role === 'multi-vector';

export interface Seq2SeqSettings {
  /** The prompt, with `{query}` and `{document}` (the mT5 re-ranker's "Query: … Document: … Relevant:"). */
  template: string;
  yesToken: string;
  noToken: string;
  yesId: number;
  noId: number;
  decoderStartId: number;
}

/**
 * Everything needed to run a model pack, recorded at import: what was read from the files, what the user said, and
 * the checksum of the files as copied into the workspace.
 */
export interface ModelManifest {
  format: 1;
  name: string;
  role: ModelRole;
  /** config.json's model_type: bert, xlm-roberta, mt5… */
  family: string;
  /** ONNX files per precision, relative to the pack directory; seq2seq packs also have a decoder per precision. */
  onnx: Partial<Record<Precision, string>>;
  decoder?: Partial<Record<Precision, string>>;
  tokenizer: string;
  tokenizerConfig?: string;
  inputs: { inputIds: string; attentionMask?: string; tokenTypeIds?: string };
  decoderInputs?: { inputIds: string; encoderHiddenStates: string; encoderAttentionMask?: string };
  /** The output read for the role: an embedding, per-token states, per-token sparse weights, or logits. */
  output: string;
  pooling: Pooling;
  normalize: boolean;
  prefixes: { query: string; passage: string };
  maxLength: { query: number; passage: number };
  dimension: number;
  vocabSize: number;
  /** Cross-encoders: the logit that means "relevant" (1 for two-label heads, 0 for a single logit). */
  relevantLabel?: number;
  seq2seq?: Seq2SeqSettings;
  license: string | null;
  /** Models Pont trained: what on, so an encoder can be picked for a (query variety → collection language) pair. */
  training?: TrainingRecord;
  /** sha256 over the pack's files (name and content, in name order). */
  checksum: string;
  files: { path: string; bytes: number }[];
  source: string;
  /** Facts inferred and what they were inferred from, shown by `pont model show`. */
  notes: string[];
}

/** The provenance of a model Pont trained (pont-training.json in its pack). */
export interface TrainingRecord {
  /** Language tags of the query side of the pairs (the varieties), and the collection side's language. */
  from: string[];
  to: string;
  pairSets: { name: string; pairs: number; fingerprint: string | null }[];
  /** The model this one continued training from (the seed's second stage), if any. */
  base: string | null;
  settings: Record<string, number | string | boolean>;
  steps: number;
  finalLoss: number | null;
  trainedAt: string;
}

/** What the user may state at import, overriding what is inferred. */
export const modelOverrides = z.object({
  role: z.enum(modelRoles).optional(),
  pooling: z.enum(poolings).optional(),
  normalize: z.boolean().optional(),
  queryPrefix: z.string().max(1000).optional(),
  passagePrefix: z.string().max(1000).optional(),
  maxQueryLength: z.number().int().min(4).max(32768).optional(),
  maxPassageLength: z.number().int().min(4).max(32768).optional(),
  output: z.string().min(1).optional(),
  yesToken: z.string().min(1).optional(),
  noToken: z.string().min(1).optional(),
  template: z.string().includes('{query}').includes('{document}').optional(),
  license: z.string().max(200).optional(),
});
export type ModelOverrides = z.infer<typeof modelOverrides>;
