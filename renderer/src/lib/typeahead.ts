import { Charset, Index } from 'flexsearch';

const HISTORY_KEY = 'pont.pastQueries';
const HISTORY_MAX = 200;

/** Type-ahead over document titles and the user's past queries; FlexSearch finds prefixes fast, it does not rank. */
export class TypeAhead {
  private index = new Index({ tokenize: 'forward', encoder: Charset.LatinBalance, cache: 50 });
  private entries: string[] = [];
  private seen = new Map<string, number>();

  constructor() {
    for (const q of pastQueries()) this.add(q);
  }

  add(text: string): void {
    const key = text.trim().toLowerCase();
    if (!key || this.seen.has(key)) return;
    const id = this.entries.length;
    this.entries.push(text.trim());
    this.seen.set(key, id);
    this.index.add(id, text);
  }

  suggest(prefix: string, limit = 8): string[] {
    const q = prefix.trim();
    if (q.length < 2) return [];
    const ids = this.index.search(q, { limit: limit + 1 }) as number[];
    return ids
      .map((id) => this.entries[id]!)
      .filter((s) => s.toLowerCase() !== q.toLowerCase())
      .slice(0, limit);
  }
}

export function pastQueries(): string[] {
  try {
    const v = JSON.parse(localStorage.getItem(HISTORY_KEY) ?? '[]') as unknown;
    return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];
  } catch {
    return [];
  }
}

export function rememberQuery(q: string): void {
  const text = q.trim();
  if (!text) return;
  const list = [text, ...pastQueries().filter((s) => s !== text)].slice(0, HISTORY_MAX);
  localStorage.setItem(HISTORY_KEY, JSON.stringify(list));
}
