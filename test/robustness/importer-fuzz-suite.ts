import fc from 'fast-check';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/api/engine.ts';
import { PontError } from '../../electron/engine/errors.ts';
import { noJob } from '../../electron/engine/jobs/progress.ts';
import { buildPack } from '../../electron/engine/packs/build.ts';
import { PAIR_FORMATS, type PairFormat } from '../../electron/engine/pairs/formats.ts';
import { readPairs } from '../../electron/engine/pairs/store.ts';
import { writeDensePack } from '../models/packs.ts';
import { dumpHash, listing, seedItalian } from '../packs/helpers.ts';
import { moFile } from '../pairs/mo.ts';
import { tempDir, tempEngine, tempWorkspace } from '../helpers/workspace.ts';
import { damage, mutate } from './fuzz-suite.ts';

type Edits = { at: number; op: string; byte: number }[];

/** Every problem a failure or a report names is located: a file, and a line or a field in it. */
function expectLocated(e: unknown, codes: RegExp): void {
  expect(e).toBeInstanceOf(PontError);
  expect((e as PontError).code).toMatch(codes);
  for (const d of (e as PontError).details) expect(d.file ?? d.field).toBeTruthy();
}

const words = 'lenga langue ostal maison país pays solelh soleil aiga eau vila ville pan pain vin vent nuèch nuit'.split(' ');
const pairsOf = (n: number) => Array.from({ length: n }, (_, i) => [`${words[(i * 2) % words.length]} ${i}`, `${words[(i * 2 + 1) % words.length]} ${i}`] as const);
const good = pairsOf(12);
const po = (side: 0 | 1) => `msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n${good.map(([l, h], i) => `msgid "m${i} ${h}"\nmsgstr "${side === 0 ? l : h}"\n`).join('\n')}`;

/** A well-formed file of each pair format (and the high-side file that goes with it), which the fuzzer damages. */
const pairSeeds: Record<PairFormat, { file: string; content: string | Uint8Array; high?: { file: string; content: string | Uint8Array } }> = {
  tsv: { file: 'p.tsv', content: good.map(([l, h]) => `${l}\t${h}`).join('\n') },
  moses: { file: 'c.oc', content: good.map(([l]) => l).join('\n'), high: { file: 'c.fr', content: good.map(([, h]) => h).join('\n') } },
  tmx: {
    file: 'p.tmx',
    content: `<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="oc" segtype="sentence"/><body>\n${good
      .map(([l, h], i) => `<tu tuid="t${i}"><tuv xml:lang="oc"><seg>${l} &amp; <hi>x</hi></seg></tuv><tuv xml:lang="fr"><seg>${h}</seg></tuv></tu>`)
      .join('\n')}\n</body></tmx>\n`,
  },
  po: { file: 'oc.po', content: po(0), high: { file: 'fr.po', content: po(1) } },
  mo: { file: 'oc.mo', content: moFile(good.map(([l, h], i) => [`m${i} ${h}`, l]), 'le') },
  wordlist: { file: 'w.tsv', content: `# oc-fr\n${good.map(([l, h]) => `${l}\t${h}\t${h}s`).join('\n')}` },
  flagembedding: { file: 'f.jsonl', content: good.map(([l, h], i) => JSON.stringify({ query: l, pos: [h], neg: [good[(i + 1) % good.length]![1]], ...(i % 3 ? {} : { id: `p${i}`, weight: 0.5 }) })).join('\n') },
};

/** How many whole lines (newline included, or the file's last line) come before the first damaged byte. */
function intactLines(original: string | Uint8Array, damaged: Uint8Array): number {
  const a = Buffer.from(original);
  let same = 0;
  while (same < a.length && same < damaged.length && a[same] === damaged[same]) same++;
  if (same === a.length && damaged.length === a.length) return a.toString('utf8').split('\n').length;
  return a.subarray(0, same).toString('latin1').split('\n').length - 1;
}

/** Line formats: the pairs each line of the seed gives (the word list's comment line gives none). */
const pairsOfLine: Partial<Record<PairFormat, (line: number) => string[]>> = {
  tsv: (i) => [`${good[i]![0]}\u0000${good[i]![1]}`],
  moses: (i) => [`${good[i]![0]}\u0000${good[i]![1]}`],
  flagembedding: (i) => [`${good[i]![0]}\u0000${good[i]![1]}`],
  wordlist: (i) => (i === 0 ? [] : [`${good[i - 1]![0]}\u0000${good[i - 1]![1]}`, `${good[i - 1]![0]}\u0000${good[i - 1]![1]}s`]),
};

function pairSet(engine: Engine, name: string): string[] {
  try {
    return [...readPairs(engine.workspace.db, name)].map((p) => `${p.low}\u0000${p.high}`);
  } catch {
    return [];
  }
}

/**
 * fast-check damages every importer of training sets, model packs and content packs: no crash (every failure a
 * PontError whose details name a file, and a line or a field), every problem of a report located, a set imported
 * before never touched, and a refused model or content pack leaves the workspace as it was (rows and files).
 */
export function importerFuzzSuite(runs: number): void {
  describe(`fuzzed training sets, ${runs} damaged files per format`, () => {
    for (const format of PAIR_FORMATS) {
      it(`${format}: no crash, problems located, the set imported before untouched`, { timeout: 60_000 + runs * 300 }, async () => {
        const engine = tempEngine();
        const dir = tempDir();
        const seed = pairSeeds[format];
        const base = join(dir, 'base.tsv');
        writeFileSync(base, good.map(([l, h]) => `${l}\t${h}`).join('\n'));
        await engine.call('pairs.import', { path: base, name: 'base', from: 'oc', to: 'fr', format: 'tsv' });
        const before = pairSet(engine, 'base');
        let n = 0;
        await fc.assert(
          fc.asyncProperty(damage, fc.boolean(), async (edits: Edits, highSide) => {
            const at = join(dir, `case${n++}`);
            mkdirSync(at);
            const path = join(at, seed.file);
            const damageHigh = highSide && seed.high !== undefined;
            const low = damageHigh ? Buffer.from(seed.content) : mutate(seed.content, edits);
            writeFileSync(path, low);
            const high = seed.high ? join(at, seed.high.file) : undefined;
            const highBytes = seed.high ? (damageHigh ? mutate(seed.high.content, edits) : Buffer.from(seed.high.content)) : undefined;
            if (high) writeFileSync(high, highBytes!);
            // Nothing before the first bad record is lost: the pairs of the lines before the damage are stored.
            const intact = Math.min(intactLines(seed.content, low), seed.high ? intactLines(seed.high.content, highBytes!) : Infinity);
            const expected = pairsOfLine[format] ? Array.from({ length: intact }, (_, i) => pairsOfLine[format]!(i)).flat() : [];
            try {
              const r = await engine.call('pairs.import', { path, ...(format === 'po' || format === 'mo' ? (high ? { high } : {}) : {}), name: `f${n}`, from: 'oc', to: 'fr', format });
              for (const i of r.issues) expect(i.file && (i.line !== undefined || i.field !== undefined), JSON.stringify(i)).toBeTruthy();
              expect(r.pairs).toBe(pairSet(engine, `f${n}`).length);
            } catch (e) {
              expectLocated(e, /bad_data|invalid_input/);
            }
            expect(pairSet(engine, `f${n}`)).toEqual(expect.arrayContaining(expected));
            expect(pairSet(engine, 'base')).toEqual(before);
            rmSync(at, { recursive: true });
          }),
          { numRuns: runs, seed: 4243 },
        );
      });
    }
  });

  describe(`fuzzed model packs (${runs} damaged folders)`, () => {
    it('no crash, problems located, a refused pack leaves the workspace as it was', { timeout: 60_000 + runs * 500 }, async () => {
      const engine = tempEngine();
      const pack = join(tempDir(), 'pack');
      writeDensePack(pack, { pooling: 'mean', normalize: true });
      await engine.call('model.import', { path: pack, name: 'base' });
      const files = readdirSync(pack, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => relative(pack, join(e.parentPath, e.name))).sort();
      const work = tempDir();
      let n = 0;
      await fc.assert(
        fc.asyncProperty(fc.nat(files.length - 1), damage, async (which, edits: Edits) => {
          const dir = join(work, `m${n++}`);
          cpSync(pack, dir, { recursive: true });
          const file = join(dir, files[which]!);
          writeFileSync(file, mutate(readFileSync(file), edits));
          const before = { dump: dumpHash(engine.workspace.db), files: listing(engine.workspace.dir) };
          try {
            await engine.call('model.import', { path: dir, name: `m${n}` });
            await engine.call('model.delete', { name: `m${n}` });
          } catch (e) {
            expectLocated(e, /bad_data|invalid_input|unsupported/);
            expect(dumpHash(engine.workspace.db)).toBe(before.dump);
            expect(listing(engine.workspace.dir)).toEqual(before.files);
          }
          // Thousands of copies would make the cleanup after the test outlast its hook's time limit.
          rmSync(dir, { recursive: true });
        }),
        { numRuns: runs, seed: 4244 },
      );
    });
  });

  describe(`fuzzed content packs (${runs} damaged files)`, () => {
    it('verify and install: no crash, problems located, a refused pack leaves the workspace as it was', { timeout: 60_000 + runs * 500 }, async () => {
      const source = tempWorkspace();
      await seedItalian(source.db);
      const file = join(tempDir(), 'p.pontpack');
      await buildPack(source, { output: file, title: 'Sicilia', items: [{ kind: 'collection', name: 'demo-it' }, { kind: 'queries', name: 'demo-scn' }] }, noJob);
      const bytes = readFileSync(file);
      const engine = tempEngine();
      const work = tempDir();
      // Half the damage falls on the tar headers and the manifest at the start; the parts are checked by hash.
      const edits = fc.tuple(fc.boolean(), damage).map(([head, e]) => (head ? e.map((x) => ({ ...x, at: x.at % 3072 })) : e));
      let n = 0;
      await fc.assert(
        fc.asyncProperty(edits, async (e: Edits) => {
          const path = join(work, `p${n++}.pontpack`);
          writeFileSync(path, mutate(bytes, e));
          try {
            await engine.call('pack.verify', { path, trust: [] });
          } catch (err) {
            expectLocated(err, /bad_data|invalid_input|unsupported|forbidden/);
          }
          const before = { dump: dumpHash(engine.workspace.db), files: listing(engine.workspace.dir) };
          try {
            for (const r of await engine.call('pack.install', { path, allowUntrusted: true, trust: [] })) await engine.call('pack.remove', { name: r.pack });
          } catch (err) {
            expectLocated(err, /bad_data|invalid_input|unsupported|forbidden|conflict/);
            expect(dumpHash(engine.workspace.db)).toBe(before.dump);
            expect(listing(engine.workspace.dir)).toEqual(before.files);
          }
          rmSync(path);
        }),
        { numRuns: runs, seed: 4245 },
      );
    });
  });
}
