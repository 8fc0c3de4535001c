import { PontError } from '../errors.ts';

/**
 * A measure is a value, as in ir_measures: a family name, an optional rank cutoff and an optional relevance
 * threshold. `nDCG@10`, `RR@10`, `R(rel=2)@100` and `AP` parse to measures, print back to the same text, and two
 * measures are equal when they print the same.
 */
export type MeasureName =
  | 'nDCG'
  | 'AP'
  | 'RR'
  | 'P'
  | 'R'
  | 'Success'
  | 'Judged'
  | 'Rprec'
  | 'Bpref'
  | 'infAP'
  | 'NumRet'
  | 'NumRel'
  | 'NumRelRet';

export interface Measure {
  readonly name: MeasureName;
  /** Only the top `cutoff` documents of the ranking count. */
  readonly cutoff?: number;
  /** A document is relevant when its judgement is at least this (default: the evaluation's level, 1). */
  readonly rel?: number;
}

interface Family {
  /** Whether a cutoff is required, optional or refused. */
  cutoff: 'required' | 'optional' | 'none';
  /** Whether the family has a binary notion of relevance that `rel=` can change. */
  rel: boolean;
  /** Counts are summed over queries rather than averaged, as trec_eval does for num_ret, num_rel, num_rel_ret. */
  summed?: boolean;
}

export const families: Record<MeasureName, Family> = {
  nDCG: { cutoff: 'optional', rel: false },
  AP: { cutoff: 'optional', rel: true },
  RR: { cutoff: 'optional', rel: true },
  P: { cutoff: 'required', rel: true },
  R: { cutoff: 'required', rel: true },
  Success: { cutoff: 'required', rel: true },
  Judged: { cutoff: 'required', rel: false },
  Rprec: { cutoff: 'none', rel: true },
  Bpref: { cutoff: 'none', rel: true },
  infAP: { cutoff: 'none', rel: true },
  NumRet: { cutoff: 'optional', rel: false, summed: true },
  NumRel: { cutoff: 'none', rel: true, summed: true },
  NumRelRet: { cutoff: 'optional', rel: true, summed: true },
};

const familyByLowerName = new Map<string, MeasureName>(
  (Object.keys(families) as MeasureName[]).map((n) => [n.toLowerCase(), n]),
);
// Names researchers type for the same families (ir_measures, PyTerrier, papers).
for (const [alias, name] of [
  ['ndcg_cut', 'nDCG'],
  ['map', 'AP'],
  ['map_cut', 'AP'],
  ['mrr', 'RR'],
  ['recip_rank', 'RR'],
  ['recall', 'R'],
  ['precision', 'P'],
  ['success', 'Success'],
  ['num_ret', 'NumRet'],
  ['num_rel', 'NumRel'],
  ['num_rel_ret', 'NumRelRet'],
] as const) {
  familyByLowerName.set(alias, name);
}

export function measureToString(m: Measure): string {
  return `${m.name}${m.rel !== undefined ? `(rel=${m.rel})` : ''}${m.cutoff !== undefined ? `@${m.cutoff}` : ''}`;
}

export function measureEquals(a: Measure, b: Measure): boolean {
  return measureToString(a) === measureToString(b);
}

/** Orders measures by family, then threshold, then cutoff, so tables list `P@5` before `P@10`. */
export function compareMeasures(a: Measure, b: Measure): number {
  return a.name.localeCompare(b.name) || (a.rel ?? 0) - (b.rel ?? 0) || (a.cutoff ?? 0) - (b.cutoff ?? 0);
}

function invalid(text: string, reason: string, field = 'measure'): PontError {
  return new PontError('invalid_input', 'measure.invalid', { measure: text, reason }, [{ field, reason }]);
}

function positiveInt(s: string, text: string, what: string): number {
  if (!/^\d+$/.test(s) || Number(s) < 1 || Number(s) > 1e9) throw invalid(text, `${what} must be a positive integer, not "${s}"`);
  return Number(s);
}

export function makeMeasure(name: MeasureName, cutoff?: number, rel?: number, text = measureToString({ name, cutoff, rel } as Measure)): Measure {
  const f = families[name];
  if (cutoff === undefined && f.cutoff === 'required') throw invalid(text, `${name} needs a cutoff, e.g. ${name}@10`);
  if (cutoff !== undefined && f.cutoff === 'none') throw invalid(text, `${name} takes no cutoff`);
  if (rel !== undefined && !f.rel) throw invalid(text, `${name} takes no relevance threshold`);
  return Object.freeze({ name, ...(cutoff !== undefined ? { cutoff } : {}), ...(rel !== undefined ? { rel } : {}) });
}

/**
 * Parses `nDCG@10`, `RR(rel=2)@10`, `MRR@10`, `map`, `P_20`, `ndcg_cut_10`, `recall.100`, `bpref`… Family names are
 * case-insensitive; the printed form is canonical (`RR@10`, `AP`, `P@20`, `nDCG@10`, `Bpref`).
 */
export function parseMeasure(text: string): Measure {
  const t = text.trim();
  const m = /^([A-Za-z_]+?)(?:\((?:rel\s*=\s*)?(-?\d+)\))?(?:[@._](\d+))?$/.exec(t);
  if (!m) throw invalid(text, 'expected a measure such as nDCG@10, RR@10, AP, R(rel=2)@100');
  const name = familyByLowerName.get(m[1]!.toLowerCase());
  if (!name) throw invalid(text, `unknown measure family "${m[1]}" (known: ${Object.keys(families).join(', ')})`);
  const cutoff = m[3] !== undefined ? positiveInt(m[3], text, 'the cutoff') : undefined;
  const rel = m[2] !== undefined ? Number(m[2]) : undefined;
  return makeMeasure(name, cutoff, rel, text);
}

export function parseMeasures(texts: readonly string[]): Measure[] {
  const out: Measure[] = [];
  for (const t of texts) {
    for (const part of t.split(/[\s,]+/).filter(Boolean)) {
      const m = parseMeasure(part);
      if (!out.some((o) => measureEquals(o, m))) out.push(m);
    }
  }
  return out;
}

export function isSummed(m: Measure): boolean {
  return families[m.name].summed === true;
}

/**
 * Prints a value as C's `printf("%.4f")` does with glibc: rounding the exact binary value half to even. JavaScript's
 * `toFixed` rounds half up, which prints 1/32 as 0.0313 where trec_eval prints 0.0312.
 */
export function formatFixed(value: number, digits = 4): string {
  if (!Number.isFinite(value)) return String(value);
  // toFixed(100) writes the double's exact decimal expansion for every value evaluation produces (|x| ≥ 2^-50).
  const exact = Math.abs(value).toFixed(100);
  const dot = exact.indexOf('.');
  const head = exact.slice(0, dot + 1 + digits);
  const rest = exact.slice(dot + 1 + digits);
  const first = rest.charCodeAt(0) - 48;
  const tail = /[1-9]/.test(rest.slice(1));
  const lastDigit = head.charCodeAt(head.length - 1) - 48;
  const up = first > 5 || (first === 5 && (tail || lastDigit % 2 === 1));
  let out = head;
  if (up) {
    const scaled = BigInt(head.replace('.', '')) + 1n;
    const s = scaled.toString().padStart(digits + 1, '0');
    out = `${s.slice(0, s.length - digits)}.${s.slice(s.length - digits)}`;
  }
  if (digits === 0) out = out.replace(/\.$/, '');
  const negative = value < 0 || Object.is(value, -0);
  return negative && /[1-9]/.test(out) ? `-${out}` : out;
}
