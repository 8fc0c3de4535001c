import type { HandlersFor } from '../define.ts';
import type { collectionMethods, CollectionSummary } from '../contract/collections.ts';
import { deleteCollection, getCollection, listCollections, type CollectionRow } from '../../engine/store/collections.ts';
import { PontError } from '../../engine/errors.ts';
import { rollBackImport } from '../../engine/import/checkpoint.ts';
import { importProblems, listImports } from '../../engine/import/history.ts';
import { runJob } from '../threads.ts';
import { importQrels } from '../../engine/import/qrels.ts';
import { importQueries } from '../../engine/import/queries.ts';
import { sampleText } from '../../engine/import/sample.ts';

function summary(row: CollectionRow & { documents: number; incomplete: number; failed: number }): CollectionSummary {
  return {
    name: row.name,
    lang: row.lang,
    description: row.description,
    documents: row.documents,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    incompleteImport: row.incomplete > 0,
    importFailed: row.failed > 0,
  };
}

export const collectionHandlers: HandlersFor<typeof collectionMethods> = {
  'collection.import': (input, { workspace, signal, progress, jobThreads }) => runJob(workspace, 'collection.import', input, { signal, progress }, jobThreads ?? false),
  'queries.import': (input, { workspace, signal, progress }) => importQueries(workspace.db, input, { signal, progress }),
  'qrels.import': (input, { workspace, signal, progress }) => importQrels(workspace.db, input, { signal, progress }),

  'collection.sample': ({ path }) => sampleText(path),

  'collection.list': (_input, { workspace }) => listCollections(workspace.db).map(summary),

  'collection.show': ({ name }, { workspace }) => {
    const db = workspace.db;
    getCollection(db, name);
    const row = listCollections(db).find((c) => c.name === name)!;
    const sampleDocuments = db
      .prepare('SELECT ext_id AS id, title, text FROM documents WHERE collection_id = ? ORDER BY id LIMIT 5')
      .all(row.id) as { id: string; title: string | null; text: string }[];
    return { ...summary(row), sampleDocuments };
  },

  'collection.delete': ({ name }, { workspace }) => ({ deleted: name, ...deleteCollection(workspace.db, name) }),

  'collection.imports': ({ name }, { workspace }) => listImports(workspace.db, name),

  'import.problems': ({ id, offset, limit }, { workspace }) => importProblems(workspace.db, id, offset, limit),

  'import.rollback': ({ id }, { workspace }) => rollBackImport(workspace.db, id),

  'document.get': ({ collection, id }, { workspace }) => {
    const c = getCollection(workspace.db, collection);
    const doc = workspace.db
      .prepare('SELECT ext_id AS id, title, text, metadata, source FROM documents WHERE collection_id = ? AND ext_id = ?')
      .get(c.id, id) as { id: string; title: string | null; text: string; metadata: string | null; source: string | null } | undefined;
    if (!doc) throw new PontError('not_found', 'document.missing', { id, collection }, [{ field: 'id', reason: 'not found' }]);
    return { ...doc, metadata: doc.metadata === null ? null : JSON.parse(doc.metadata) };
  },

  'queries.list': ({ collection }, { workspace }) =>
    workspace.db
      .prepare(
        `SELECT s.name, s.lang, c.name AS collection,
           (SELECT count(*) FROM queries q WHERE q.query_set_id = s.id) AS queries,
           (SELECT count(DISTINCT qid) FROM qrels r WHERE r.query_set_id = s.id) AS judged
         FROM query_sets s JOIN collections c ON c.id = s.collection_id
         WHERE (? IS NULL OR c.name = ?) ORDER BY s.name`,
      )
      .all(collection ?? null, collection ?? null) as { name: string; lang: string; collection: string; queries: number; judged: number }[],
};
