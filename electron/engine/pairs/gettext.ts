import { open } from 'node:fs/promises';
import { readLines } from '../import/lines.ts';
import { chunked, type PairChunk, type PairRecordIn } from './chunks.ts';
import { contentId } from './writer.ts';

/** One message of a catalogue: context, source string (and its plural), and the translations, one per plural form. */
export interface CatalogueEntry {
  line?: number;
  ctx?: string;
  id: string;
  plural?: string;
  strs: string[];
  fuzzy: boolean;
}

export interface CatalogueProblem {
  line?: number;
  field: string;
  reason: string;
}

type Read = { entry: CatalogueEntry } | { problem: CatalogueProblem };

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', a: '\x07', b: '\b', f: '\f', v: '\v' };

/** A PO string literal's value, or undefined when it is not one. */
function poString(s: string): string | undefined {
  const t = s.trim();
  if (t.length < 2 || t[0] !== '"' || t[t.length - 1] !== '"') return undefined;
  const body = t.slice(1, -1);
  if (/(^|[^\\])(\\\\)*"/.test(body)) return undefined;
  return body.replace(/\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)/g, (m, e: string) => {
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8));
    return ESCAPES[e] ?? m;
  });
}

const KEYWORD = /^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(.*)$/;

/**
 * Reads a gettext `.po` catalogue as a stream of messages. Obsolete (`#~`) messages and the header are left out; a
 * message with a syntax error is reported (line and keyword) and skipped, and reading goes on with the next one.
 */
export async function* readPo(file: string): AsyncGenerator<Read> {
  let cur: { line?: number; ctx?: string; id?: string; plural?: string; strs: string[]; fuzzy: boolean; broken: boolean } | undefined;
  let last: { set: (s: string) => void } | undefined;
  let pendingFuzzy = false;
  const finish = function* (): Generator<Read> {
    if (cur && !cur.broken && cur.id !== undefined) {
      if (cur.strs.length === 0) yield { problem: { ...(cur.line ? { line: cur.line } : {}), field: 'msgstr', reason: `message "${cur.id.slice(0, 60)}" has no msgstr` } };
      else if (cur.id !== '' || cur.ctx !== undefined) {
        yield { entry: { ...(cur.line ? { line: cur.line } : {}), ...(cur.ctx !== undefined ? { ctx: cur.ctx } : {}), id: cur.id, ...(cur.plural !== undefined ? { plural: cur.plural } : {}), strs: cur.strs, fuzzy: cur.fuzzy } };
      }
    }
    cur = undefined;
    last = undefined;
  };
  const fresh = (line: number) => {
    cur = { line, strs: [], fuzzy: pendingFuzzy, broken: false };
    pendingFuzzy = false;
  };
  for await (const chunk of readLines(file)) {
    const bad = new Set(chunk.badEncoding ?? []);
    for (let i = 0; i < chunk.lines.length; i++) {
      const line = chunk.firstLine + i;
      if (bad.has(i)) {
        if (cur) cur.broken = true;
        yield { problem: { line, field: 'text', reason: 'not valid UTF-8 text (is the catalogue in another charset? convert it with msgconv --to-code=UTF-8)' } };
        continue;
      }
      const s = chunk.lines[i]!.trim();
      if (s === '') {
        yield* finish();
        continue;
      }
      if (s.startsWith('#')) {
        // A comment after a translation starts the next message.
        if (cur && cur.strs.length > 0) yield* finish();
        if (s.startsWith('#~')) {
          cur = undefined;
          last = undefined;
        } else if (s.startsWith('#,') && /\bfuzzy\b/.test(s)) {
          if (cur) cur.fuzzy = true;
          else pendingFuzzy = true;
        }
        continue;
      }
      if (s.startsWith('"')) {
        const v = poString(s);
        if (!last || v === undefined) {
          if (cur) cur.broken = true;
          yield { problem: { line, field: last ? 'string' : 'line', reason: last ? 'not a well-formed "…" string' : 'a string that continues no keyword' } };
        } else last.set(v);
        continue;
      }
      const m = KEYWORD.exec(s);
      if (!m) {
        if (cur) cur.broken = true;
        yield { problem: { line, field: 'line', reason: `not a PO line: ${s.slice(0, 40)}` } };
        continue;
      }
      const keyword = m[1]!;
      const v = poString(m[3]!);
      if ((keyword === 'msgctxt' || keyword === 'msgid') && cur && (cur.strs.length > 0 || (keyword === 'msgctxt' ? cur.id !== undefined || cur.ctx !== undefined : cur.id !== undefined))) {
        yield* finish();
      }
      if (!cur) fresh(line);
      const c = cur!;
      if (keyword === 'msgid') c.line = line;
      if (v === undefined) {
        c.broken = true;
        yield { problem: { line, field: keyword.replace(/\[.*/, ''), reason: 'not a well-formed "…" string' } };
        last = undefined;
        continue;
      }
      if (keyword === 'msgctxt') {
        c.ctx = v;
        last = { set: (x) => (c.ctx += x) };
      } else if (keyword === 'msgid') {
        c.id = v;
        last = { set: (x) => (c.id += x) };
      } else if (keyword === 'msgid_plural') {
        c.plural = v;
        last = { set: (x) => (c.plural += x) };
      } else {
        if (c.id === undefined) {
          c.broken = true;
          yield { problem: { line, field: 'msgstr', reason: 'a msgstr without a msgid before it' } };
          continue;
        }
        const k = m[2] === undefined ? 0 : Number(m[2]);
        c.strs[k] = v;
        last = { set: (x) => (c.strs[k] += x) };
      }
    }
  }
  yield* finish();
}

const MO_MAGIC = 0x950412de;

/**
 * Reads a compiled `.mo` catalogue (either byte order) by seeking through its string tables, so only the tables,
 * not the strings, are held. Fuzzy messages are not in a `.mo` file. A string outside the file is reported by its
 * index and skipped.
 */
export async function* readMo(file: string): AsyncGenerator<Read> {
  const fh = await open(file, 'r');
  try {
    const size = (await fh.stat()).size;
    const head = Buffer.alloc(20);
    await fh.read(head, 0, 20, 0);
    const le = head.readUInt32LE(0) === MO_MAGIC;
    if (size < 20 || (!le && head.readUInt32BE(0) !== MO_MAGIC)) {
      yield { problem: { field: 'magic', reason: 'not a gettext .mo file (its first four bytes are not the .mo magic number)' } };
      return;
    }
    const u32 = (b: Buffer, at: number) => (le ? b.readUInt32LE(at) : b.readUInt32BE(at));
    const revision = u32(head, 4);
    if (revision >> 16 > 1) {
      yield { problem: { field: 'revision', reason: `.mo format revision ${revision >> 16}.${revision & 0xffff} is not one Pont reads (0 or 1)` } };
      return;
    }
    const n = u32(head, 8);
    const tables = [u32(head, 12), u32(head, 16)];
    if (tables.some((t) => t + n * 8 > size)) {
      yield { problem: { field: 'tables', reason: `the string tables (${n} strings) run past the end of the file` } };
      return;
    }
    const [orig, trans] = await Promise.all(
      tables.map(async (t) => {
        const b = Buffer.alloc(n * 8);
        await fh.read(b, 0, b.length, t);
        return b;
      }),
    );
    const str = async (table: Buffer, i: number): Promise<string | undefined> => {
      const len = u32(table, i * 8);
      const at = u32(table, i * 8 + 4);
      if (at + len > size) return undefined;
      const b = Buffer.alloc(len);
      await fh.read(b, 0, len, at);
      return b.toString('utf8');
    };
    for (let i = 0; i < n; i++) {
      const key = await str(orig!, i);
      const value = await str(trans!, i);
      if (key === undefined || value === undefined) {
        yield { problem: { field: `string ${i}`, reason: `the ${key === undefined ? 'source' : 'translated'} string lies outside the file` } };
        continue;
      }
      const eot = key.indexOf('\u0004');
      const ctx = eot >= 0 ? key.slice(0, eot) : undefined;
      const [id, plural] = key.slice(eot + 1).split('\u0000');
      if (id === '' && ctx === undefined) continue;
      yield { entry: { ...(ctx !== undefined ? { ctx } : {}), id: id!, ...(plural !== undefined ? { plural } : {}), strs: value.split('\u0000'), fuzzy: false } };
    }
  } finally {
    await fh.close();
  }
}

/** How a catalogue pair lined up, for the import's notes. */
export interface CatalogueStats {
  fuzzy: number;
  untranslated: number;
  unmatched: number;
}

/** Catalogue strings hold line breaks and padding for the program's layout; a training pair is one line of text. */
const flat = (s: string) => s.replace(/\s+/g, ' ').trim();
const keyOf = (e: CatalogueEntry) => (e.ctx === undefined ? e.id : `${e.ctx}\u0004${e.id}`);
const translated = (e: CatalogueEntry) => e.strs.length > 0 && e.strs.every((s) => s !== '');

/**
 * Pairs two catalogues of one program, in the low variety and the high language, by context and source string:
 * each message's singular translations, and its plural ones (the last form of each) when both have plural forms.
 * Without a high catalogue, the source strings themselves are the high side (a program written in the high
 * language). The high catalogue is held as a map (a catalogue is megabytes); the low one is streamed.
 */
export function readCatalogues(
  low: { file: string; format: 'po' | 'mo' },
  high: { file: string; format: 'po' | 'mo' } | undefined,
  skip: number,
  stats: CatalogueStats,
): AsyncIterable<PairChunk> {
  const read = (c: { file: string; format: 'po' | 'mo' }) => (c.format === 'po' ? readPo(c.file) : readMo(c.file));
  const problem = (p: CatalogueProblem, file: string): PairRecordIn => ({ ...p, problem: 'error', file });
  async function* records(): AsyncGenerator<{ record: PairRecordIn; line: number }> {
    const other = new Map<string, CatalogueEntry>();
    if (high) {
      for await (const r of read(high)) {
        if ('problem' in r) yield { line: 0, record: problem(r.problem, high.file) };
        else if (r.entry.fuzzy) stats.fuzzy++;
        else if (translated(r.entry)) other.set(keyOf(r.entry), r.entry);
      }
    }
    let line = 0;
    for await (const r of read(low)) {
      line = ('problem' in r ? r.problem.line : r.entry.line) ?? line;
      if ('problem' in r) {
        yield { line, record: problem(r.problem, low.file) };
        continue;
      }
      const e = r.entry;
      if (e.fuzzy) stats.fuzzy++;
      if (e.fuzzy || !translated(e)) {
        if (!e.fuzzy) stats.untranslated++;
        continue;
      }
      const key = keyOf(e);
      const h = high ? other.get(key) : { ...e, strs: e.plural === undefined ? [e.id] : [e.id, e.plural] };
      if (!h) {
        stats.unmatched++;
        continue;
      }
      const id = contentId(key);
      const at = e.line !== undefined ? { line: e.line } : {};
      const [l0, h0] = [flat(e.strs[0]!), flat(h.strs[0]!)];
      if (!l0 || !h0) {
        stats.untranslated++;
        continue;
      }
      yield { line, record: { ...at, id, low: l0, high: h0 } };
      const [lp, hp] = [flat(e.strs[e.strs.length - 1]!), flat(h.strs[h.strs.length - 1]!)];
      if (e.strs.length > 1 && h.strs.length > 1 && lp && hp && (lp !== l0 || hp !== h0)) {
        yield { line, record: { ...at, id: `${id}#plural`, low: lp, high: hp } };
      }
    }
  }
  return chunked(records(), skip, () => 0);
}
