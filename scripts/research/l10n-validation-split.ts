// The bridge's validation split, made from l10n-train alone, so that its settings are chosen without looking at
// l10n-dev. For each pair, a seeded share of the training strings that could be dev queries (low side of 3 words or
// more, not the same words as its counterpart) is held out as pseudo-queries; their counterparts are the relevant
// documents of a collection of every high-side string of the pair's training set (French: of oc-fr's and ca-fr's,
// as the two dev pairs share one collection); every pair with a held-out low text or a relevant high text is dropped
// from what is left to train on, as l10n-dev's README says was done to l10n-train. The output has the layout of
// l10n-dev and l10n-train, so the same scripts set up its workspace:
//   scripts/node.sh node scripts/research/l10n-validation-split.ts OUT [SHARE] [SEED]
//   L10N_DEV=OUT/l10n-dev L10N_TRAIN=OUT/l10n-train scripts/l10n-bridge-workspace.sh OUT/ws
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Prng } from '../../electron/engine/stats/prng.ts';

const [out, shareArg, seedArg] = process.argv.slice(2) as [string, string?, string?];
if (!out) throw new Error('usage: l10n-validation-split.ts OUT [SHARE] [SEED]');
const share = Number(shareArg ?? 0.06);
const seed = Number(seedArg ?? 7);
const train = process.env.L10N_TRAIN ?? '/work/shared/data/l10n-train';
const pairs = ['af-nl', 'ast-es', 'ca-fr', 'ca-valencia-ca', 'gd-en', 'oc-fr', 'szl-pl'];
const highOf = (pair: string) => pair.split('-').at(-1)!;

// l10n-dev's notion of "the same string": the case-folded sequence of its words.
const key = (s: string) => (s.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? []).join(' ');
const words = (s: string) => (s.match(/[\p{L}\p{N}_]+/gu) ?? []).filter((w) => /\p{L}/u.test(w)).length;
const id = (prefix: string, s: string) => prefix + createHash('sha1').update(s).digest('hex').slice(0, 12);
const clean = (s: string) => s.replace(/[\t\n]/g, ' ');

interface Row {
  id: string;
  low: string;
  high: string;
  identical: string;
}
const read = (pair: string): Row[] =>
  readFileSync(`${train}/${pair}/pairs.tsv`, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [i, low, high, identical] = l.split('\t') as [string, string, string, string];
      return { id: i, low, high, identical };
    });

const rows = new Map(pairs.map((p) => [p, read(p)]));
const collections = new Map<string, Map<string, string>>();
for (const p of pairs) {
  const docs = collections.get(highOf(p)) ?? new Map<string, string>();
  for (const r of rows.get(p)!) if (!docs.has(r.high)) docs.set(r.high, id('d', `${highOf(p)}|${r.high}`));
  collections.set(highOf(p), docs);
}

for (const p of pairs) {
  const all = rows.get(p)!;
  // Candidate queries: low texts grouped by their words, eligible when some pair of theirs is not identical.
  const groups = new Map<string, Row[]>();
  for (const r of all) {
    if (words(r.low) < 3 || key(r.low) === key(r.high)) continue;
    const g = groups.get(key(r.low)) ?? [];
    g.push(r);
    groups.set(key(r.low), g);
  }
  const keys = [...groups.keys()].sort();
  const rng = new Prng(seed);
  for (let i = keys.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [keys[i], keys[j]] = [keys[j]!, keys[i]!];
  }
  // At least 250 queries where the share gives fewer (at most 30 % of the candidates), so that small pairs still
  // measure something.
  const held = keys.slice(0, Math.round(Math.min(0.3, Math.max(share, 250 / keys.length)) * keys.length));
  const docs = collections.get(highOf(p))!;
  const queries: string[] = [];
  const qrels: string[] = [];
  const lowOut = new Set<string>();
  const highOut = new Set<string>();
  for (const k of held) {
    const g = groups.get(k)!;
    const qid = id('q', `${p}|${k}`);
    queries.push(`${qid}\t${clean(g[0]!.low)}`);
    lowOut.add(k);
    for (const d of new Set(g.map((r) => docs.get(r.high)!))) qrels.push(`${qid} 0 ${d} 1`);
    for (const r of g) highOut.add(key(r.high));
  }
  const kept = all.filter((r) => !lowOut.has(key(r.low)) && !highOut.has(key(r.high)));
  mkdirSync(`${out}/l10n-dev/${p}`, { recursive: true });
  mkdirSync(`${out}/l10n-train/${p}`, { recursive: true });
  // Sorted by id: the first N queries are a random sample of them, for quick loops.
  writeFileSync(`${out}/l10n-dev/${p}/queries.tsv`, queries.sort().join('\n') + '\n');
  writeFileSync(`${out}/l10n-dev/${p}/qrels.txt`, qrels.sort().join('\n') + '\n');
  writeFileSync(`${out}/l10n-dev/${p}/collection.tsv`, [...docs].map(([text, d]) => `${d}\t${clean(text)}`).join('\n') + '\n');
  writeFileSync(`${out}/l10n-train/${p}/pairs.tsv`, kept.map((r) => `${r.id}\t${r.low}\t${r.high}\t${r.identical}`).join('\n') + '\n');
  console.log(`${p}: ${held.length} pseudo-queries of ${keys.length} candidates, ${docs.size} documents, ${kept.length} of ${all.length} pairs left to train on`);
}
