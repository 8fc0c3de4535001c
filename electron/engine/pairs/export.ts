import type Database from 'better-sqlite3';
import { writeTextFile } from '../jobs/text-file.ts';
import { flagEmbeddingLine } from './flagembedding.ts';
import type { PairExportFormat } from './formats.ts';
import { getPairSet, readPairs, type TrainingPair } from './store.ts';

/** A TSV field cannot hold a tab or a line break; those become spaces (FlagEmbedding JSONL keeps them). */
const field = (s: string) => s.replace(/[\t\r\n]/g, ' ');

function tsvLine(p: TrainingPair): string {
  return `${field(p.id)}\t${field(p.low)}\t${field(p.high)}\t${p.weight}`;
}

/**
 * Writes a training set to a file, in insertion order, a page at a time: FlagEmbedding JSONL (one line per pair, with
 * its negatives, id and weight) or TSV `id low high weight` with a header line (negatives are not written). Both read
 * back with `pont pairs import` to the same set; gzip when the name ends in .gz.
 */
export async function exportPairs(db: Database.Database, name: string, format: PairExportFormat, path: string): Promise<{ name: string; path: string; format: PairExportFormat; pairs: number; fingerprint: string }> {
  const set = getPairSet(db, name);
  const line = format === 'tsv' ? tsvLine : flagEmbeddingLine;
  let n = 0;
  await writeTextFile(
    path,
    (function* () {
      if (format === 'tsv') yield 'id\tlow\thigh\tweight\n';
      let piece = '';
      for (const p of readPairs(db, name)) {
        piece += `${line(p)}\n`;
        n++;
        if (piece.length > 1 << 16) {
          yield piece;
          piece = '';
        }
      }
      if (piece) yield piece;
    })(),
  );
  return { name: set.name, path, format, pairs: n, fingerprint: set.fingerprint };
}
