import { HAS_TEXT, idValue, parseJsonObject, pick, refuseJsonArray, type DocumentSink, type LineParser } from './records.ts';

// The shapes researchers have: Pyserini {"id","contents"}, BEIR {"_id","title","text"}, ir_datasets {"doc_id","text"}.
export const ID_FIELDS = ['id', '_id', 'doc_id', 'docid'] as const;
export const TEXT_FIELDS = ['contents', 'text', 'body'] as const;

/** One JSON object per line; fields other than the id, title and text are kept as the document's metadata. */
export const parseJsonlDocument: LineParser<DocumentSink> = (s, line, sink) => {
  if (line === 1) refuseJsonArray(s, line, sink.file);
  const o = parseJsonObject(s);
  if (typeof o === 'string') return sink.bad(line, undefined, o);
  const idField = pick(o, ID_FIELDS);
  if (!idField) return sink.bad(line, 'id', `missing: expected one of ${ID_FIELDS.join(', ')}`);
  const id = idValue(idField[1]);
  if (id === undefined) return sink.bad(line, idField[0], 'must be a non-empty string or a number, without control characters');
  const textField = pick(o, TEXT_FIELDS);
  const title = o.title;
  if (title !== undefined && title !== null && typeof title !== 'string') return sink.bad(line, 'title', 'must be a string');
  if (!textField && !title) return sink.bad(line, 'text', `document "${id}" has no text: expected one of ${TEXT_FIELDS.join(', ')}`);
  const text = textField ? textField[1] : '';
  if (typeof text !== 'string') return sink.bad(line, textField![0], 'must be a string');
  if (!HAS_TEXT.test(text) && !title) return sink.bad(line, textField![0], `document "${id}" has empty text`);
  let metadata: Record<string, unknown> | undefined;
  for (const k in o) {
    if (k === idField[0] || k === 'title' || (textField && k === textField[0])) continue;
    (metadata ??= {})[k] = o[k];
  }
  sink.document(line, id, title || null, text, metadata ? JSON.stringify(metadata) : null);
};
