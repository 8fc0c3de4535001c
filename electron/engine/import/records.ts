import { PontError } from '../errors.ts';

/** Matches a string that holds more than white space. */
export const HAS_TEXT = /\S/;

/** Where parsers put what they read: a good record, or a problem with one (file, line, field, reason). */
export interface DocumentSink {
  readonly file: string;
  document(line: number, id: string, title: string | null, text: string, metadata: string | null): void;
  bad(line: number, field: string | undefined, reason: string): void;
}

/** Turns one line of a file into a record, or reports why it cannot. Blank lines never reach a parser. */
export type LineParser<S> = (text: string, line: number, sink: S) => void;

/** The first field name of `names` that the object has, and its value. */
export function pick(o: Record<string, unknown>, names: readonly string[]): [string, unknown] | undefined {
  for (const n of names) if (o[n] !== undefined) return [n, o[n]];
  return undefined;
}

/** Control characters have no place in an id: they would print as nothing, and a NUL cuts it short in C tools. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Why an id read from a file cannot be used, or undefined when it can. */
export function idProblem(id: string): string | undefined {
  return CONTROL.test(id) ? 'holds a control character (a NUL, a tab inside JSON, …)' : undefined;
}

/**
 * Ids may be written as JSON numbers (ir_datasets exports some that way); anything else, or a string with control
 * characters, is an error.
 */
export function idValue(v: unknown): string | undefined {
  if (typeof v === 'string') return (!CONTROL.test(v) && v.trim()) || undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/**
 * A file that opens with `[` is a JSON array, not JSON Lines: rather than report every one of its lines as a bad
 * record, the import stops at once and says what the file is.
 */
export function refuseJsonArray(text: string, line: number, file: string): void {
  if (line === 1 && text.trimStart().startsWith('[')) {
    throw new PontError('bad_data', 'records.json_array', { file }, [
      { file, line, reason: 'a JSON array, not JSON Lines' },
    ]);
  }
}

function holdsNul(v: unknown): boolean {
  if (typeof v === 'string') return v.includes('\0');
  if (v === null || typeof v !== 'object') return false;
  return Object.entries(v).some(([k, x]) => k.includes('\0') || holdsNul(x));
}

export function parseJsonObject(text: string): Record<string, unknown> | string {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return `not valid JSON (${(e as Error).message})`;
  }
  // A NUL byte is refused in every line before parsing; its JSON escape would let one into the text all the same.
  if (text.includes('\\u0000') && holdsNul(v)) return 'holds a NUL character (\\u0000)';
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    return Array.isArray(v) ? 'a JSON array, not an object; Pont reads JSON Lines: one object per line' : 'not a JSON object';
  }
  return v as Record<string, unknown>;
}
