import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { RecordBatchWriter } from '../import/batch.ts';
import type { ImportJob } from '../import/checkpoint.ts';
import type { ImportCounts } from '../import/report.ts';

/** Where pair parsers put what they read: pairs, and problems that name file, line and field. */
export interface PairSink {
  readonly file: string;
  /** `id` undefined: the source has no ids, and the pair is named by its content (see `contentId`). */
  pair(line: number | undefined, id: string | undefined, low: string, high: string, weight?: number, negatives?: readonly string[]): void;
  bad(line: number | undefined, field: string | undefined, reason: string): void;
  warn(line: number | undefined, field: string | undefined, reason: string): void;
}

/**
 * The id of a pair whose source gives none: a hash of its two sides, so that importing the same file again, or a
 * second file into the same set, adds each distinct pair once whatever line it sits on.
 */
export function contentId(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 16);
}

interface PairRecord {
  line: number | undefined;
  file: string;
  id: string;
  named: boolean;
  low: string;
  high: string;
  weight: number;
  negatives: string | null;
}

interface Existing {
  seq: number;
  low: string;
  high: string;
  weight: number;
  negatives: string | null;
  seen_by_import: number | null;
}

/**
 * Writes pairs, upserted by (set, id) like documents: a new id is added, a known one updated only if it differs, so
 * importing the same file twice changes nothing. An id met twice in one import is a duplicate and the first is kept;
 * a pair without an id met twice is the same pair, kept once with a warning.
 */
export class PairWriter extends RecordBatchWriter<PairRecord> implements PairSink {
  private readonly insert: Database.Statement;
  private readonly existing: Database.Statement;
  private readonly update: Database.Statement;
  private readonly confirm: Database.Statement;

  constructor(db: Database.Database, setId: number, job: ImportJob, strict: boolean, file: string) {
    super(db, job, strict, file);
    this.insert = db.prepare(
      `INSERT OR IGNORE INTO pairs (set_id, ext_id, low, high, weight, negatives, import_id, seen_by_import) VALUES (${setId}, ?, ?, ?, ?, ?, ${job.id}, ${job.id})`,
    );
    this.existing = db.prepare(`SELECT seq, low, high, weight, negatives, seen_by_import FROM pairs WHERE set_id = ${setId} AND ext_id = ?`);
    this.update = db.prepare(`UPDATE pairs SET low = ?, high = ?, weight = ?, negatives = ?, seen_by_import = ${job.id} WHERE seq = ?`);
    this.confirm = db.prepare(`UPDATE pairs SET seen_by_import = ${job.id} WHERE seq = ?`);
  }

  pair(line: number | undefined, id: string | undefined, low: string, high: string, weight = 1, negatives: readonly string[] = []): void {
    const neg = negatives.length > 0 ? JSON.stringify(negatives) : null;
    this.records.push({ line, file: this.file, id: id ?? contentId(low, high), named: id !== undefined, low, high, weight, negatives: neg });
    this.bytes += low.length + high.length + (neg?.length ?? 0);
    this.read++;
  }

  protected writeRecords(c: ImportCounts): void {
    for (const r of this.records) {
      if (this.insert.run(r.id, r.low, r.high, r.weight, r.negatives).changes === 1) {
        c.added++;
        continue;
      }
      const old = this.existing.get(r.id) as Existing;
      if (old.seen_by_import === this.job.id) {
        const where = { file: r.file, ...(r.line !== undefined ? { line: r.line } : {}) };
        if (r.named) {
          this.problem({ severity: 'error', ...where, field: 'id', reason: `duplicate pair id "${r.id}": an earlier record of this import has it; the first one is kept and this one ignored` });
        } else if (old.low === r.low && old.high === r.high && old.weight === r.weight && old.negatives === r.negatives) {
          this.problem({ severity: 'warning', ...where, reason: 'the same pair as an earlier record of this import; kept once' });
        } else {
          this.problem({ severity: 'error', ...where, field: 'weight', reason: 'the same pair as an earlier record of this import, with another weight or other negatives; the first one is kept' });
        }
      } else if (old.low === r.low && old.high === r.high && old.weight === r.weight && old.negatives === r.negatives) {
        this.confirm.run(old.seq);
        c.unchanged++;
      } else {
        this.update.run(r.low, r.high, r.weight, r.negatives, old.seq);
        c.updated++;
      }
    }
  }
}
