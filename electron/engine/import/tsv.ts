import { HAS_TEXT, idProblem, type DocumentSink, type LineParser } from './records.ts';

// A header row such as "docid<TAB>text" is common in exported collections; it is not a document.
const HEADER = /^(id|_id|docid|doc_id|pid)\t((title)\t)?(text|contents|passage|body)$/i;

/** `id<TAB>text` or `id<TAB>title<TAB>text`, one document per line. */
export const parseTsvDocument: LineParser<DocumentSink> = (s, line, sink) => {
  if (line === 1 && HEADER.test(s)) return;
  const t1 = s.indexOf('\t');
  if (t1 < 0) return sink.bad(line, 'text', 'no tab: expected id<TAB>text or id<TAB>title<TAB>text');
  const id = s.slice(0, t1).trim();
  if (!id) return sink.bad(line, 'id', 'the id (first field) is empty');
  const idBad = idProblem(id);
  if (idBad) return sink.bad(line, 'id', idBad);
  const t2 = s.indexOf('\t', t1 + 1);
  if (t2 < 0) {
    const text = s.slice(t1 + 1);
    if (!HAS_TEXT.test(text)) return sink.bad(line, 'text', `document "${id}" has no text`);
    return sink.document(line, id, null, text, null);
  }
  if (s.indexOf('\t', t2 + 1) >= 0) {
    return sink.bad(line, 'text', `${s.split('\t').length} tab-separated fields: expected id<TAB>text or id<TAB>title<TAB>text`);
  }
  const title = s.slice(t1 + 1, t2).trim();
  const text = s.slice(t2 + 1);
  if (!HAS_TEXT.test(text) && !title) return sink.bad(line, 'text', `document "${id}" has no text and no title`);
  sink.document(line, id, title || null, text, null);
};

