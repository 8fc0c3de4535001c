// Research loop for the lexical bridge: trains on l10n-train (one pair, or several pooled), evaluates variants of
// the bridged query on the first QUERIES queries of an l10n-dev-shaped pair, in the workspace that
// scripts/l10n-dev-workspace.sh sets up. Settings are chosen on the validation split of l10n-train
// (scripts/research/l10n-validation-split.ts; L10N_DATA=its folder), never on l10n-dev. Knobs come from the
// environment (ITERS, TOP, MINP, DIAG, NN, NNMIN, OW, WW, LW, CW, MW, K1, B).
//   L10N_DATA=/tmp/bridge-val scripts/node.sh node scripts/research/bridge-l10n.ts WORKSPACE PAIR [QUERIES] [TRAIN_PAIR,TRAIN_PAIR…]
import { readFileSync } from 'node:fs';
import { channelTable } from '../../electron/engine/bridge/channel.ts';
import { emIteration, startEm, tableOf } from '../../electron/engine/bridge/ibm1.ts';
import { buildCorpora, defaultLearnParams, keptPerWord, symmetrise } from '../../electron/engine/bridge/learn.ts';
import { BridgeModel, bridgeAnalyzer } from '../../electron/engine/bridge/model.ts';
import { bridgeBm25, bridgedRetrieve, bridgeIndexes, defaultBridgeQuery } from '../../electron/engine/bridge/retrieve.ts';
import { prepareQuery, topK, type ScoredDoc } from '../../electron/engine/lexical/topk.ts';
import { Workspace } from '../../electron/engine/store/workspace.ts';

const [ws, pair, nq, trainOn] = process.argv.slice(2) as [string, string, string?, string?];
const env = (k: string, d: number) => Number(process.env[k] ?? d);
const data = process.env.L10N_DATA ?? '/work/shared/data';
const lang = pair.split('-').at(-1)!;
const params = { ...defaultLearnParams, iterations: env('ITERS', 10), top: env('TOP', 5), minProbability: env('MINP', 0.01), diagonal: env('DIAG', 0) };
const rows = (trainOn ?? pair).split(',').flatMap((p) =>
  readFileSync(`${data}/l10n-train/${p}/pairs.tsv`, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [id, low, high] = l.split('\t');
      return { id: id!, low: low!, high: high!, weight: 1, negatives: [] };
    }),
);
const t0 = performance.now();
const c = buildCorpora(rows, bridgeAnalyzer(), params);
const f = startEm(c.forward);
const b = startEm(c.backward);
for (let i = 0; i < params.iterations; i++) {
  emIteration(c.forward, f, params.diagonal);
  emIteration(c.backward, b, params.diagonal);
}
const model = new BridgeModel(symmetrise(tableOf(f), tableOf(b), c, { ...params, top: keptPerWord(params.top, new Set((trainOn ?? pair).split(',').map((x) => x.split('-').at(-1))).size) }), { neighbours: env('NN', 3), minSimilarity: env('NNMIN', 0.5) }, c.lengths, channelTable(tableOf(b), c.high, c.low), c.marks);
console.error(`trained on ${rows.length} pairs in ${((performance.now() - t0) / 1000).toFixed(1)} s; lengths ${JSON.stringify(c.lengths)}`);

const W = Workspace.open(ws);
const ix = bridgeIndexes(W.db, `l10n-${lang}`);
const ext = W.db.prepare('SELECT ext_id FROM documents WHERE id = ?').pluck();
const queries = readFileSync(`${data}/l10n-dev/${pair}/queries.tsv`, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => l.split('\t') as [string, string])
  .slice(0, Number(nq ?? 500));
const qrels = new Map<string, Set<string>>();
for (const l of readFileSync(`${data}/l10n-dev/${pair}/qrels.txt`, 'utf8').split('\n').filter(Boolean)) {
  const [q, , d, r] = l.split(/\s+/);
  if (Number(r) > 0) qrels.set(q!, (qrels.get(q!) ?? new Set()).add(d!));
}
const rr = (qid: string, docs: readonly ScoredDoc[]) => {
  const rel = qrels.get(qid);
  for (let i = 0; i < Math.min(10, docs.length); i++) if (rel?.has(ext.get(docs[i]!.docId) as string)) return 1 / (i + 1);
  return 0;
};
const bm = { k1: 0.9, b: 0.4 };
const grams = ix.grams!;
const qp = { top: params.top, originalWeight: env('OW', defaultBridgeQuery.originalWeight), wordWeight: env('WW', defaultBridgeQuery.wordWeight), lengthWeight: defaultBridgeQuery.lengthWeight, channelWeight: defaultBridgeQuery.channelWeight, markWeight: env('MW', defaultBridgeQuery.markWeight), k1: env('K1', bridgeBm25.k1), b: env('B', bridgeBm25.b) };
const variants: Record<string, (q: string) => readonly ScoredDoc[]> = {
  chargram: (q) => topK(grams, prepareQuery(grams, grams.analyzer.terms(q).map((term) => ({ term, weight: 1 }))), 10, bm),
  // LW and CW may be lists (LW=0,0.05,0.1): one variant each pair of values, `bridge@LW/CW`.
  ...Object.fromEntries(
    (process.env.LW ?? String(defaultBridgeQuery.lengthWeight)).split(',').flatMap((lw) =>
      (process.env.CW ?? String(defaultBridgeQuery.channelWeight)).split(',').map((cw) => [`bridge@${lw}/${cw}`, (q: string) => bridgedRetrieve(ix, model, q, 10, { ...qp, lengthWeight: Number(lw), channelWeight: Number(cw) }).docs]),
    ),
  ),
  'bridge-psq-only': (q) => bridgedRetrieve({ ...ix, grams: null }, model, q, 10, qp).docs,
  'bridge-grams-only': (q) => bridgedRetrieve({ ...ix, words: null }, model, q, 10, qp).docs,
};
const a = bridgeAnalyzer();
let unknown = 0;
let total = 0;
for (const [, q] of queries) {
  for (const w of a.terms(q)) {
    total++;
    if (!model.table.has(w)) unknown++;
  }
}
console.error(`${pair}: ${queries.length} queries, ${((100 * unknown) / total).toFixed(1)}% of query words not in the table`);
if (process.env.DEBUG) {
  const text = W.db.prepare('SELECT text FROM documents WHERE ext_id = ?').pluck();
  let shown = 0;
  for (const [qid, q] of queries) {
    const docs = bridgedRetrieve(ix, model, q, 10, qp).docs;
    if (rr(qid, docs) >= 1 || shown++ >= Number(process.env.DEBUG)) continue;
    console.log(`\n${qid} ${q}  RR ${rr(qid, docs).toFixed(2)}`);
    for (const w of a.terms(q)) { const t = model.translate(w, params.top); console.log(`   ${w}${t.via.length ? ` (via ${t.via.join(',')})` : ''} → ${t.translations.map((x) => `${x.target} ${x.p.toFixed(2)}`).join(', ')}`); }
    console.log(`   relevant: ${[...(qrels.get(qid) ?? [])].map((d) => text.get(d)).join(' | ')}`);
    console.log(`   got: ${docs.slice(0, 2).map((d) => text.get(ext.get(d.docId))).join(' | ')}`);
  }
  process.exit(0);
}
for (const [name, run] of Object.entries(variants)) {
  if (process.env.ONLY && !process.env.ONLY.split(',').some((o) => name === o || name.startsWith(`${o}@`))) continue;
  const t = performance.now();
  let s = 0;
  for (const [qid, q] of queries) s += rr(qid, run(q));
  console.log(`${pair}\t${trainOn ?? pair}\t${name}\t${(s / queries.length).toFixed(4)}\t${((performance.now() - t) / queries.length).toFixed(2)} ms/q`);
}
