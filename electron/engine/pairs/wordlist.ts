import { HAS_TEXT, type LineParser } from '../import/records.ts';
import type { PairSink } from './writer.ts';

/**
 * A bilingual word list, as a dictionary project or an Apertium pair exports one: `low<TAB>high`, or a low word
 * followed by several translations `low<TAB>high1<TAB>high2…`, each of them a pair. Lines starting with `#` are
 * comments. Entries have no ids: a pair is named by its two sides.
 */
export const parseWordList: LineParser<PairSink> = (s, line, sink) => {
  if (s.trimStart().startsWith('#')) return;
  const [low, ...highs] = s.split('\t').map((f) => f.trim());
  if (highs.length === 0) return sink.bad(line, 'high', 'no tab: expected low<TAB>high (more translations may follow, each after a tab)');
  if (!HAS_TEXT.test(low!)) return sink.bad(line, 'low', 'the low-variety entry is empty');
  const given = highs.filter((h) => HAS_TEXT.test(h));
  if (given.length === 0) return sink.bad(line, 'high', `"${low}" has no translation`);
  for (const h of new Set(given)) sink.pair(line, undefined, low!, h);
};
