import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { PontError } from '../../errors.ts';
import { deleteCollection, findCollection, getCollection } from '../../store/collections.ts';
import { applyChanges, pendingChanges } from '../../lexical/changes.ts';
import { listIndexes } from '../../lexical/store.ts';
import { annOf, pendingAnn, shiftChunkLabels, syncAnn } from '../../dense/ann.ts';
import { ensureVec, vectorTable, type DenseIndexRow } from '../../dense/vectors.ts';
import { ByteWriter } from '../../lexical/codec.ts';
import { writeSqlitePart, type ItemKind, type StagedPart } from './kind.ts';

/**
 * A collection with its ready indexes, as one SQLite part: the documents, the rows of the lexical index tables
 * (segments, terms, posting blocks) and the dense vectors with their HNSW graphs. Installing copies the rows: document ids and posting
 * block ids are shifted by one constant each, which keeps their order, so the segments' delta-coded document ids
 * change only in their first number and no posting list is re-encoded.
 */

/** Adds `offset` to the first of a delta-varint list: the only absolute value in it. */
export function shiftDocIds(blob: Uint8Array, offset: number): Uint8Array {
  let first = 0;
  let scale = 1;
  let i = 0;
  for (;;) {
    const b = blob[i++]!;
    first += (b & 0x7f) * scale;
    scale *= 128;
    if (b < 0x80) break;
  }
  const w = new ByteWriter(blob.length + 10);
  w.varint(first + offset);
  w.bytes(blob.subarray(i));
  return w.take();
}

const lexicalColumns = 'id, index_id, docs, total_len, live_docs, live_len, doc_ids, doc_lens, deleted, block_lo, block_hi';

function denseIndexesOf(db: Database.Database, collectionId: number): { id: number; model: string; model_checksum: string; dimension: number; documents: number }[] {
  return db
    .prepare("SELECT id, model, model_checksum, dimension, documents FROM dense_indexes WHERE collection_id = ? AND state = 'ready'")
    .all(collectionId) as { id: number; model: string; model_checksum: string; dimension: number; documents: number }[];
}

/**
 * A dense index's HNSW graph from a pack: its header, its chunks with their labels (document ids) shifted like the
 * documents, and the float vectors it rescores with (the same as the index's own). Its generation starts from the
 * clock, as a new graph's does, so that no cached graph passes for it.
 */
function installGraph(db: Database.Database, p: string, packIndex: number, indexId: number, docOffset: number): void {
  const ann = db.prepare(`SELECT kind, params, scales, entry, max_level, nodes, deleted FROM ${p}dense_ann WHERE index_id = ?`).get(packIndex) as
    | { kind: string; params: string; scales: Uint8Array; entry: number; max_level: number; nodes: number; deleted: number }
    | undefined;
  if (!ann) return;
  db.prepare('INSERT INTO dense_ann (index_id, kind, params, scales, entry, max_level, nodes, deleted, generation) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
    indexId,
    ann.kind,
    ann.params,
    ann.scales,
    ann.entry,
    ann.max_level,
    ann.nodes,
    ann.deleted,
    Date.now(),
  );
  const insChunk = db.prepare('INSERT INTO dense_ann_chunks (index_id, chunk, codes, graph) VALUES (?, ?, ?, ?)');
  const chunks = db.prepare(`SELECT chunk, codes, graph FROM ${p}dense_ann_chunks WHERE index_id = ? ORDER BY chunk`).all(packIndex) as { chunk: number; codes: Uint8Array; graph: Uint8Array }[];
  for (const c of chunks) insChunk.run(indexId, c.chunk, c.codes, shiftChunkLabels(c.graph, docOffset));
  db.prepare(`INSERT INTO dense_ann_vectors (index_id, doc_id, vector) SELECT ?, doc_id + ?, embedding FROM ${p}dense_vectors WHERE index_id = ?`).run(indexId, docOffset, packIndex);
}

export const collectionKind: ItemKind = {
  kind: 'collection',
  order: 10,
  option: 'collection',

  export(ws, name, dir) {
    const db = ws.db;
    const c = getCollection(db, name);
    const lexical = listIndexes(db, c.id).filter((ix) => ix.state === 'ready');
    // The pack carries indexes as they would be after an update, so that nothing is rebuilt on install.
    for (const ix of lexical) if (pendingChanges(db, ix) > 0) applyChanges(db, ix);
    const dense = denseIndexesOf(db, c.id);
    if (dense.length > 0) ensureVec(db);
    // Graphs travel caught up too, so that an installed collection is searched through its graph at once.
    for (const d of dense) if (annOf(db, d.id) && pendingAnn(db, d.id) > 0) syncAnn(db, db.prepare('SELECT * FROM dense_indexes WHERE id = ?').get(d.id) as DenseIndexRow);
    const file = join(dir, `collection-${c.id}.sqlite`);
    writeSqlitePart(db, file, () => {
      const ids = lexical.map((ix) => ix.id).join(',') || 'NULL';
      db.exec(`
        CREATE TABLE pk.collection AS SELECT name, lang, description FROM main.collections WHERE id = ${c.id};
        CREATE TABLE pk.documents AS SELECT id, ext_id, title, text, metadata, source FROM main.documents WHERE collection_id = ${c.id} ORDER BY id;
        CREATE TABLE pk.lexical_indexes AS
          SELECT id, name, analyzer, analyzer_version, title_weight, built_upto FROM main.lexical_indexes WHERE id IN (${ids});
        CREATE TABLE pk.lexical_segments AS SELECT ${lexicalColumns} FROM main.lexical_segments WHERE index_id IN (${ids}) ORDER BY id;
        CREATE TABLE pk.lexical_terms AS
          SELECT t.segment_id, t.term, t.df, t.skips, t.first_block, t.postings
          FROM main.lexical_terms t JOIN main.lexical_segments s ON s.id = t.segment_id WHERE s.index_id IN (${ids});
        CREATE TABLE pk.lexical_blocks AS
          SELECT b.id, b.data FROM main.lexical_segments s JOIN main.lexical_blocks b ON b.id BETWEEN s.block_lo AND s.block_hi
          WHERE s.index_id IN (${ids}) ORDER BY b.id;
        CREATE TABLE pk.dense_indexes (id INTEGER PRIMARY KEY, model TEXT, model_checksum TEXT, dimension INTEGER, documents INTEGER);
        CREATE TABLE pk.dense_vectors (index_id INTEGER, doc_id INTEGER, embedding BLOB);
        CREATE TABLE pk.dense_ann AS SELECT index_id, kind, params, scales, entry, max_level, nodes, deleted FROM main.dense_ann WHERE 0;
        CREATE TABLE pk.dense_ann_chunks AS SELECT index_id, chunk, codes, graph FROM main.dense_ann_chunks WHERE 0;
      `);
      for (const d of dense) {
        db.prepare('INSERT INTO pk.dense_indexes VALUES (?, ?, ?, ?, ?)').run(d.id, d.model, d.model_checksum, d.dimension, d.documents);
        db.exec(`INSERT INTO pk.dense_vectors SELECT ${d.id}, rowid, embedding FROM main.${vectorTable(d.id)}`);
        db.exec(`
          INSERT INTO pk.dense_ann SELECT index_id, kind, params, scales, entry, max_level, nodes, deleted FROM main.dense_ann WHERE index_id = ${d.id};
          INSERT INTO pk.dense_ann_chunks SELECT index_id, chunk, codes, graph FROM main.dense_ann_chunks WHERE index_id = ${d.id} ORDER BY chunk;
        `);
      }
    });
    return {
      name: c.name,
      title: c.description || c.name,
      meta: {
        lang: c.lang,
        documents: db.prepare('SELECT count(*) FROM documents WHERE collection_id = ?').pluck().get(c.id),
        indexes: lexical.map((ix) => ({ name: ix.name, analyzer: ix.analyzer })),
        dense: dense.map((d) => d.model),
      },
      parts: [{ file, format: 'sqlite' }],
    };
  },

  exists: (db, name) => findCollection(db, name) !== undefined,

  install(ws, item, parts) {
    const db = ws.db;
    const p = (parts[0] as StagedPart).tables!;
    const src = db.prepare(`SELECT name, lang, description FROM ${p}collection`).get() as { name: string; lang: string; description: string } | undefined;
    if (!src) throw new PontError('bad_data', 'pack.no_collection', { part: parts[0]!.part.path }, [{ field: parts[0]!.part.path, reason: 'no collection row' }]);
    const collectionId = Number(db.prepare('INSERT INTO collections (name, lang, description) VALUES (?, ?, ?)').run(item.name, src.lang, src.description).lastInsertRowid);
    const one = (sql: string) => (db.prepare(sql).pluck().get() as number | null) ?? 0;
    // New ids start after every id the workspace has used, so no row of the pack can meet one of the workspace's.
    const docOffset = one('SELECT max(id) FROM main.documents') + 1 - (one(`SELECT min(id) FROM ${p}documents`) || 1);
    db.prepare(
      `INSERT INTO main.documents (id, collection_id, ext_id, title, text, metadata, source)
       SELECT id + ?, ?, ext_id, title, text, metadata, source FROM ${p}documents ORDER BY id`,
    ).run(docOffset, collectionId);
    const usedBlocks = Math.max(one('SELECT max(id) FROM main.lexical_blocks'), one("SELECT seq FROM main.sqlite_sequence WHERE name = 'lexical_blocks'"));
    const blockOffset = usedBlocks + 1 - (one(`SELECT min(id) FROM ${p}lexical_blocks`) || 1);
    db.prepare(`INSERT INTO main.lexical_blocks (id, data) SELECT id + ?, data FROM ${p}lexical_blocks ORDER BY id`).run(blockOffset);
    // Nothing is pending for the new collection: its indexes start after the last logged change.
    const cursor = one('SELECT max(id) FROM main.lexical_changes');
    const generation = one('SELECT max(generation) FROM main.lexical_indexes') + 1;
    const insIndex = db.prepare(
      `INSERT INTO lexical_indexes (collection_id, name, analyzer, analyzer_version, title_weight, state, built_upto, change_cursor, generation)
       VALUES (?, ?, ?, ?, ?, 'ready', ?, ?, ?)`,
    );
    const insSeg = db.prepare(
      'INSERT INTO lexical_segments (index_id, docs, total_len, live_docs, live_len, doc_ids, doc_lens, deleted, block_lo, block_hi) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const copyTerms = db.prepare(
      `INSERT INTO main.lexical_terms (segment_id, term, df, skips, first_block, postings)
       SELECT ?, term, df, skips, first_block + ?, postings FROM ${p}lexical_terms WHERE segment_id = ?`,
    );
    const indexes = db.prepare(`SELECT * FROM ${p}lexical_indexes`).all() as { id: number; name: string; analyzer: string; analyzer_version: number; title_weight: number; built_upto: number }[];
    const segments = db.prepare(`SELECT ${lexicalColumns} FROM ${p}lexical_segments WHERE index_id = ? ORDER BY id`);
    for (const ix of indexes) {
      const indexId = Number(insIndex.run(collectionId, ix.name, ix.analyzer, ix.analyzer_version, ix.title_weight, ix.built_upto + docOffset, cursor, generation).lastInsertRowid);
      for (const s of segments.all(ix.id) as Record<string, number | Uint8Array | null>[]) {
        const lo = s.block_lo === null ? null : (s.block_lo as number) + blockOffset;
        const hi = s.block_hi === null ? null : (s.block_hi as number) + blockOffset;
        const docIds = (s.docs as number) > 0 ? shiftDocIds(s.doc_ids as Uint8Array, docOffset) : (s.doc_ids as Uint8Array);
        const segId = Number(insSeg.run(indexId, s.docs, s.total_len, s.live_docs, s.live_len, docIds, s.doc_lens, s.deleted, lo, hi).lastInsertRowid);
        copyTerms.run(segId, blockOffset, s.id);
      }
    }
    const dense = db.prepare(`SELECT * FROM ${p}dense_indexes`).all() as { id: number; model: string; model_checksum: string; dimension: number; documents: number }[];
    if (dense.length > 0) ensureVec(db);
    // Packs built before graphs travelled have no graph tables: their dense indexes are searched exactly until rebuilt.
    const [schema, prefix] = p.split('.') as [string, string];
    const withGraphs = db.prepare(`SELECT 1 FROM ${schema}.sqlite_master WHERE name = ?`).get(`${prefix}dense_ann`) !== undefined;
    for (const d of dense) {
      const maxDoc = one(`SELECT max(doc_id) FROM ${p}dense_vectors WHERE index_id = ${d.id}`);
      const id = Number(
        db
          .prepare("INSERT INTO dense_indexes (collection_id, model, model_checksum, dimension, checkpoint, documents, state) VALUES (?, ?, ?, ?, ?, ?, 'ready')")
          .run(collectionId, d.model, d.model_checksum, d.dimension, maxDoc + docOffset, d.documents).lastInsertRowid,
      );
      db.exec(`DROP TABLE IF EXISTS ${vectorTable(id)}`);
      db.exec(`CREATE VIRTUAL TABLE ${vectorTable(id)} USING vec0(embedding float[${Math.trunc(d.dimension)}] distance_metric=cosine)`);
      db.prepare(`INSERT INTO ${vectorTable(id)} (rowid, embedding) SELECT CAST(doc_id + ? AS INTEGER), embedding FROM ${p}dense_vectors WHERE index_id = ?`).run(docOffset, d.id);
      if (withGraphs) installGraph(db, p, d.id, id, docOffset);
    }
  },

  remove(ws, name) {
    const db = ws.db;
    const c = getCollection(db, name);
    const dense = db.prepare('SELECT id FROM dense_indexes WHERE collection_id = ?').pluck().all(c.id) as number[];
    if (dense.length > 0) ensureVec(db);
    for (const id of dense) db.exec(`DROP TABLE IF EXISTS ${vectorTable(id)}`);
    deleteCollection(db, name);
  },
};
