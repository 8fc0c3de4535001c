import { PontError } from '../errors.ts';
import { HAS_TEXT, type LineParser } from '../import/records.ts';
import type { PairSink } from './writer.ts';

/** What a column of a pairs TSV holds; `identical` (the l10n-train flag) and `-` are read and ignored. */
export type TsvColumn = 'id' | 'low' | 'high' | 'weight' | 'identical' | '-';

const COLUMN_NAMES: Record<string, TsvColumn> = {
  id: 'id',
  pid: 'id',
  low: 'low',
  source: 'low',
  src: 'low',
  high: 'high',
  target: 'high',
  tgt: 'high',
  weight: 'weight',
  identical: 'identical',
  '-': '-',
};

function layoutError(file: string, columns: string, reason: string): PontError {
  return new PontError('invalid_input', 'pairs.bad_columns', { file, columns, reason }, [{ file, field: 'columns', reason }]);
}

/** Reads a column list such as `id,low,high,weight` (the `--columns` option, or a header line). */
export function parseColumns(spec: string, file: string, separator = ','): TsvColumn[] {
  const cols = spec.split(separator).map((c) => COLUMN_NAMES[c.trim().toLowerCase()]);
  const bad = spec.split(separator).filter((_c, i) => cols[i] === undefined);
  if (bad.length > 0) throw layoutError(file, spec, `unknown column ${bad.map((b) => `"${b}"`).join(', ')}: use id, low, high, weight, identical or -`);
  const list = cols as TsvColumn[];
  for (const need of ['low', 'high'] as const) {
    const n = list.filter((c) => c === need).length;
    if (n !== 1) throw layoutError(file, spec, `needs exactly one ${need} column, has ${n}`);
  }
  for (const once of ['id', 'weight'] as const) {
    if (list.filter((c) => c === once).length > 1) throw layoutError(file, spec, `has more than one ${once} column`);
  }
  return list;
}

/** How a pairs TSV is laid out: its columns, whether its first line names them, and how that was decided. */
export interface TsvLayout {
  columns: TsvColumn[];
  header: boolean;
  note?: string;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Decides the columns from the first line: a header that names them; else by the number of fields — `low high`,
 * `low high weight` (numeric third field) or `id low high`, `id low high weight`, and the l10n-train layout
 * `id low high identical` when the fourth field is a 0/1 flag.
 */
export function detectLayout(first: string, file: string): TsvLayout {
  const fields = first.split('\t');
  if (fields.every((f) => COLUMN_NAMES[f.trim().toLowerCase()] !== undefined && f.trim() !== '-')) {
    return { columns: parseColumns(first, file, '\t'), header: true };
  }
  const last = fields[fields.length - 1]!.trim();
  switch (fields.length) {
    case 2:
      return { columns: ['low', 'high'], header: false };
    case 3:
      return NUMBER.test(last) ? { columns: ['low', 'high', 'weight'], header: false } : { columns: ['id', 'low', 'high'], header: false };
    case 4:
      return last === '0' || last === '1'
        ? { columns: ['id', 'low', 'high', 'identical'], header: false, note: 'read as the l10n-train layout id, low, high, identical (a 0/1 flag, not a weight); pass --columns to say otherwise' }
        : { columns: ['id', 'low', 'high', 'weight'], header: false };
    default:
      throw new PontError('invalid_input', 'pairs.unknown_columns', { file, count: fields.length }, [
        { file, line: 1, field: 'columns', reason: `${fields.length} fields: expected low<TAB>high, optionally with id and weight columns` },
      ]);
  }
}

/** A weight is a positive finite number; a reason why not otherwise. */
export function parseWeight(s: string): number | string {
  const w = Number(s.trim());
  if (!NUMBER.test(s.trim()) || !Number.isFinite(w) || w <= 0) return `"${s}" is not a positive number`;
  return w;
}

/** A parser for lines laid out as `columns`. */
export function tsvPairParser(layout: TsvLayout): LineParser<PairSink> {
  const { columns } = layout;
  const shape = columns.join('<TAB>');
  const at = (c: TsvColumn) => columns.indexOf(c);
  const [iId, iLow, iHigh, iWeight] = [at('id'), at('low'), at('high'), at('weight')];
  return (s, line, sink) => {
    if (line === 1 && layout.header) return;
    const f = s.split('\t');
    if (f.length !== columns.length) {
      const field = f.length < columns.length ? columns[f.length]! : columns[columns.length - 1]!;
      return sink.bad(line, field, `${f.length} tab-separated fields: expected ${shape}`);
    }
    const id = iId >= 0 ? f[iId]!.trim() : undefined;
    if (id === '') return sink.bad(line, 'id', 'the id is empty');
    const low = f[iLow]!.trim();
    const high = f[iHigh]!.trim();
    if (!HAS_TEXT.test(low)) return sink.bad(line, 'low', 'the low-variety text is empty');
    if (!HAS_TEXT.test(high)) return sink.bad(line, 'high', 'the high-language text is empty');
    let weight = 1;
    if (iWeight >= 0) {
      const w = parseWeight(f[iWeight]!);
      if (typeof w === 'string') return sink.bad(line, 'weight', w);
      weight = w;
    }
    sink.pair(line, id, low, high, weight);
  };
}
