// The query side of the bridge benchmark, in its own process: the lexical benchmark's generated passages in a
// `words` index, then the same queries through plain BM25 (MaxScore) and through a bridge (a probabilistic
// structured query), once as on a collection of passages (the length model does not apply) and once as on a
// collection of strings like the training pairs (its first hundred then ranked by length). Prints one JSON line.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { letters } from '../../../electron/engine/bridge/length.ts';
import { BridgeModel, type Translation } from '../../../electron/engine/bridge/model.ts';
import { bridgedRetrieve, bridgeIndexes, defaultBridgeQuery } from '../../../electron/engine/bridge/retrieve.ts';
import { noJob } from '../../../electron/engine/jobs/progress.ts';
import { buildIndex } from '../../../electron/engine/lexical/builder.ts';
import { readIndex } from '../../../electron/engine/lexical/search.ts';
import { getIndex } from '../../../electron/engine/lexical/store.ts';
import { prepareQuery, topK } from '../../../electron/engine/lexical/topk.ts';
import { ensureCollection } from '../../../electron/engine/store/collections.ts';
import { Workspace } from '../../../electron/engine/store/workspace.ts';
import { insertDocs, latencies, readQueries } from '../lexical/measure.ts';

const [dir = '.'] = process.argv.slice(2);
const tmp = mkdtempSync(join(tmpdir(), 'pont-bridgebench-'));
const ws = Workspace.open(tmp);
try {
  const db = ws.db;
  const c = ensureCollection(db, 'bench', 'en');
  const ins = db.prepare('INSERT INTO documents (collection_id, ext_id, text) VALUES (?, ?, ?)');
  await insertDocs(db, dir, (id, text) => ins.run(c.id, id, text));
  await buildIndex(db, { collection: 'bench', name: 'words', analyzer: 'words', titleWeight: 0, rebuild: false, memoryMb: 512 }, noJob);
  const reader = readIndex(db, getIndex(db, 'bench', 'words'));
  const queries = readQueries(join(dir, 'queries.tsv'));
  // A bridge over the generated vocabulary: each query word translates to itself (0.6) and to the next four distinct
  // query words (0.1 each), which are real words of the passages with the same Zipf spread of frequencies: the
  // structured query reads five posting lists per word, as a learned table pruned to five translations does.
  const vocab = [...new Set(queries.flat())];
  const table = new Map<string, Translation[]>(
    vocab.map((w, i) => [w, [{ target: w, p: 0.6 }, ...[1, 2, 3, 4].map((d) => ({ target: vocab[(i + d) % vocab.length]!, p: 0.1 }))]]),
  );
  // Translations as long as their queries (the generated queries are the passages' own words). Learned from strings
  // as short as the queries, the model does not apply to these passages (length.ts, LENGTH_SPAN); one that claims
  // strings of any length does, and measures the length step.
  const queryLetters = queries.reduce((s, q) => s + letters(q.join(' ')), 0) / queries.length;
  const model = new BridgeModel(table, undefined, { ratio: 1, variance: 1, pairs: 1, meanHigh: queryLetters });
  const strings = new BridgeModel(table, undefined, { ratio: 1, variance: 1, pairs: 1, meanHigh: Number.MAX_VALUE });
  const ix = bridgeIndexes(db, 'bench', [getIndex(db, 'bench', 'words')]);
  const params = { k1: 0.9, b: 0.4 };
  const plain = latencies(queries, (terms) => {
    topK(reader, prepareQuery(reader, reader.analyzer.terms(terms.join(' ')).map((term) => ({ term, weight: 1 }))), 10, params);
  });
  const bridged = latencies(queries, (terms) => {
    bridgedRetrieve(ix, model, terms.join(' '), 10, { ...params, ...defaultBridgeQuery });
  });
  const byLength = latencies(queries, (terms) => {
    bridgedRetrieve(ix, strings, terms.join(' '), 10, { ...params, ...defaultBridgeQuery });
  });
  console.log(JSON.stringify({ queries: queries.length, plain, bridged, byLength, peakRssBytes: process.resourceUsage().maxRSS * 1024 }));
} finally {
  ws.close();
  rmSync(tmp, { recursive: true, force: true });
}
