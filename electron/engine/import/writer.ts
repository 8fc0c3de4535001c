import type Database from 'better-sqlite3';
import { BatchWriter } from './batch.ts';
import type { ImportJob } from './checkpoint.ts';
import type { DocumentSink } from './records.ts';
import type { ImportCounts } from './report.ts';

/** Rows per multi-row INSERT statement (5 bound values each). */
const GROUP = 64;

interface Existing {
  id: number;
  title: string | null;
  text: string;
  metadata: string | null;
  source: string | null;
  seen_by_import: number | null;
}

/**
 * Writes documents. They are upserted by (collection, external id): a new id is added, a known one is updated only if
 * its content differs, so that importing the same file twice changes nothing. An id met twice in one import is a
 * duplicate: the first occurrence is kept. Pending documents sit in parallel arrays, which keeps a million-line
 * import from allocating an object per record.
 */
export class DocumentWriter extends BatchWriter implements DocumentSink {
  /** Folder imports: the document's source file. */
  source: string | null = null;
  private readonly collectionId: number;
  private readonly lines: number[] = [];
  private readonly ids: string[] = [];
  private readonly titles: (string | null)[] = [];
  private readonly texts: string[] = [];
  private readonly metas: (string | null)[] = [];
  private readonly sources: (string | null)[] = [];
  private readonly files: string[] = [];
  private readonly insert: Database.Statement;
  private readonly insertGroup: Database.Statement;
  private readonly groupArgs: unknown[] = new Array(GROUP * 5);
  private readonly existing: Database.Statement;
  private readonly update: Database.Statement;
  private readonly confirm: Database.Statement;

  constructor(db: Database.Database, collectionId: number, job: ImportJob, strict: boolean, file: string) {
    super(db, job, strict, file);
    this.collectionId = collectionId;
    // The collection and import ids are integers of our own, so they go into the SQL text rather than be bound again
    // for every row; a statement inserts GROUP rows at a time, which halves the per-row cost of a fresh import.
    const row = `(${collectionId}, ?, ?, ?, ?, ?, ${job.id}, ${job.id})`;
    const insertInto = 'INSERT OR IGNORE INTO documents (collection_id, ext_id, title, text, metadata, source, import_id, seen_by_import) VALUES';
    this.insert = db.prepare(`${insertInto} ${row}`);
    this.insertGroup = db.prepare(`${insertInto} ${new Array(GROUP).fill(row).join(', ')} RETURNING ext_id`).pluck();
    this.existing = db.prepare('SELECT id, title, text, metadata, source, seen_by_import FROM documents WHERE collection_id = ? AND ext_id = ?');
    this.update = db.prepare('UPDATE documents SET title = ?, text = ?, metadata = ?, source = ?, seen_by_import = ? WHERE id = ?');
    this.confirm = db.prepare('UPDATE documents SET seen_by_import = ? WHERE id = ?');
  }

  document(line: number, id: string, title: string | null, text: string, metadata: string | null): void {
    this.lines.push(line);
    this.ids.push(id);
    this.titles.push(title);
    this.texts.push(text);
    this.metas.push(metadata);
    this.sources.push(this.source);
    this.files.push(this.file);
    this.bytes += text.length + id.length + (title?.length ?? 0) + (metadata?.length ?? 0);
    this.read++;
  }

  protected get pending(): number {
    return this.ids.length;
  }

  protected clearRecords(): void {
    for (const a of [this.lines, this.ids, this.titles, this.texts, this.metas, this.sources, this.files]) a.length = 0;
  }

  protected writeRecords(c: ImportCounts): void {
    const n = this.ids.length;
    let i = 0;
    for (; i + GROUP <= n; i += GROUP) {
      const args = this.groupArgs;
      for (let k = 0; k < GROUP; k++) {
        const j = i + k;
        args[5 * k] = this.ids[j];
        args[5 * k + 1] = this.titles[j];
        args[5 * k + 2] = this.texts[j];
        args[5 * k + 3] = this.metas[j];
        args[5 * k + 4] = this.sources[j];
      }
      const inserted = this.insertGroup.all(args) as string[];
      c.added += inserted.length;
      if (inserted.length === GROUP) continue;
      // Some ids were there already (or twice in the group): the first occurrence of each inserted id is the row that
      // went in; every other row takes the one-by-one path.
      const fresh = new Set(inserted);
      for (let j = i; j < i + GROUP; j++) {
        if (fresh.delete(this.ids[j]!)) continue;
        this.writeExisting(c, j);
      }
    }
    for (; i < n; i++) {
      if (this.insert.run(this.ids[i], this.titles[i], this.texts[i], this.metas[i], this.sources[i]).changes === 1) c.added++;
      else this.writeExisting(c, i);
    }
  }

  /** A record whose id the collection has: a duplicate within this import, unchanged, or an update. */
  private writeExisting(c: ImportCounts, i: number): void {
    const job = this.job.id;
    const id = this.ids[i]!;
    const title = this.titles[i]!;
    const text = this.texts[i]!;
    const meta = this.metas[i]!;
    const source = this.sources[i]!;
    const old = this.existing.get(this.collectionId, id) as Existing;
    if (old.seen_by_import === job) {
      this.problem({
        severity: 'error',
        file: this.files[i]!,
        ...(this.lines[i] ? { line: this.lines[i] } : {}),
        field: 'id',
        reason: `duplicate id "${id}": an earlier record of this import has it; the first one is kept and this one ignored`,
      });
    } else if (old.title === title && old.text === text && old.metadata === meta && old.source === source) {
      this.confirm.run(job, old.id);
      c.unchanged++;
    } else {
      this.update.run(title, text, meta, source, job, old.id);
      c.updated++;
    }
  }
}
