import { parseAnalyzer, type Analyzer } from '../analysis/analyzer.ts';
import type { ChannelTable } from './channel.ts';
import type { LengthModel } from './length.ts';
import type { MarkModel } from './marks.ts';

/** The analyser both sides of the training pairs and the query words go through before the table is consulted. */
export const BRIDGE_ANALYZER = 'words+fold';

export function bridgeAnalyzer(): Analyzer {
  return parseAnalyzer(BRIDGE_ANALYZER);
}

export interface Translation {
  target: string;
  p: number;
}

/** How a query word was translated: from its own table entry, or through known words spelt like it. */
export interface WordTranslation {
  word: string;
  translations: Translation[];
  /** The known words whose translations stand in for an unknown word's (empty when the word is in the table). */
  via: string[];
}

export interface NeighbourParams {
  /** How many known words spelt like an unknown word lend it their translations, and how alike they must be. */
  neighbours: number;
  minSimilarity: number;
}

export const defaultNeighbours: NeighbourParams = { neighbours: 3, minSimilarity: 0.5 };

/** The distinct character trigrams of a word padded with a space at both ends. */
function trigrams(w: string): string[] {
  const s = ` ${w} `;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= s.length; i++) out.add(s.slice(i, i + 3));
  return [...out];
}

/**
 * A learned word table, low variety → high language, in memory. Words missing from the table borrow the
 * translations of the known words most alike in spelling (Dice over character trigrams), weighted by that
 * likeness: a variety's unseen inflection or compound usually has a seen neighbour (`lengas` → `lenga`).
 */
export class BridgeModel {
  readonly table: ReadonlyMap<string, readonly Translation[]>;
  /** How long a query's translation is; null: searches do not rank by length. */
  readonly lengths: LengthModel | null;
  /** t(low | high) for the noisy-channel rerank (channel.ts); null: searches do not rerank by it. */
  readonly channel: ChannelTable | null;
  /** How final marks carry over (marks.ts); null: searches do not rerank by them. */
  readonly marks: MarkModel | null;
  private readonly params: NeighbourParams;
  private byGram: Map<string, string[]> | null = null;
  private readonly gramCount = new Map<string, number>();

  constructor(table: ReadonlyMap<string, readonly Translation[]>, params: NeighbourParams = defaultNeighbours, lengths: LengthModel | null = null, channel: ChannelTable | null = null, marks: MarkModel | null = null) {
    this.table = table;
    this.lengths = lengths;
    this.channel = channel;
    this.marks = marks;
    this.params = params;
  }

  private gramIndex(): Map<string, string[]> {
    if (this.byGram) return this.byGram;
    const idx = new Map<string, string[]>();
    // Sorted, so that neighbours tied on likeness come out in one order whatever order the table was read in.
    for (const w of [...this.table.keys()].sort()) {
      const gs = trigrams(w);
      this.gramCount.set(w, gs.length);
      for (const g of gs) {
        let l = idx.get(g);
        if (!l) idx.set(g, (l = []));
        l.push(w);
      }
    }
    return (this.byGram = idx);
  }

  /** Known words spelt like `word`, most alike first. */
  neighbours(word: string): { word: string; similarity: number }[] {
    if (this.params.neighbours === 0) return [];
    const idx = this.gramIndex();
    const gs = trigrams(word);
    const shared = new Map<string, number>();
    for (const g of gs) for (const v of idx.get(g) ?? []) shared.set(v, (shared.get(v) ?? 0) + 1);
    const out: { word: string; similarity: number }[] = [];
    for (const [v, n] of shared) {
      const similarity = (2 * n) / (gs.length + this.gramCount.get(v)!);
      if (similarity >= this.params.minSimilarity) out.push({ word: v, similarity });
    }
    return out.sort((a, b) => b.similarity - a.similarity || (a.word < b.word ? -1 : 1)).slice(0, this.params.neighbours);
  }

  /** The translations of one analysed word (see BRIDGE_ANALYZER), at most `top`, probabilities summing to 1. */
  translate(word: string, top = 5): WordTranslation {
    const own = this.table.get(word);
    if (own) return { word, translations: own.slice(0, top) as Translation[], via: [] };
    const near = this.neighbours(word);
    const acc = new Map<string, number>();
    let z = 0;
    for (const { word: v, similarity } of near) {
      z += similarity;
      for (const t of this.table.get(v)!) acc.set(t.target, (acc.get(t.target) ?? 0) + similarity * t.p);
    }
    const translations = [...acc]
      .map(([target, p]) => ({ target, p: p / z }))
      .sort((a, b) => b.p - a.p || (a.target < b.target ? -1 : 1))
      .slice(0, top);
    return { word, translations, via: near.map((n) => n.word) };
  }
}
