// Generates a synthetic passage collection and queries for the lexical benchmark: a Zipf-distributed vocabulary
// of pronounceable pseudo-words, passage lengths drawn from a log-normal around 55 words (the shape of web
// passages such as MS MARCO's), and queries of 2–6 distinct words taken from random passages, so every query
// matches something. Deterministic for a seed; written as TSV so that every engine reads the same bytes.
import { createWriteStream, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { rng } from '../../helpers/random.ts';

const onsets = ['', 'b', 'c', 'd', 'f', 'g', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'br', 'tr', 'pl', 'st', 'ch', 'gr'];
const vowels = ['a', 'e', 'i', 'o', 'u', 'ai', 'ou', 'ie'];
const codas = ['', '', 'n', 'r', 's', 'l', 't'];

/** The word of a vocabulary rank: frequent words are short, as in natural languages. */
export function wordOf(rank: number): string {
  let n = rank;
  let w = '';
  do {
    const s = n % (onsets.length * vowels.length);
    w += onsets[s % onsets.length]! + vowels[Math.floor(s / onsets.length)]!;
    n = Math.floor(n / (onsets.length * vowels.length));
  } while (n > 0);
  return w + codas[rank % codas.length]!;
}

export class Zipf {
  private readonly cdf: Float64Array;

  constructor(vocabulary: number, s: number) {
    this.cdf = new Float64Array(vocabulary);
    let sum = 0;
    for (let r = 0; r < vocabulary; r++) this.cdf[r] = sum += 1 / Math.pow(r + 1, s);
    for (let r = 0; r < vocabulary; r++) this.cdf[r]! /= sum;
  }

  sample(u: number): number {
    let lo = 0;
    let hi = this.cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cdf[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

export interface Generated {
  docs: number;
  words: number;
  bytes: number;
}

/** `qrelsFile`, when given, gets each query's source passage as its one relevant document (TREC qrels). */
export async function generate(docsFile: string, queriesFile: string, docs: number, queries: number, seed = 42, qrelsFile?: string): Promise<Generated> {
  const r = rng(seed);
  const zipf = new Zipf(Math.max(50_000, Math.round(docs * 0.5)), 1.05);
  const vocab = new Map<number, string>();
  const word = (rank: number) => {
    let w = vocab.get(rank);
    if (w === undefined) vocab.set(rank, (w = wordOf(rank)));
    return w;
  };
  const normal = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const out = createWriteStream(docsFile);
  const picked: string[][] = [];
  const pickedIds: number[] = [];
  let words = 0;
  let bytes = 0;
  let chunk = '';
  for (let d = 0; d < docs; d++) {
    const len = Math.min(200, Math.max(5, Math.round(Math.exp(3.9 + 0.45 * normal()))));
    const ws: string[] = [];
    for (let i = 0; i < len; i++) ws.push(word(zipf.sample(r())));
    words += len;
    // Reservoir of passages to take queries from.
    if (picked.length < queries) {
      picked.push(ws);
      pickedIds.push(d);
    } else {
      const j = Math.floor(r() * (d + 1));
      if (j < queries) {
        picked[j] = ws;
        pickedIds[j] = d;
      }
    }
    const line = `${d}\t${ws.join(' ')}\n`;
    bytes += line.length;
    chunk += line;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
  const q = createWriteStream(queriesFile);
  picked.forEach((ws, i) => {
    const n = 2 + Math.floor(r() * 5);
    const distinct = [...new Set(ws)];
    const terms: string[] = [];
    while (terms.length < Math.min(n, distinct.length)) {
      const t = distinct[Math.floor(r() * distinct.length)]!;
      if (!terms.includes(t)) terms.push(t);
    }
    q.write(`q${i}\t${terms.join(' ')}\n`);
  });
  q.end();
  if (qrelsFile) writeFileSync(qrelsFile, pickedIds.map((d, i) => `q${i} 0 ${d} 1\n`).join(''));
  await once(q, 'finish');
  return { docs, words, bytes };
}
