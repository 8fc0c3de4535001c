import { PontError } from '../errors.ts';
import type { ResultSet } from '../pipeline/stage.ts';
import { compareBytes, forEachFieldLine, readTextFile } from './text-lines.ts';

/** The documents a run retrieved for one query, in file order; `lines` says where each came from. */
export interface RunQuery {
  docnos: string[];
  scores: number[];
  lines: number[];
  /**
   * Docnos the query retrieves more than once: null when checked and there are none, absent when not checked yet.
   * Reading a run checks once, so that evaluating it (often many times) need not.
   */
  duplicates?: Set<string> | null;
}

export interface Run {
  readonly source: string;
  /** The run tag of the last line, which is what trec_eval reports. */
  runid: string;
  readonly queries: Map<string, RunQuery>;
}

const scorePattern = /^[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|inf(?:inity)?)$/i;

/**
 * Reads a score as C's `atof` would for every well-formed number (`1e400` is +inf, `1e-400` is 0), as a double, as
 * trec_eval 10 does. Text `atof` would silently read as 0 (or NaN) is refused: such a run is broken.
 */
export function parseScore(s: string): number | undefined {
  // Fast path: JavaScript's Number reads every decimal form atof reads, the same way; it also reads 0x/0b/0o
  // prefixes and "Infinity", which the pattern then rules on.
  const v = +s;
  const second = s.charCodeAt(1) | 0x20;
  if (v === v && s.length > 0 && second !== 0x78 && second !== 0x62 && second !== 0x6f && s.charCodeAt(0) !== 0x49) return v;
  if (!scorePattern.test(s)) return undefined;
  const n = Number(s);
  if (!Number.isNaN(n)) return n;
  return s.startsWith('-') ? -Infinity : Infinity;
}

export function emptyRun(source: string, runid = ''): Run {
  return { source, runid, queries: new Map() };
}

export function addRetrieved(run: Run, qid: string, docno: string, score: number, line = 0): void {
  let q = run.queries.get(qid);
  if (!q) run.queries.set(qid, (q = { docnos: [], scores: [], lines: [] }));
  q.docnos.push(docno);
  q.scores.push(score);
  q.lines.push(line);
}

/** Parses a TREC run: `qid iter docno rank score runid [anything]`; iter and rank are ignored, as trec_eval does. */
export function parseRun(text: string, source: string): Run {
  const run = emptyRun(source);
  forEachFieldLine(text, (f, line) => {
    if (f.length < 6) {
      throw new PontError('bad_data', 'run.bad_fields', { file: source, line, count: f.length }, [
        { file: source, line, reason: `expected 6 fields, found ${f.length}` },
      ]);
    }
    const score = parseScore(f[4]!);
    if (score === undefined) {
      throw new PontError('bad_data', 'run.bad_score', { file: source, line, value: f[4]! }, [
        { file: source, line, field: 'score', reason: `"${f[4]}" is not a number` },
      ]);
    }
    addRetrieved(run, f[0]!, f[2]!, score, line);
    run.runid = f[5]!;
  });
  return markDuplicates(run);
}

/** Records, for each query, the docnos it retrieves more than once (trec_eval refuses them when it ranks them). */
export function markDuplicates(run: Run): Run {
  for (const q of run.queries.values()) {
    if (q.duplicates !== undefined) continue;
    const seen = new Set(q.docnos);
    if (seen.size === q.docnos.length) {
      q.duplicates = null;
      continue;
    }
    const dups = new Set<string>();
    seen.clear();
    for (const d of q.docnos) if (seen.size === seen.add(d).size) dups.add(d);
    q.duplicates = dups;
  }
  return run;
}

export function readRun(file: string): Run {
  return parseRun(readTextFile(file, 'run file'), file);
}

/** A pipeline's results as a run, keeping the stage's order for documents it ranks as ties. */
export function runFromResults(results: ResultSet, runid: string, source = runid): Run {
  const run = emptyRun(source, runid);
  for (const [qid, hits] of results) for (const h of hits) addRetrieved(run, qid, h.docId, h.score);
  return markDuplicates(run);
}

/**
 * trec_eval's ranking of one query: score descending, equal scores by docno in descending byte order; the rank
 * column and the file order play no part. Returns indexes into the query's arrays, cut to `depth` when given.
 */
export function rankOrder(q: RunQuery, depth = Infinity): Int32Array {
  const n = q.docnos.length;
  const { scores, docnos } = q;
  const before = (i: number, j: number): number => {
    const a = scores[i]!;
    const b = scores[j]!;
    if (a > b) return -1;
    if (a < b) return 1;
    return compareBytes(docnos[j]!, docnos[i]!);
  };
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  // Runs written by retrieval systems are usually sorted by score already: then only groups of equal scores need
  // ordering by docno, which costs far less than sorting the whole ranking.
  let byScore = true;
  for (let i = 1; i < n; i++) {
    if (scores[i - 1]! < scores[i]! || Number.isNaN(scores[i]!)) {
      byScore = false;
      break;
    }
  }
  if (!byScore) return cut(order.sort(before), depth);
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && !(scores[end]! < scores[start]!)) end++;
    if (end - start > 1) order.subarray(start, end).sort(before);
    start = end;
  }
  return cut(order, depth);
}

function cut(order: Int32Array, depth: number): Int32Array {
  return depth < order.length ? order.subarray(0, depth) : order;
}
