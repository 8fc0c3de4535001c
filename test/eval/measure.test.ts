import { describe, expect, it } from 'vitest';
import { compareMeasures, formatFixed, measureEquals, measureToString, parseMeasure, parseMeasures } from '../../electron/engine/eval/measure.ts';
import { PontError } from '../../electron/engine/errors.ts';

describe('measures are values', () => {
  it('parse and print back canonically', () => {
    for (const [text, canonical] of [
      ['nDCG@10', 'nDCG@10'],
      ['ndcg_cut_20', 'nDCG@20'],
      ['RR@10', 'RR@10'],
      ['MRR@10', 'RR@10'],
      ['recip_rank', 'RR'],
      ['R@100', 'R@100'],
      ['recall_1000', 'R@1000'],
      ['P_20', 'P@20'],
      ['map', 'AP'],
      ['AP@1000', 'AP@1000'],
      ['map_cut.100', 'AP@100'],
      ['Success@5', 'Success@5'],
      ['Judged@10', 'Judged@10'],
      ['Rprec', 'Rprec'],
      ['bpref', 'Bpref'],
      ['R(rel=2)@100', 'R(rel=2)@100'],
      ['AP(rel=2)', 'AP(rel=2)'],
      ['infAP', 'infAP'],
      ['num_rel_ret', 'NumRelRet'],
    ]) {
      expect(measureToString(parseMeasure(text!))).toBe(canonical);
      expect(measureToString(parseMeasure(canonical!))).toBe(canonical);
    }
  });

  it('compare by value and order cutoffs numerically', () => {
    expect(measureEquals(parseMeasure('MRR@10'), parseMeasure('rr@10'))).toBe(true);
    expect(measureEquals(parseMeasure('RR@10'), parseMeasure('RR'))).toBe(false);
    const sorted = ['P@20', 'P@5', 'AP', 'P@10'].map(parseMeasure).sort(compareMeasures).map(measureToString);
    expect(sorted).toEqual(['AP', 'P@5', 'P@10', 'P@20']);
    expect(parseMeasures(['nDCG@10,RR@10', 'nDCG@10']).map(measureToString)).toEqual(['nDCG@10', 'RR@10']);
  });

  it('refuse what does not make sense, naming the measure', () => {
    for (const bad of ['P', 'Success', 'Bpref@10', 'nDCG(rel=2)@10', 'foo@10', 'P@0', 'P@x', '']) {
      expect(() => parseMeasure(bad)).toThrow(PontError);
    }
    expect(() => parseMeasure('P')).toThrow(/P needs a cutoff/);
  });
});

describe('printing as glibc printf("%.4f")', () => {
  it('rounds the exact binary value half to even', () => {
    expect(formatFixed(1 / 32)).toBe('0.0312'); // exactly 0.03125: a midpoint, rounds to even
    expect(formatFixed(3 / 32)).toBe('0.0938'); // 0.09375 exactly: rounds up to even
    expect(formatFixed(0.00005)).toBe('0.0001'); // the double is slightly above 0.00005
    expect(formatFixed(0.12345)).toBe('0.1235'); // the double 0.12345 is slightly above, unlike the decimal
    expect(formatFixed(0.99995)).toBe('1.0000'); // the double is slightly above too: carries into the units
    expect(formatFixed(0.30015)).toBe('0.3001'); // the double is slightly below the midpoint
    expect(formatFixed(1)).toBe('1.0000');
    expect(formatFixed(0)).toBe('0.0000');
    expect(formatFixed(-1 / 32)).toBe('-0.0312');
    expect(formatFixed(12.5, 0)).toBe('12');
  });
});
