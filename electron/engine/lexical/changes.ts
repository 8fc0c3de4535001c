import type Database from 'better-sqlite3';
import { parseAnalyzer } from '../analysis/analyzer.ts';
import { decodeDocIds, decodeUint32 } from './codec.ts';
import { Inverter, type DocInput } from './inverter.ts';
import { bumpGeneration, writeSegment, type IndexRow } from './store.ts';

/** Changes to the collection's documents logged (by triggers) since the index last consumed them. */
export function pendingChanges(db: Database.Database, row: IndexRow): number {
  return db.prepare('SELECT count(*) FROM lexical_changes WHERE collection_id = ? AND id > ?').pluck().get(row.collection_id, row.change_cursor) as number;
}

/**
 * Brings an index up to date with the documents written since it was built: every changed document's old
 * postings become tombstones in their segment, and the documents that still exist are inverted into a new
 * segment. One transaction, so a crash leaves the index as it was, with the changes still pending.
 * Returns the number of documents re-indexed and deleted.
 */
export function applyChanges(db: Database.Database, row: IndexRow): { added: number; deleted: number } {
  // Immediate, and the cursor read inside: another connection (a search catching up) may have consumed the changes.
  return db.transaction(() => {
    const cursor = db.prepare('SELECT change_cursor FROM lexical_indexes WHERE id = ?').pluck().get(row.id) as number;
    const changes = db
      .prepare('SELECT id, doc_id, op FROM lexical_changes WHERE collection_id = ? AND id > ? ORDER BY id')
      .all(row.collection_id, cursor) as { id: number; doc_id: number; op: 'add' | 'delete' }[];
    if (changes.length === 0) return { added: 0, deleted: 0 };
    const touched = new Set(changes.map((c) => c.doc_id));
    let deleted = 0;
    const segs = db.prepare('SELECT id, docs, doc_ids, doc_lens, deleted, live_docs, live_len FROM lexical_segments WHERE index_id = ?').all(row.id) as {
      id: number;
      docs: number;
      doc_ids: Uint8Array;
      doc_lens: Uint8Array;
      deleted: Uint8Array | null;
      live_docs: number;
      live_len: number;
    }[];
    const upd = db.prepare('UPDATE lexical_segments SET deleted = ?, live_docs = ?, live_len = ? WHERE id = ?');
    for (const s of segs) {
      const ids = decodeDocIds(s.doc_ids, s.docs);
      const lens = decodeUint32(s.doc_lens);
      const bits = s.deleted ? Uint8Array.from(s.deleted) : new Uint8Array((s.docs + 7) >> 3);
      let liveDocs = s.live_docs;
      let liveLen = s.live_len;
      let changed = false;
      for (let d = 0; d < s.docs; d++) {
        if (!touched.has(ids[d]!) || bits[d >> 3]! & (1 << (d & 7))) continue;
        bits[d >> 3]! |= 1 << (d & 7);
        liveDocs--;
        liveLen -= lens[d]!;
        deleted++;
        changed = true;
      }
      if (changed) upd.run(bits, liveDocs, liveLen, s.id);
    }
    const get = db.prepare('SELECT id, title, text FROM documents WHERE id = ? AND collection_id = ?');
    const inv = new Inverter(parseAnalyzer(row.analyzer), row.title_weight);
    for (const id of [...touched].sort((a, b) => a - b)) {
      const doc = get.get(id, row.collection_id) as DocInput | undefined;
      if (doc) inv.add(doc);
    }
    const added = inv.docs;
    if (added > 0) writeSegment(db, row.id, [inv.finish()]);
    db.prepare('UPDATE lexical_indexes SET change_cursor = ? WHERE id = ?').run(changes.at(-1)!.id, row.id);
    bumpGeneration(db, row.id);
    // The log is shared by the collection's indexes: keep what the least advanced one has not consumed.
    db.prepare('DELETE FROM lexical_changes WHERE collection_id = ? AND id <= (SELECT min(change_cursor) FROM lexical_indexes WHERE collection_id = ?)').run(
      row.collection_id,
      row.collection_id,
    );
    return { added, deleted: deleted - Math.min(deleted, added) };
  }).immediate();
}
