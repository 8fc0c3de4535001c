// Measures word, character n-gram and fused BM25 on every pair of the l10n-dev cross-variety benchmark
// (../shared/data/l10n-dev): MRR@10 and R@100, known-item queries. Usage:
//   scripts/node.sh node test/lexical/l10n-dev.ts [pair…] [--json]
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Workspace } from '../../electron/engine/store/workspace.ts';
import { ensureCollection } from '../../electron/engine/store/collections.ts';
import { buildIndex } from '../../electron/engine/lexical/builder.ts';
import { readIndex, retrieve } from '../../electron/engine/lexical/search.ts';
import { getIndex } from '../../electron/engine/lexical/store.ts';
import { fuse, type FusionMethod } from '../../electron/engine/lexical/fusion.ts';
import { noJob } from '../../electron/engine/jobs/progress.ts';
import type { ScoredDoc } from '../../electron/engine/lexical/topk.ts';

export const dataDir = resolve(import.meta.dirname, '../../../shared/data/l10n-dev');

/** Reference figures from the issue (plain Python BM25): MRR@10 and R@100. */
export const reference: Record<string, { word: [number, number]; char: [number, number] }> = {
  'af-nl': { word: [0.286, 0.601], char: [0.534, 0.895] },
  'ast-es': { word: [0.46, 0.752], char: [0.705, 0.946] },
  'ca-fr': { word: [0.132, 0.364], char: [0.329, 0.78] },
  'ca-valencia-ca': { word: [0.895, 0.99], char: [0.909, 0.992] },
  'gd-en': { word: [0.056, 0.147], char: [0.061, 0.227] },
  'oc-fr': { word: [0.195, 0.46], char: [0.563, 0.918] },
  'szl-pl': { word: [0.424, 0.729], char: [0.716, 0.967] },
};

export interface Config {
  label: string;
  /** One index (analyser spec) or several fused. */
  analyzers: string[];
  k1: number;
  b: number;
  fusion?: FusionMethod;
}

export interface Scores {
  mrr10: number;
  r100: number;
}

function readTsv(file: string): [string, string][] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => {
      const tab = l.indexOf('\t');
      return [l.slice(0, tab), l.slice(tab + 1)];
    });
}

/** Known-item measures with a tiny local helper: reciprocal rank of the first relevant hit in the top 10, recall at 100. */
export function scoreRanking(ranked: readonly string[], relevant: ReadonlySet<string>): Scores {
  let mrr10 = 0;
  let found = 0;
  ranked.slice(0, 100).forEach((id, i) => {
    if (!relevant.has(id)) return;
    if (mrr10 === 0 && i < 10) mrr10 = 1 / (i + 1);
    found++;
  });
  return { mrr10, r100: relevant.size ? found / relevant.size : 0 };
}

/** Evaluates configurations on one pair; documents are indexed once per distinct analyser. */
export async function evaluatePair(
  pair: string,
  configs: readonly Config[],
  maxQueries = Infinity,
  onConfig?: (label: string, s: Scores) => void,
): Promise<Map<string, Scores>> {
  const dir = join(dataDir, pair);
  const lang = pair.split('-').at(-1)!;
  const tmp = mkdtempSync(join(tmpdir(), 'pont-l10n-'));
  const ws = Workspace.open(tmp);
  try {
    const db = ws.db;
    const c = ensureCollection(db, pair, lang);
    const ins = db.prepare('INSERT INTO documents (collection_id, ext_id, text) VALUES (?, ?, ?)');
    db.transaction(() => {
      for (const [id, text] of readTsv(join(dir, 'collection.tsv'))) ins.run(c.id, id, text);
    })();
    const qrels = new Map<string, Set<string>>();
    for (const line of readFileSync(join(dir, 'qrels.txt'), 'utf8').split('\n')) {
      const [qid, , doc, rel] = line.split(/\s+/);
      if (!qid || !doc || Number(rel) <= 0) continue;
      if (!qrels.has(qid)) qrels.set(qid, new Set());
      qrels.get(qid)!.add(doc);
    }
    const queries = readTsv(join(dir, 'queries.tsv')).filter(([q]) => qrels.has(q)).slice(0, maxQueries);
    const extId = db.prepare('SELECT ext_id FROM documents WHERE id = ?').pluck();
    const names = new Map<string, string>();
    for (const a of new Set(configs.flatMap((cf) => cf.analyzers))) {
      const name = `i${names.size}`;
      await buildIndex(db, { collection: pair, name, analyzer: a, titleWeight: 1, rebuild: false, memoryMb: 512, workers: 0 }, noJob);
      names.set(a, name);
    }
    // Each (analyser, k1, b) retrieval is run once and shared by the configurations that fuse it.
    const runs = new Map<string, ScoredDoc[][]>();
    const ranked = (a: string, k1: number, b: number): ScoredDoc[][] => {
      const key = `${a}|${k1}|${b}`;
      let lists = runs.get(key);
      if (!lists) {
        const reader = readIndex(db, getIndex(db, pair, names.get(a)!));
        lists = queries.map(([, text]) => retrieve(db, reader, text, { k1, b, k: 200 }).docs);
        runs.set(key, lists);
      }
      return lists;
    };
    const out = new Map<string, Scores>();
    for (const cf of configs) {
      const lists = cf.analyzers.map((a) => ranked(a, cf.k1, cf.b));
      let mrr = 0;
      let r100 = 0;
      queries.forEach(([qid], i) => {
        const docs = lists.length > 1 ? fuse(lists.map((l) => l[i]!), cf.fusion ?? 'combsum', 100) : lists[0]![i]!.slice(0, 100);
        const s = scoreRanking(docs.map((d) => extId.get(d.docId) as string), qrels.get(qid)!);
        mrr += s.mrr10;
        r100 += s.r100;
      });
      out.set(cf.label, { mrr10: mrr / queries.length, r100: r100 / queries.length });
      onConfig?.(cf.label, out.get(cf.label)!);
    }
    return out;
  } finally {
    ws.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

export function pairs(): string[] {
  return existsSync(dataDir) ? readdirSync(dataDir).filter((p) => existsSync(join(dataDir, p, 'qrels.txt'))).sort() : [];
}

export function defaultConfigs(lang: string): Config[] {
  const words = `words:${lang}`;
  return [
    { label: 'words', analyzers: ['words'], k1: 0.9, b: 0.4 },
    { label: 'words+fold', analyzers: ['words+fold'], k1: 0.9, b: 0.4 },
    { label: words, analyzers: [words], k1: 0.9, b: 0.4 },
    { label: 'chargram:3-5', analyzers: ['chargram:3-5'], k1: 0.9, b: 0.4 },
    { label: 'chargram:3-5 (k1 1.2, b 0.75)', analyzers: ['chargram:3-5'], k1: 1.2, b: 0.75 },
    { label: 'chargram:3-5+fold', analyzers: ['chargram:3-5+fold'], k1: 0.9, b: 0.4 },
    { label: `${words} + chargram:3-5+fold combsum`, analyzers: [words, 'chargram:3-5+fold'], k1: 0.9, b: 0.4, fusion: 'combsum' },
    { label: 'words+fold + chargram:3-5+fold combsum', analyzers: ['words+fold', 'chargram:3-5+fold'], k1: 0.9, b: 0.4, fusion: 'combsum' },
    { label: 'words+fold + chargram:3-5+fold rrf', analyzers: ['words+fold', 'chargram:3-5+fold'], k1: 0.9, b: 0.4, fusion: 'rrf' },
  ];
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const wanted = args.filter((a) => !a.startsWith('-'));
  const all = pairs();
  if (all.length === 0) {
    console.log(`l10n-dev data not found at ${dataDir}; nothing to measure`);
    process.exit(0);
  }
  const max = Number(args.find((a) => a.startsWith('--max='))?.slice(6) ?? Infinity);
  for (const pair of wanted.length ? wanted : all) {
    const t = performance.now();
    const ref = reference[pair];
    console.log(`\n${pair}  reference word ${ref?.word.join(' / ')}  char ${ref?.char.join(' / ')}`);
    await evaluatePair(pair, defaultConfigs(pair.split('-').at(-1)!), max, (label, s) =>
      console.log(`  ${label.padEnd(40)} ${s.mrr10.toFixed(3)} / ${s.r100.toFixed(3)}  (${((performance.now() - t) / 1000).toFixed(0)} s)`),
    );
  }
}
