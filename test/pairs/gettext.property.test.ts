import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readMo, readPo, type CatalogueEntry } from '../../electron/engine/pairs/gettext.ts';
import { moFile } from './mo.ts';
import { writeTemp } from '../helpers/workspace.ts';

const text = fc.string({ unit: fc.constantFrom('a', 'é', ' ', '"', '\\', '\n', '\t', 'ò', '%d', '\u0301'), minLength: 1, maxLength: 12 });

/** A PO string literal, cut at random points into continuation lines as msgcat and editors do. */
function literal(s: string, cuts: number[]): string {
  const esc = (p: string) => `"${p.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t')}"`;
  const at = [...new Set(cuts.map((c) => c % (s.length + 1)))].sort((a, b) => a - b);
  if (at.length === 0) return esc(s);
  const parts = [0, ...at].map((from, i, all) => s.slice(from, all[i + 1] ?? s.length));
  return ['""', ...parts.map(esc)].join('\n');
}

const entry = fc.record({
  ctx: fc.option(text, { nil: undefined }),
  id: text,
  plural: fc.option(text, { nil: undefined }),
  strs: fc.array(text, { minLength: 1, maxLength: 4 }),
  cuts: fc.array(fc.nat(20), { maxLength: 3 }),
});

async function all(it: AsyncIterable<{ entry: CatalogueEntry } | { problem: unknown }>): Promise<CatalogueEntry[]> {
  const out: CatalogueEntry[] = [];
  for await (const r of it) {
    if ('problem' in r) throw new Error(JSON.stringify(r.problem));
    out.push(r.entry);
  }
  return out;
}

describe('gettext catalogues read back what was written', () => {
  it('a .po with escapes, continuation lines, contexts and plurals, and the .mo of the same messages in both byte orders', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(entry, { selector: (e) => `${e.ctx ?? '\u0000'}\u0004${e.id}`, maxLength: 8 }), async (entries) => {
        const want = entries.map((e) => ({
          ...(e.ctx !== undefined ? { ctx: e.ctx } : {}),
          id: e.id,
          ...(e.plural !== undefined ? { plural: e.plural } : {}),
          strs: e.plural !== undefined ? e.strs : e.strs.slice(0, 1),
        }));
        const po = want
          .map((e, i) =>
            [
              '#: x.c:1',
              ...(e.ctx !== undefined ? [`msgctxt ${literal(e.ctx, entries[i]!.cuts)}`] : []),
              `msgid ${literal(e.id, entries[i]!.cuts)}`,
              ...(e.plural !== undefined
                ? [`msgid_plural ${literal(e.plural, [])}`, ...e.strs.map((s, k) => `msgstr[${k}] ${literal(s, entries[i]!.cuts)}`)]
                : [`msgstr ${literal(e.strs[0]!, entries[i]!.cuts)}`]),
            ].join('\n'),
          )
          .join('\n\n');
        const fromPo = await all(readPo(writeTemp('c.po', po)));
        expect(fromPo.map(({ line: _line, fuzzy: _fuzzy, ...e }) => e)).toEqual(want);
        const mo = want.map((e): [string, string] => [
          `${e.ctx !== undefined ? `${e.ctx}\u0004` : ''}${e.id}${e.plural !== undefined ? `\u0000${e.plural}` : ''}`,
          e.strs.join('\u0000'),
        ]);
        for (const order of ['le', 'be'] as const) {
          const fromMo = await all(readMo(writeTemp('c.mo', moFile(mo, order))));
          const key = (e: { ctx?: string; id: string }) => `${e.ctx === undefined ? '-' : `+${e.ctx}`}\u0004${e.id}`;
          expect(fromMo.map(({ fuzzy: _fuzzy, ...e }) => e).sort((a, b) => (key(a) < key(b) ? -1 : 1))).toEqual([...want].sort((a, b) => (key(a) < key(b) ? -1 : 1)));
        }
      }),
      { numRuns: 60 },
    );
  });
});
