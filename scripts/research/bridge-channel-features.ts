// Dumps, for each pseudo-query of an l10n-dev-shaped pair, the bridged search's fused first N with the features a
// noisy-channel rerank would combine (fused score, length log-probability, IBM Model 1 log P(q | d) and log P(d | q)
// per word, with the product's floor), so weights can be chosen on the validation split offline
// (each candidate: [fused, length, log P(q | d), log P(d | q), log P(q's final mark | d's), relevant]).
//   L10N_DATA=/tmp/bridge-val scripts/node.sh node scripts/research/bridge-channel-features.ts WORKSPACE PAIR N OUT.json
import { readFileSync, writeFileSync } from 'node:fs';
import { channelLogProb, channelTable } from '../../electron/engine/bridge/channel.ts';
import { emIteration, startEm, tableOf } from '../../electron/engine/bridge/ibm1.ts';
import { buildCorpora, defaultLearnParams, symmetrise } from '../../electron/engine/bridge/learn.ts';
import { lengthLogProb, letters } from '../../electron/engine/bridge/length.ts';
import { finalMark, markTable } from '../../electron/engine/bridge/marks.ts';
import { BridgeModel, bridgeAnalyzer } from '../../electron/engine/bridge/model.ts';
import { bridgeBm25, bridgedRetrieve, bridgeIndexes, defaultBridgeQuery } from '../../electron/engine/bridge/retrieve.ts';
import { Workspace } from '../../electron/engine/store/workspace.ts';

const [ws, pair, n, out] = process.argv.slice(2) as [string, string, string, string];
const data = process.env.L10N_DATA ?? '/work/shared/data';
const lang = pair.split('-').at(-1)!;
const params = defaultLearnParams;
const rows = readFileSync(`${data}/l10n-train/${pair}/pairs.tsv`, 'utf8').split('\n').filter(Boolean).map((l) => {
  const [id, low, high] = l.split('\t');
  return { id: id!, low: low!, high: high!, weight: 1, negatives: [] };
});
const c = buildCorpora(rows, bridgeAnalyzer(), params);
const f = startEm(c.forward);
const b = startEm(c.backward);
for (let i = 0; i < params.iterations; i++) {
  emIteration(c.forward, f);
  emIteration(c.backward, b);
}
const model = new BridgeModel(symmetrise(tableOf(f), tableOf(b), c, params), undefined, c.lengths);
// Both directions through the product's channel code: t(l | h) for P(q | d), and t(h | l) for P(d | q) (dropped: it
// added nothing on the validation split once P(q | d) was in; docs/bridge.md).
const bwd = channelTable(tableOf(b), c.high, c.low);
const fwd = channelTable(tableOf(f), c.low, c.high);
const knownLow = (w: string) => model.table.has(w);
const knownHigh = (w: string) => bwd.has(w);
const marks = markTable(c.marks!);
const W = Workspace.open(ws);
const ix = bridgeIndexes(W.db, `l10n-${lang}`);
const ext = W.db.prepare('SELECT ext_id FROM documents WHERE id = ?').pluck();
const text = W.db.prepare('SELECT title, text FROM documents WHERE id = ?');
const queries = readFileSync(`${data}/l10n-dev/${pair}/queries.tsv`, 'utf8').split('\n').filter(Boolean).map((l) => l.split('\t') as [string, string]);
const qrels = new Map<string, Set<string>>();
for (const l of readFileSync(`${data}/l10n-dev/${pair}/qrels.txt`, 'utf8').split('\n').filter(Boolean)) {
  const [q, , d, r] = l.split(/\s+/);
  if (Number(r) > 0) qrels.set(q!, (qrels.get(q!) ?? new Set()).add(d!));
}
const a = bridgeAnalyzer();
const qp = { ...defaultBridgeQuery, ...bridgeBm25, lengthWeight: 0 };
const res: { q: string; c: number[][] }[] = [];
for (const [qid, q] of queries) {
  const docs = bridgedRetrieve(ix, model, q, Number(n), qp).docs;
  const qw = a.terms(q);
  const ql = letters(q);
  const rel = qrels.get(qid)!;
  res.push({
    q: qid,
    c: docs.map((d) => {
      const r = text.get(d.docId) as { title: string | null; text: string };
      const dt = `${r.title ?? ''} ${r.text}`;
      const dw = a.terms(dt);
      return [d.score, lengthLogProb(c.lengths!, ql, letters(dt)), channelLogProb(bwd, knownLow, qw, dw), channelLogProb(fwd, knownHigh, dw, qw), marks.logProb(finalMark(q), finalMark(dt)), rel.has(ext.get(d.docId) as string) ? 1 : 0];
    }),
  });
}
writeFileSync(out, JSON.stringify(res));
console.error(`${pair}: ${res.length} queries, fwd ${fwd.size} bwd ${bwd.size} sources`);
