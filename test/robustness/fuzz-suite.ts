import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/api/engine.ts';
import { PontError } from '../../electron/engine/errors.ts';
import { parseQrels } from '../../electron/engine/eval/qrels.ts';
import { parseRun } from '../../electron/engine/eval/run.ts';
import { tempEngine, writeTemp } from '../helpers/workspace.ts';

/** Well-formed inputs of each importer, which the fuzzer then damages. */
const seeds = {
  tsv: Array.from({ length: 30 }, (_, i) => `f${i}\tLo solelh e la mar ${i}`).join('\n'),
  jsonl: Array.from({ length: 30 }, (_, i) => JSON.stringify({ id: `f${i}`, title: 'Títol', text: `La lenga ${i}` })).join('\n'),
  queries: Array.from({ length: 30 }, (_, i) => `q${i}\tlenga ${i}`).join('\n'),
  qrels: Array.from({ length: 30 }, (_, i) => `q${i} 0 base-${i} ${i % 3}`).join('\n'),
};

/** Byte-level damage: bytes replaced, inserted, deleted, the file cut short; the bytes chosen are the ones parsers trip on. */
export const damage = fc.array(
  fc.record({
    at: fc.nat(),
    op: fc.constantFrom('replace', 'insert', 'delete', 'cut'),
    byte: fc.constantFrom(0x00, 0x09, 0x0a, 0x0d, 0x22, 0x7b, 0x7d, 0x5b, 0x5c, 0x20, 0xff, 0xc3, 0xe2, 0x41, 0x30),
  }),
  { minLength: 1, maxLength: 12 },
);

export function mutate(text: string | Uint8Array, edits: { at: number; op: string; byte: number }[]): Buffer {
  let b = Buffer.from(text);
  for (const e of edits) {
    const i = b.length === 0 ? 0 : e.at % b.length;
    if (e.op === 'replace' && b.length > 0) b[i] = e.byte;
    else if (e.op === 'insert') b = Buffer.concat([b.subarray(0, i), Buffer.from([e.byte]), b.subarray(i)]);
    else if (e.op === 'delete') b = Buffer.concat([b.subarray(0, i), b.subarray(i + 1)]);
    else if (e.op === 'cut') b = b.subarray(0, i);
  }
  return b;
}

function baseDocuments(engine: Engine): string {
  return (engine.workspace.db.prepare("SELECT group_concat(ext_id || '=' || text, '|') FROM (SELECT ext_id, text FROM documents WHERE ext_id LIKE 'base-%' ORDER BY ext_id)").pluck().get() as string) ?? '';
}

/**
 * Every importer fed damaged versions of a good file: no crash (a failure is a PontError), every problem names its
 * file and a line or field, and what was stored before (a collection, its query set and qrels) is all still there.
 */
export function fuzzSuite(runs: number): void {
  describe(`fuzzed run and qrels files for evaluation (${runs} each)`, () => {
    const run = Array.from({ length: 30 }, (_, i) => `q${i % 5} Q0 d${i} ${i + 1} ${(30 - i) / 10} tag`).join('\n');
    const qrels = Array.from({ length: 30 }, (_, i) => `q${i % 5} 0 d${i} ${i % 3}`).join('\n');
    for (const [what, text, parse] of [
      ['run', run, parseRun],
      ['qrels', qrels, parseQrels],
    ] as const) {
      it(`${what}: parsed, or refused with a PontError naming the file and line`, () => {
        fc.assert(
          fc.property(damage, (edits) => {
            try {
              parse(mutate(text, edits).toString('utf8'), 'fuzzed.txt');
            } catch (e) {
              expect(e).toBeInstanceOf(PontError);
              for (const d of (e as PontError).details) expect(d.file).toBe('fuzzed.txt');
            }
          }),
          { numRuns: runs, seed: 4242 },
        );
      });
    }
  });

  describe(`fuzzed imports (${runs} damaged files per importer)`, () => {
    const kinds = Object.keys(seeds) as (keyof typeof seeds)[];
    for (const kind of kinds) {
      it(`${kind}: no crash, problems located, nothing stored before is lost`, { timeout: 60_000 + runs * 200 }, async () => {
        const engine = tempEngine();
        await engine.call('collection.import', { path: writeTemp('base.tsv', Array.from({ length: 30 }, (_, i) => `base-${i}\tbase text ${i}`).join('\n')), name: 'c', lang: 'fr' });
        await engine.call('queries.import', { path: writeTemp('q.tsv', seeds.queries), collection: 'c', name: 'q', lang: 'oc' });
        const before = baseDocuments(engine);
        let n = 0;
        await fc.assert(
          fc.asyncProperty(damage, async (edits) => {
            const path = writeTemp(`f${n++}.${kind === 'jsonl' ? 'jsonl' : 'tsv'}`, mutate(seeds[kind], edits));
            const call =
              kind === 'tsv' || kind === 'jsonl'
                ? engine.call('collection.import', { path, name: 'c', lang: 'fr' })
                : kind === 'queries'
                  ? engine.call('queries.import', { path, collection: 'c', name: 'q', lang: 'oc' })
                  : engine.call('qrels.import', { path, queries: 'q' });
            try {
              const r = await call;
              for (const i of r.issues) expect(i.file && (i.line !== undefined || i.field !== undefined)).toBeTruthy();
            } catch (e) {
              expect(e).toBeInstanceOf(PontError);
              expect((e as PontError).code).toMatch(/bad_data|invalid_input/);
              for (const d of (e as PontError).details) expect(d.file ?? d.field).toBeTruthy();
            }
            expect(baseDocuments(engine)).toBe(before);
          }),
          { numRuns: runs, seed: 4242 },
        );
      });
    }
  });
}
