import { HAS_TEXT, idValue, parseJsonObject, refuseJsonArray, type LineParser } from '../import/records.ts';
import type { TrainingPair } from './store.ts';
import { parseWeight } from './tsv.ts';
import type { PairSink } from './writer.ts';

function strings(v: unknown): string[] | undefined {
  return Array.isArray(v) && v.every((s) => typeof s === 'string' && HAS_TEXT.test(s)) ? (v as string[]).map((s) => s.trim()) : undefined;
}

/**
 * FlagEmbedding's fine-tuning JSONL, `{"query": "…", "pos": ["…"], "neg": ["…"]}`: the query is the low side, each
 * positive a pair with it, the negatives kept with every one of those pairs. Pont's own export adds `id` and, when
 * it is not 1, `weight`; both are read back. A query with several positives and an id gives ids `id#1`, `id#2`…
 */
export const parseFlagEmbedding: LineParser<PairSink> = (s, line, sink) => {
  if (line === 1) refuseJsonArray(s, line, sink.file);
  const o = parseJsonObject(s);
  if (typeof o === 'string') return sink.bad(line, undefined, o);
  if (typeof o.query !== 'string' || !HAS_TEXT.test(o.query)) return sink.bad(line, 'query', 'missing or empty: expected the query text');
  const pos = strings(o.pos);
  if (!pos || pos.length === 0) return sink.bad(line, 'pos', 'expected a non-empty list of non-empty strings');
  const neg = o.neg === undefined ? [] : strings(o.neg);
  if (!neg) return sink.bad(line, 'neg', 'expected a list of non-empty strings');
  const id = o.id === undefined ? undefined : idValue(o.id);
  if (o.id !== undefined && id === undefined) return sink.bad(line, 'id', 'must be a non-empty string or a number');
  let weight = 1;
  if (o.weight !== undefined) {
    const w = typeof o.weight === 'number' ? parseWeight(String(o.weight)) : `${JSON.stringify(o.weight)} is not a positive number`;
    if (typeof w === 'string') return sink.bad(line, 'weight', w);
    weight = w;
  }
  const query = o.query.trim();
  pos.forEach((p, k) => sink.pair(line, id === undefined ? undefined : pos.length === 1 ? id : `${id}#${k + 1}`, query, p, weight, neg));
};

/** One pair as a FlagEmbedding JSONL line (no line end), with Pont's id and weight so that it reads back the same. */
export function flagEmbeddingLine(p: TrainingPair): string {
  return JSON.stringify({ id: p.id, query: p.low, pos: [p.high], neg: p.negatives, ...(p.weight !== 1 ? { weight: p.weight } : {}) });
}
