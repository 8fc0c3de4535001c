import type { HandlersFor } from '../define.ts';
import type { EncodedText, modelMethods, RuntimeReport } from '../contract/models.ts';
import type { CallContext } from '../define.ts';
import { setSetting, deletePack, getPack, importPack, listPacks, verifyPack } from '../../engine/models/packs.ts';
import { dropDenseIndexes, searchDense } from '../../engine/dense/index.ts';
import { runJob } from '../threads.ts';
import { getDenseIndex } from '../../engine/dense/vectors.ts';
import { exportVectors, importVectors } from '../../engine/dense/handoff.ts';
import { downloadPack } from '../../engine/models/download.ts';
import { loadModel, readSettings, unloadModels } from '../../engine/models/loaded.ts';
import { probeProviders } from '../../engine/models/providers.ts';
import { throwIfCancelled } from '../../engine/jobs/progress.ts';
import type { Encoded, EncodeStats } from '../../engine/models/runner.ts';
import type { WorkerModel } from '../../engine/models/worker-model.ts';
import type { Precision } from '../../engine/models/manifest.ts';
import type { ProviderChoice } from '../../engine/models/providers.ts';

const newStats = (): EncodeStats => ({ texts: 0, batches: 0, paddedTokens: 0, realTokens: 0, truncated: 0 });

function report(m: WorkerModel, started: number, stats: EncodeStats): RuntimeReport {
  return {
    provider: m.provider.provider,
    precision: m.precision,
    ...(m.provider.warning ? { warning: m.provider.warning } : {}),
    seconds: (performance.now() - started) / 1000,
    truncated: stats.truncated,
  };
}

// Large inputs go to the worker in slices, so progress is reported and a cancel takes effect between slices.
const SLICE = 256;

async function sliced<T>(items: readonly string[], ctx: CallContext, unit: string, run: (slice: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < items.length; i += SLICE) {
    throwIfCancelled(ctx.signal, 'encoding');
    out.push(...(await run(items.slice(i, i + SLICE))));
    ctx.progress({ phase: 'encoding', done: Math.min(items.length, i + SLICE), total: items.length, unit });
  }
  return out;
}

function describe(text: string, e: Encoded): EncodedText {
  if (e.kind === 'dense') return { text, dense: Array.from(e.vector) };
  if (e.kind === 'multi') {
    const { count, dim, data } = e.multi;
    return { text, tokens: count, dim, vectors: Array.from({ length: count }, (_, i) => Array.from(data.subarray(i * dim, (i + 1) * dim))) };
  }
  return { text, sparse: e.sparse.ids.map((id, i) => ({ id, token: e.sparse.tokens?.[i] ?? '', weight: e.sparse.weights[i]! })) };
}

const loadOptions = (o: { provider?: ProviderChoice | undefined; precision?: Precision | undefined }) => ({
  ...(o.provider ? { provider: o.provider } : {}),
  ...(o.precision ? { precision: o.precision } : {}),
});

export const modelHandlers: HandlersFor<typeof modelMethods> = {
  'model.import': async ({ path, name, ...overrides }, ctx) => {
    const { seconds } = await importPack(ctx.workspace, path, name, overrides, ctx);
    return { ...getPack(ctx.workspace, name), seconds };
  },

  'model.download': async ({ url, name, ...overrides }, ctx) => {
    const { seconds, files } = await downloadPack(ctx.workspace, url, name, overrides, ctx);
    return { ...getPack(ctx.workspace, name), seconds, files };
  },

  'model.list': (_input, { workspace }) =>
    listPacks(workspace.db).map((m) => ({
      name: m.name,
      role: m.role,
      family: m.family,
      dimension: m.dimension,
      precisions: Object.keys(m.onnx),
      bytes: m.bytes,
      importedAt: m.importedAt,
    })),

  'model.show': async ({ name, verify }, { workspace }) => {
    const p = getPack(workspace, name);
    return { ...p, ...(verify ? { verified: await verifyPack(workspace, name) } : {}) };
  },

  'model.delete': async ({ name }, { workspace }) => {
    await unloadModels(getPack(workspace, name).dir);
    dropDenseIndexes(workspace.db, name);
    return deletePack(workspace, name);
  },

  'model.probe': async (_input, { workspace }) => {
    const providers = await probeProviders(true);
    const setting = readSettings(workspace).provider;
    const wouldUse = setting === 'auto' ? (providers.find((p) => p.works)?.provider ?? 'none') : setting;
    return { providers, setting, wouldUse };
  },

  'model.settings': ({ provider, threads, batchSize }, { workspace }) => {
    if (provider) setSetting(workspace.db, 'provider', provider);
    if (threads !== undefined) setSetting(workspace.db, 'threads', String(threads));
    if (batchSize !== undefined) setSetting(workspace.db, 'batchSize', String(batchSize));
    return readSettings(workspace);
  },

  'model.encode': async (input, ctx) => {
    const started = performance.now();
    const m = await loadModel(ctx.workspace, input.model, loadOptions(input));
    const stats = newStats();
    const encoded = await sliced(input.texts, ctx, 'texts', (slice) => m.encode(slice, input.kind, stats));
    return { model: input.model, role: m.manifest.role, texts: encoded.map((e, i) => describe(input.texts[i]!, e)), runtime: report(m, started, stats) };
  },

  'dense.index': ({ collection, model, ann }, ctx) => runJob(ctx.workspace, 'dense.index', { collection, model, ann }, ctx, ctx.jobThreads ?? false),

  'dense.import': (input, ctx) => importVectors(ctx.workspace, input, ctx),

  'dense.export': (input, ctx) => exportVectors(ctx.workspace, input, ctx),

  'dense.search': async ({ collection, model, query, k, exact, ef }, { workspace }) => {
    const index = getDenseIndex(workspace.db, collection, model);
    const m = await loadModel(workspace, model);
    const [q] = await m.encode([query], 'query');
    const doc = workspace.db.prepare('SELECT ext_id AS docId, title, text FROM documents WHERE id = ?');
    return {
      // A document deleted since the index last caught up still has its vector: leave it out.
      hits: searchDense(workspace.db, index, q!, k, { exact, ...(ef ? { ef } : {}) }).flatMap((h) => {
        const d = doc.get(h.docId) as { docId: string; title: string | null; text: string } | undefined;
        return d ? [{ ...d, score: h.score }] : [];
      }),
    };
  },

  'model.rerank': async (input, ctx) => {
    const started = performance.now();
    const m = await loadModel(ctx.workspace, input.model, loadOptions(input));
    const stats = newStats();
    const scores = await sliced(input.docs, ctx, 'documents', (slice) => m.score(input.query, slice, stats));
    const ranked = scores.map((score, index) => ({ index, score, doc: input.docs[index]! })).sort((a, b) => b.score - a.score || a.index - b.index);
    return { model: input.model, ranked, runtime: report(m, started, stats) };
  },
};
