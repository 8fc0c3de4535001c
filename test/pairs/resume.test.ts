import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/api/engine.ts';
import type { Input } from '../../electron/api/contract/index.ts';
import { failure } from '../helpers/errors.ts';
import { tempDir, tempEngine } from '../helpers/workspace.ts';

/** Files of each kind, big enough to be read in several chunks, so that a cancel lands between two commits. */
type Source = Omit<Input<'pairs.import'>, 'name' | 'from' | 'to'>;

function source(kind: string, n: number): Source {
  const dir = tempDir();
  const w = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const idx = Array.from({ length: n }, (_v, i) => i);
  const make: Record<string, () => Source> = {
    tsv: () => ({ path: w('p.tsv', idx.map((i) => `lenga ${i} de l'ostal ${i % 97}\tlangue ${i} de la maison ${i % 97}\n`).join('')) }),
    moses: () => ({ path: w('c.oc', idx.map((i) => `lenga ${i}\n`).join('')), high: w('c.fr', idx.map((i) => `langue ${i}\n`).join('')) }),
    tmx: () => ({
      path: w('m.tmx', `<tmx version="1.4"><body>\n${idx.map((i) => `<tu tuid="u${i}"><tuv xml:lang="oc"><seg>lenga ${i}</seg></tuv><tuv xml:lang="fr"><seg>langue ${i}</seg></tuv></tu>\n`).join('')}</body></tmx>\n`),
    }),
    po: () => ({
      path: w('oc.po', idx.map((i) => `msgid "m${i}"\nmsgstr "lenga ${i}"\n\n`).join('')),
      high: w('fr.po', idx.map((i) => `msgid "m${i}"\nmsgstr "langue ${i}"\n\n`).join('')),
    }),
  };
  return make[kind]!();
}

function importSet(engine: Engine, src: Source, name: string) {
  return engine.call('pairs.import', { ...src, name, from: 'oc', to: 'fr' });
}

describe('interrupted imports into a training set', () => {
  // A TSV is read a MiB at a time, the other formats 500 records at a time.
  it.each([
    ['tsv', 25_000],
    ['moses', 3000],
    ['tmx', 3000],
    ['po', 3000],
  ] as const)('stop at a committed checkpoint when cancelled, and resume to the set a clean import gives (%s)', async (kind, n) => {
    const src = source(kind, n);
    const engine = tempEngine();
    const abort = new AbortController();
    const e = await failure(engine.call('pairs.import', { ...src, name: 's', from: 'oc', to: 'fr' }, { signal: abort.signal, onProgress: () => abort.abort() }));
    expect(e.code).toBe('cancelled');
    const partial = (await engine.call('pairs.show', { name: 's', sample: 0 })).pairs;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(n);
    const resumed = await importSet(engine, src, 's');
    expect(resumed.resumedFromLine).toBeGreaterThan(1);
    expect(resumed).toMatchObject({ added: n, bad: 0, pairs: n });
    const clean = await importSet(engine, src, 'clean');
    expect(resumed.fingerprint).toBe(clean.fingerprint);
  });
});
