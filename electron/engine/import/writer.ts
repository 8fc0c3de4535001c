import type Database from 'better-sqlite3';
import { BatchWriter } from './batch.ts';
import type { ImportJob } from './checkpoint.ts';
import type { DocumentSink } from './records.ts';
import type { ImportCounts } from './report.ts';

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
  private readonly existing: Database.Statement;
  private readonly update: Database.Statement;
  private readonly confirm: Database.Statement;

  constructor(db: Database.Database, collectionId: number, job: ImportJob, strict: boolean, file: string) {
    super(db, job, strict, file);
    this.collectionId = collectionId;
    this.insert = db.prepare(
      `INSERT OR IGNORE INTO documents (collection_id, ext_id, title, text, metadata, source, import_id, seen_by_import)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
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
    const job = this.job.id;
    for (let i = 0; i < this.ids.length; i++) {
      const id = this.ids[i]!;
      const title = this.titles[i]!;
      const text = this.texts[i]!;
      const meta = this.metas[i]!;
      const source = this.sources[i]!;
      if (this.insert.run(this.collectionId, id, title, text, meta, source, job, job).changes === 1) {
        c.added++;
        continue;
      }
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
}
