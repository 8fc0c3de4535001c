import type { Command } from 'commander';
import type { Cli } from '../context.ts';
import { UsageError } from '../context.ts';
import { renderTable } from '../table.ts';
import type { ModelManifest, RuntimeReport } from '../../api/contract/models.ts';
import { modelRoles, poolings, precisions } from '../../engine/models/roles.ts';
import { providerIds } from '../../engine/models/provider-ids.ts';

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

function oneOf<T extends string>(what: string, allowed: readonly T[]) {
  return (v: string): T => {
    if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`${what} must be one of ${allowed.join(', ')} (got ${v})`);
    return v as T;
  };
}

const positiveInt = (what: string) => (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${what} must be a whole number (got ${v})`);
  return n;
};

const collect = (v: string, prev: string[] = []) => [...prev, v];

/** A slower provider than the machine could have is said on stderr, so it is seen even when stdout is piped. */
function runtimeNote(r: RuntimeReport): void {
  if (r.warning) process.stderr.write(`pont: note: ${r.warning}\n`);
  if (r.truncated > 0) process.stderr.write(`pont: note: ${r.truncated} text(s) were longer than the model's maximum length and were truncated\n`);
}

function renderManifest(m: ModelManifest, extra: { bytes: number; importedAt: string; dir: string; verified?: boolean }): string {
  const lines = [
    `${m.name}: ${m.role} (${m.family}), ${m.dimension} dimensions, ${mb(extra.bytes)}`,
    `  files        ${extra.dir}`,
    `  precisions   ${Object.entries(m.onnx).map(([p, f]) => `${p} ${f}`).join(', ')}`,
    ...(m.decoder ? [`  decoder      ${Object.entries(m.decoder).map(([p, f]) => `${p} ${f}`).join(', ')}`] : []),
    `  inputs       ${Object.values(m.inputs).join(', ')}; output ${m.output}`,
    `  pooling      ${m.pooling}${m.normalize ? ', L2-normalised' : ''}`,
    `  max length   query ${m.maxLength.query}, passage ${m.maxLength.passage} tokens`,
    `  prefixes     query ${JSON.stringify(m.prefixes.query)}, passage ${JSON.stringify(m.prefixes.passage)}`,
    ...(m.seq2seq ? [`  seq2seq      ${JSON.stringify(m.seq2seq.template)}; yes ${m.seq2seq.yesToken} (${m.seq2seq.yesId}), no ${m.seq2seq.noToken} (${m.seq2seq.noId})`] : []),
    `  licence      ${m.license ?? 'not stated'}`,
    `  checksum     sha256 ${m.checksum}${extra.verified === undefined ? '' : extra.verified ? ' (verified)' : ' (MISMATCH: the files changed since import)'}`,
    `  imported     ${extra.importedAt} from ${m.source}`,
    ...m.notes.map((n) => `  note         ${n}`),
  ];
  return lines.join('\n');
}

export function registerModelCommands(program: Command, cli: Cli): void {
  const model = program.command('model').description('Model packs: import, list, show, delete; probe execution providers');

  const packOptions = (c: Command) =>
    c
      .requiredOption('--name <name>', 'name to use the model by')
      .option('--role <role>', `what the model is for: ${modelRoles.join(', ')} (inferred when the files say)`, oneOf('--role', modelRoles))
      .option('--pooling <mode>', `how to pool token states: ${poolings.join(', ')} (from 1_Pooling/ when present)`, oneOf('--pooling', poolings))
      .option('--normalize', 'L2-normalise embeddings (inferred from modules.json)')
      .option('--query-prefix <text>', 'text put before queries, e.g. "query: " (E5) or an instruction (BGE)')
      .option('--passage-prefix <text>', 'text put before passages, e.g. "passage: "')
      .option('--max-query-length <n>', 'tokens', positiveInt('--max-query-length'))
      .option('--max-passage-length <n>', 'tokens', positiveInt('--max-passage-length'))
      .option('--output <name>', 'which ONNX output to read')
      .option('--relevant-token <token>', 'seq2seq re-rankers: the token meaning relevant (default ▁yes, then ▁true)')
      .option('--irrelevant-token <token>', 'seq2seq re-rankers: the token meaning not relevant (default ▁no, then ▁false)')
      .option('--template <text>', 'seq2seq prompt with {query} and {document}')
      .option('--license <text>', 'licence of the weights');

  const packInput = (o: Record<string, string | number | boolean | undefined>) => {
    const { name, relevantToken, irrelevantToken, ...rest } = o;
    return {
      name: String(name),
      ...Object.fromEntries(Object.entries({ ...rest, yesToken: relevantToken, noToken: irrelevantToken }).filter(([, v]) => v !== undefined)),
    };
  };

  packOptions(model.command('import <dir>').description('Import a model folder in the Hugging Face layout (ONNX, tokenizer.json, config.json…)')).action(
    (path: string, o: Record<string, string | number | boolean | undefined>) =>
      cli.call('model.import', { path, ...packInput(o) }, (r) => [`Imported ${r.manifest.name} in ${r.seconds.toFixed(1)} s.`, renderManifest(r.manifest, r)].join('\n')),
  );

  packOptions(
    model
      .command('download <url>')
      .description('Download a pack from a mirror in the Hugging Face layout (resumes; checks SHA256SUMS or sha256 ETags), then import it'),
  ).action((url: string, o: Record<string, string | number | boolean | undefined>) =>
    cli.call('model.download', { url, ...packInput(o) }, (r) => {
      const unverified = r.files.filter((f) => !f.verified).map((f) => f.path);
      return [
        `Downloaded and imported ${r.manifest.name} in ${r.seconds.toFixed(1)} s.`,
        unverified.length ? `note: no checksum was published for ${unverified.join(', ')}` : 'all files matched their published checksums',
        renderManifest(r.manifest, r),
      ].join('\n');
    }),
  );

  model
    .command('list')
    .description('List model packs')
    .action(() =>
      cli.call('model.list', {}, (rows) =>
        rows.length === 0
          ? 'No models yet. Import one with: pont model import DIR --name NAME'
          : renderTable(rows, [
              { header: 'name', value: (r) => r.name },
              { header: 'role', value: (r) => r.role },
              { header: 'family', value: (r) => r.family },
              { header: 'dim', value: (r) => r.dimension, align: 'right' },
              { header: 'precisions', value: (r) => r.precisions.join(',') },
              { header: 'size', value: (r) => mb(r.bytes), align: 'right' },
            ]),
      ),
    );

  model
    .command('show <name>')
    .description('Show a model pack’s manifest')
    .option('--verify', 'recompute the checksum of the files')
    .action((name: string, o: { verify?: boolean }) => cli.call('model.show', { name, verify: o.verify ?? false }, (r) => renderManifest(r.manifest, r)));

  model
    .command('delete <name>')
    .description('Delete a model pack and its files')
    .action((name: string) => cli.call('model.delete', { name }, (r) => `Deleted ${r.deleted} (${mb(r.bytes)}).`));

  model
    .command('probe')
    .description('Try each execution provider (CUDA, DirectML, WebGPU, CoreML, CPU) and say why it works or not')
    .action(() =>
      cli.call('model.probe', {}, (r) =>
        [
          renderTable(r.providers, [
            { header: 'provider', value: (p) => p.label },
            { header: 'works', value: (p) => (p.works ? 'yes' : 'no') },
            { header: 'ms', value: (p) => p.milliseconds ?? '', align: 'right' },
            { header: 'why not', value: (p) => p.reason ?? '' },
          ]),
          '',
          `setting: ${r.setting}; models will run on ${r.wouldUse}` + (r.setting === 'auto' ? ' (change with: pont model use PROVIDER)' : ''),
        ].join('\n'),
      ),
    );

  model
    .command('use [provider]')
    .description(`Choose the execution provider (auto, ${providerIds.join(', ')}) and threads per model; no argument shows them`)
    .option('--threads <n>', 'onnxruntime intra-op threads per model (0: as many as cores)', positiveInt('--threads'))
    .option('--batch-size <n>', 'texts per onnxruntime call', positiveInt('--batch-size'))
    .action((provider: string | undefined, o: { threads?: number; batchSize?: number }) =>
      cli.call(
        'model.settings',
        {
          ...(provider ? { provider: oneOf('provider', ['auto', ...providerIds] as const)(provider) } : {}),
          ...(o.threads !== undefined ? { threads: o.threads } : {}),
          ...(o.batchSize !== undefined ? { batchSize: o.batchSize } : {}),
        },
        (s) => `provider ${s.provider}, threads ${s.threads || 'all cores'}, batch size ${s.batchSize}`,
      ),
    );

  program
    .command('encode')
    .description('Encode texts with a dense, sparse or multi-vector model')
    .requiredOption('--model <name>', 'model pack')
    .requiredOption('--text <text>', 'a text (repeat for several)', collect)
    .option('--passage', 'encode as passages (default: as queries), which picks the prefix and maximum length')
    .option('--provider <p>', `execution provider for this call: auto, ${providerIds.join(', ')}`, oneOf('--provider', ['auto', ...providerIds] as const))
    .option('--precision <p>', `model variant: ${precisions.join(', ')}`, oneOf('--precision', precisions))
    .action((o: { model: string; text: string[]; passage?: boolean; provider?: 'auto'; precision?: 'fp32' }) =>
      cli.call(
        'model.encode',
        { model: o.model, texts: o.text, kind: o.passage ? 'passage' : 'query', ...(o.provider ? { provider: o.provider } : {}), ...(o.precision ? { precision: o.precision } : {}) },
        (r) => {
          runtimeNote(r.runtime);
          const fmt = (xs: number[]) => `[${xs.slice(0, 8).map((x) => x.toFixed(4)).join(', ')}${xs.length > 8 ? `, … (${xs.length})` : ''}]`;
          return [
            ...r.texts.map((t) =>
              'dense' in t
                ? `${fmt(t.dense)}  ${t.text}`
                : 'sparse' in t
                  ? `${t.sparse.slice().sort((a, b) => b.weight - a.weight).slice(0, 10).map((s) => `${s.token}:${s.weight.toFixed(3)}`).join(' ')}  ${t.text}`
                  : `${t.tokens} token vectors of ${t.dim}  ${t.text}`,
            ),
            `(${r.role}, ${r.runtime.provider}, ${r.runtime.precision}, ${r.runtime.seconds.toFixed(2)} s)`,
          ].join('\n');
        },
      ),
    );

  const dense = program.command('dense').description('Dense retrieval: encode a collection with a dense model, search it');
  dense
    .command('index')
    .description('Encode every document of a collection into a vector index (run again to resume)')
    .requiredOption('--collection <name>', 'collection')
    .requiredOption('--model <name>', 'dense model pack')
    .option('--ann <kind>', 'approximate index: auto (an HNSW graph from 20,000 documents up), hnsw, none', oneOf('--ann', ['auto', 'hnsw', 'none'] as const))
    .action((o: { collection: string; model: string; ann?: 'auto' | 'hnsw' | 'none' }) =>
      cli.call('dense.index', o, (r) =>
        [
          `${r.collection} × ${r.model}: ${r.documents} documents indexed (${r.encoded} encoded now${r.resumedAfter ? `, resumed after document ${r.resumedAfter}` : ''}`,
          `${r.updated || r.removed ? `, ${r.updated} changed re-encoded, ${r.removed} removed` : ''})`,
          `${r.ann ? `, HNSW graph of ${r.ann.nodes} vectors (${r.ann.inserted} added now)` : ''} in ${r.seconds.toFixed(1)} s`,
        ].join(''),
      ),
    );
  dense
    .command('import')
    .description('Import precomputed vectors and their document ids as the collection’s dense index for a model')
    .requiredOption('--collection <name>', 'collection')
    .requiredOption('--model <name>', 'the model that made the vectors (its pack encodes queries)')
    .requiredOption('--vectors <file>', 'float32 matrix: FILE.npy (NumPy) or vecs.f4 (FlexIndex, with pt_meta.json beside it)')
    .requiredOption('--docnos <file>', 'document ids, one per line, in the order of the rows')
    .option('--ann <kind>', 'approximate index: auto (an HNSW graph from 20,000 documents up), hnsw, none', oneOf('--ann', ['auto', 'hnsw', 'none'] as const))
    .action((o: { collection: string; model: string; vectors: string; docnos: string; ann?: 'auto' | 'hnsw' | 'none' }) =>
      cli.call('dense.import', o, (r) =>
        `${r.imported} vectors of dimension ${r.dimension} (${r.format}) → ${r.collection} × ${r.model}: ${r.documents} documents have a vector` +
        `${r.notCovered ? `, ${r.notCovered} have none` : ''}${r.ann ? `; HNSW graph of ${r.ann.nodes} vectors` : ''} (${r.seconds.toFixed(1)} s)`,
      ),
    );
  dense
    .command('export')
    .description('Export a dense index’s vectors (unit length) and document ids: .npy, or FlexIndex vecs.f4 + pt_meta.json')
    .requiredOption('--collection <name>', 'collection')
    .requiredOption('--model <name>', 'dense model')
    .requiredOption('--vectors <file>', 'FILE.npy, or DIR/vecs.f4 (pt_meta.json is written beside it)')
    .requiredOption('--docnos <file>', 'document ids, one per line')
    .action((o: { collection: string; model: string; vectors: string; docnos: string }) =>
      cli.call('dense.export', o, (r) => `${r.vectors} vectors of dimension ${r.dimension} → ${r.files.join(', ')}`),
    );
  dense
    .command('search')
    .description('Search a collection’s dense index')
    .requiredOption('--collection <name>', 'collection')
    .requiredOption('--model <name>', 'dense model pack')
    .requiredOption('--query <text>', 'the query')
    .option('-k <n>', 'how many documents', positiveInt('-k'), 10)
    .option('--exact', 'scan every vector instead of searching the HNSW graph')
    .option('--ef <n>', 'candidates explored on the HNSW graph (default 128; more: better recall, slower)', positiveInt('--ef'))
    .action((o: { collection: string; model: string; query: string; k: number; exact?: boolean; ef?: number }) =>
      cli.call('dense.search', o, (r) =>
        renderTable(r.hits, [
          { header: 'rank', value: (h) => r.hits.indexOf(h) + 1, align: 'right' },
          { header: 'score', value: (h) => h.score.toFixed(4), align: 'right' },
          { header: 'doc', value: (h) => h.docId },
          { header: 'text', value: (h) => `${h.title ? `${h.title} — ` : ''}${h.text}`.slice(0, 90) },
        ]),
      ),
    );

  program
    .command('rerank')
    .description('Score documents for a query with a re-ranker or a bi-encoder, best first')
    .requiredOption('--model <name>', 'model pack')
    .requiredOption('--query <text>', 'the query')
    .requiredOption('--doc <text>', 'a document (repeat for several)', collect)
    .option('--provider <p>', `execution provider for this call: auto, ${providerIds.join(', ')}`, oneOf('--provider', ['auto', ...providerIds] as const))
    .option('--precision <p>', `model variant: ${precisions.join(', ')}`, oneOf('--precision', precisions))
    .action((o: { model: string; query: string; doc: string[]; provider?: 'auto'; precision?: 'fp32' }) =>
      cli.call(
        'model.rerank',
        { model: o.model, query: o.query, docs: o.doc, ...(o.provider ? { provider: o.provider } : {}), ...(o.precision ? { precision: o.precision } : {}) },
        (r) => {
          runtimeNote(r.runtime);
          return renderTable(r.ranked, [
            { header: 'rank', value: (x) => r.ranked.indexOf(x) + 1, align: 'right' },
            { header: 'score', value: (x) => x.score.toFixed(4), align: 'right' },
            { header: 'doc', value: (x) => x.index + 1, align: 'right' },
            { header: 'text', value: (x) => (x.doc.length > 80 ? `${x.doc.slice(0, 79)}…` : x.doc) },
          ]);
        },
      ),
    );
}
