/**
 * How a string's final mark carries over into its translation: a message that ends in a colon, an ellipsis, a
 * question mark or a full stop keeps it in nearly every language (96–99.6 % of the validation split's pairs), and
 * the near-duplicates a lexical search cannot tell apart (`Range:` and `Range`, `Insert…` and `Insert`) differ
 * exactly there. Learned from the training pairs as P(low's mark | high's mark), the channel's direction
 * (channel.ts), and added to a bridged search's rerank where the length model applies.
 */
export interface MarkModel {
  /** Counts of (high's mark, low's mark) over the pairs whose two sides differ, keyed `high\tlow`. */
  counts: Record<string, number>;
}

/** Marks seen fewer times than this as a high side's mark share one row of the table. */
const RARE = 20;

/**
 * The class of a string's last visible character: `a` for a letter or digit, `…` for an ellipsis however written,
 * else the character itself (`:`, `.`, `?`, `)`, `»` …); '' for an empty string.
 */
export function finalMark(text: string): string {
  const s = text.trimEnd();
  if (s.length === 0) return '';
  if (s.endsWith('...') || s.endsWith('…')) return '…';
  const last = [...s.slice(-2)].at(-1)!;
  return /[\p{L}\p{N}]/u.test(last) ? 'a' : last;
}

export class MarkEstimator {
  private readonly counts = new Map<string, number>();

  add(low: string, high: string, weight = 1): void {
    const key = `${finalMark(high)}\t${finalMark(low)}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + weight);
  }

  /** Null without pairs. */
  model(): MarkModel | null {
    if (this.counts.size === 0) return null;
    return { counts: Object.fromEntries([...this.counts].sort((a, b) => (a[0] < b[0] ? -1 : 1))) };
  }
}

/** A model's conditional table, read once per model: P(low | high) with add-one smoothing over the marks seen. */
export interface MarkTable {
  logProb(lowMark: string, highMark: string): number;
}

const tables = new WeakMap<MarkModel, MarkTable>();

export function markTable(m: MarkModel): MarkTable {
  let t = tables.get(m);
  if (t) return t;
  const byHigh = new Map<string, Map<string, number>>();
  const highTotal = new Map<string, number>();
  const lowMarks = new Set<string>();
  for (const [key, n] of Object.entries(m.counts)) {
    const [h, l] = key.split('\t') as [string, string];
    highTotal.set(h, (highTotal.get(h) ?? 0) + n);
    lowMarks.add(l);
  }
  const row = (h: string) => ((highTotal.get(h) ?? 0) >= RARE ? h : '*');
  for (const [key, n] of Object.entries(m.counts)) {
    const [h, l] = key.split('\t') as [string, string];
    let r = byHigh.get(row(h));
    if (!r) byHigh.set(row(h), (r = new Map()));
    r.set(l, (r.get(l) ?? 0) + n);
  }
  const v = lowMarks.size + 1;
  const logs = new Map<string, { total: number; counts: Map<string, number> }>();
  for (const [h, r] of byHigh) logs.set(h, { total: [...r.values()].reduce((a, b) => a + b, 0), counts: r });
  t = {
    logProb(lowMark, highMark) {
      const r = logs.get(row(highMark)) ?? logs.get('*');
      if (!r) return Math.log(1 / v);
      return Math.log(((r.counts.get(lowMark) ?? 0) + 1) / (r.total + v));
    },
  };
  tables.set(m, t);
  return t;
}
