import { writeTextFile } from '../jobs/text-file.ts';
import type { ResultSet } from '../pipeline/stage.ts';

/**
 * Writes a standard TREC run file (`qid Q0 docid rank score tag`), gzip-compressed when the name ends in `.gz`.
 * Queries are written in the order given; scores with enough digits that trec_eval sees the same ordering we do.
 */
export async function writeTrecRun(file: string, results: ResultSet, tag: string): Promise<void> {
  if (/\s/.test(tag)) throw new Error(`a run tag cannot contain whitespace: "${tag}"`);
  await writeTextFile(file, (function* () {
    for (const [qid, hits] of results) {
      let chunk = '';
      hits.forEach((h, i) => {
        chunk += `${qid} Q0 ${h.docId} ${i + 1} ${formatScore(h.score)} ${tag}\n`;
      });
      yield chunk;
    }
  })());
}

/** Shortest decimal that reads back as the same double, so ties and order survive the round trip. */
export function formatScore(score: number): string {
  return Number.isFinite(score) ? String(score) : score > 0 ? '1e309' : '-1e309';
}
