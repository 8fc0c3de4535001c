import { join } from 'node:path';
import { PontError } from '../../errors.ts';
import { getCollection, getQuerySet } from '../../store/collections.ts';
import { writeSqlitePart, type ItemKind } from './kind.ts';

/** A query set with its qrels, as one SQLite part; it names its collection, which the pack or the workspace holds. */
export const queriesKind: ItemKind = {
  kind: 'queries',
  order: 20,
  option: 'queries',

  export(ws, name, dir) {
    const db = ws.db;
    const q = getQuerySet(db, name);
    const collection = db.prepare('SELECT name FROM collections WHERE id = ?').pluck().get(q.collection_id) as string;
    const file = join(dir, `queries-${q.id}.sqlite`);
    writeSqlitePart(db, file, () =>
      db.exec(`
        CREATE TABLE pk.queries AS SELECT qid, text FROM main.queries WHERE query_set_id = ${q.id};
        CREATE TABLE pk.qrels AS SELECT qid, doc_ext_id, rel FROM main.qrels WHERE query_set_id = ${q.id};
      `),
    );
    const count = (table: string) => db.prepare(`SELECT count(*) FROM ${table} WHERE query_set_id = ?`).pluck().get(q.id);
    return { name: q.name, title: q.name, meta: { lang: q.lang, collection, queries: count('queries'), qrels: count('qrels') }, parts: [{ file, format: 'sqlite' }] };
  },

  exists: (db, name) => db.prepare('SELECT 1 FROM query_sets WHERE name = ?').get(name) !== undefined,

  needs: (item) => [{ kind: 'collection', name: String(item.meta.collection) }],

  install(ws, item, parts) {
    const db = ws.db;
    const p = parts[0]!.tables!;
    const { lang, collection } = item.meta as { lang?: unknown; collection?: unknown };
    if (typeof lang !== 'string' || typeof collection !== 'string') {
      throw new PontError('bad_data', 'pack.query_set_incomplete', { name: item.name }, [{ field: `items.${item.name}.meta`, reason: 'lang and collection are required' }]);
    }
    const c = getCollection(db, collection);
    const id = Number(db.prepare('INSERT INTO query_sets (name, lang, collection_id) VALUES (?, ?, ?)').run(item.name, lang, c.id).lastInsertRowid);
    db.prepare(`INSERT INTO main.queries (query_set_id, qid, text) SELECT ?, qid, text FROM ${p}queries`).run(id);
    db.prepare(`INSERT INTO main.qrels (query_set_id, qid, doc_ext_id, rel) SELECT ?, qid, doc_ext_id, rel FROM ${p}qrels`).run(id);
  },

  remove(ws, name) {
    ws.db.prepare('DELETE FROM query_sets WHERE name = ?').run(name);
  },
};
