import { z } from 'zod';
import { defineMethod } from '../define.ts';
import { name, path } from './schemas.ts';
import { modelOverrides, precisions, type ModelManifest } from '../../engine/models/manifest.ts';
import type { BuildReport } from '../../engine/dense/index.ts';
import type { VectorExportReport, VectorImportReport } from '../../engine/dense/handoff.ts';
import { providerIds } from '../../engine/models/provider-ids.ts';
import type { ProviderStatus, ProviderUse } from '../../engine/models/providers.ts';

export type { ModelManifest, ProviderStatus, ProviderUse };

export interface ModelSummary {
  name: string;
  role: ModelManifest['role'];
  family: string;
  dimension: number;
  precisions: string[];
  bytes: number;
  importedAt: string;
}

/** Which provider ran the call and what was tried first: a slower provider is always said, never hidden. */
export interface RuntimeReport {
  provider: ProviderUse['provider'];
  precision: string;
  warning?: string;
  seconds: number;
  truncated: number;
}

export type EncodedText =
  | { text: string; dense: number[] }
  | { text: string; sparse: { token: string; id: number; weight: number }[] }
  | { text: string; tokens: number; dim: number; vectors: number[][] };

const provider = z.enum(['auto', ...providerIds]);
const texts = z.array(z.string().max(100_000)).min(1).max(10_000);

export const modelMethods = {
  'model.import': defineMethod({
    summary: 'Import a model pack (ONNX + tokenizer.json + config.json, Hugging Face layout) into the workspace',
    job: true,
    input: modelOverrides.extend({ path, name }),
  }).returns<{ manifest: ModelManifest; seconds: number; dir: string; bytes: number; importedAt: string }>(),

  'model.download': defineMethod({
    summary: 'Download a model pack from a mirror in the Hugging Face layout (resumable, checksums verified), then import it',
    job: true,
    input: modelOverrides.extend({ url: z.url({ protocol: /^https?$/ }), name }),
  }).returns<{ manifest: ModelManifest; seconds: number; dir: string; bytes: number; importedAt: string; files: { path: string; verified: boolean }[] }>(),

  'model.list': defineMethod({
    summary: 'List model packs',
    input: z.object({}).default({}),
  }).returns<ModelSummary[]>(),

  'model.show': defineMethod({
    summary: 'Show a model pack’s manifest; with verify, recompute its checksum',
    input: z.object({ name, verify: z.boolean().default(false) }),
  }).returns<{ manifest: ModelManifest; bytes: number; importedAt: string; dir: string; verified?: boolean }>(),

  'model.delete': defineMethod({
    summary: 'Delete a model pack and its files',
    input: z.object({ name }),
  }).returns<{ deleted: string; bytes: number }>(),

  'model.probe': defineMethod({
    summary: 'Try every execution provider (CUDA, DirectML, WebGPU, CoreML, CPU) and say why each works or not',
    input: z.object({}).default({}),
  }).returns<{ providers: ProviderStatus[]; setting: string; wouldUse: string }>(),

  'model.settings': defineMethod({
    summary: 'Read or change the runtime settings: execution provider, threads per model, batch size',
    input: z.object({
      provider: provider.optional(),
      threads: z.number().int().min(0).max(256).optional(),
      batchSize: z.number().int().min(1).max(1024).optional(),
    }).default({}),
  }).returns<{ provider: string; threads: number | null; batchSize: number }>(),

  'model.encode': defineMethod({
    summary: 'Encode texts with a dense, sparse or multi-vector model',
    job: true,
    input: z.object({
      model: name,
      texts,
      kind: z.enum(['query', 'passage']).default('query'),
      provider: provider.optional(),
      precision: z.enum(precisions).optional(),
    }),
  }).returns<{ model: string; role: ModelManifest['role']; texts: EncodedText[]; runtime: RuntimeReport }>(),

  'dense.index': defineMethod({
    summary: 'Encode a collection with a dense model into a vector index (resumes an interrupted build)',
    job: true,
    input: z.object({
      collection: name,
      model: name,
      /** The approximate index: an HNSW graph over int8 codes from 20,000 documents up (auto), always, or never. */
      ann: z.enum(['auto', 'hnsw', 'none']).default('auto'),
    }),
  }).returns<BuildReport>(),

  'dense.import': defineMethod({
    summary: 'Import precomputed vectors (.npy, or FlexIndex vecs.f4 with pt_meta.json) and their document ids as a dense index',
    job: true,
    input: z.object({
      collection: name,
      model: name,
      /** A float32 matrix, documents × dimension: NumPy .npy, or pyterrier_dr FlexIndex vecs.f4. */
      vectors: path,
      /** Document ids, one per line, in the order of the rows. */
      docnos: path,
      ann: z.enum(['auto', 'hnsw', 'none']).default('auto'),
    }),
  }).returns<VectorImportReport>(),

  'dense.export': defineMethod({
    summary: 'Export a dense index’s vectors (.npy, or FlexIndex vecs.f4 + pt_meta.json) and their document ids',
    job: true,
    input: z.object({ collection: name, model: name, vectors: path, docnos: path }),
  }).returns<VectorExportReport>(),

  'dense.search': defineMethod({
    summary: 'Search a collection’s dense index',
    input: z.object({
      collection: name,
      model: name,
      query: z.string().min(1).max(100_000),
      k: z.number().int().min(1).max(10_000).default(10),
      /** Scan every vector instead of searching the HNSW graph; `ef` widens the graph search (recall for time). */
      exact: z.boolean().default(false),
      ef: z.number().int().min(1).max(10_000).optional(),
    }),
  }).returns<{ hits: { docId: string; score: number; title: string | null; text: string }[] }>(),

  'model.rerank': defineMethod({
    summary: 'Score documents for a query with a re-ranker (cross-encoder, seq2seq, ColBERT) or a bi-encoder',
    job: true,
    input: z.object({
      model: name,
      query: z.string().min(1).max(100_000),
      docs: texts,
      provider: provider.optional(),
      precision: z.enum(precisions).optional(),
    }),
  }).returns<{ model: string; ranked: { index: number; score: number; doc: string }[]; runtime: RuntimeReport }>(),
};
