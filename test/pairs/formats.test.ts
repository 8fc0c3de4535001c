import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/api/engine.ts';
import { readPairs } from '../../electron/engine/pairs/store.ts';
import { failure } from '../helpers/errors.ts';
import { tempDir, tempEngine, writeTemp } from '../helpers/workspace.ts';
import { moFile } from './mo.ts';

function sides(engine: Engine, name: string): [string, string][] {
  return [...readPairs(engine.workspace.db, name)].map((p) => [p.low, p.high]);
}

describe('Moses-style aligned files', () => {
  it('pairs line n of CORPUS.oc with line n of CORPUS.fr, and names the file and side of a one-sided line', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'c.oc'), 'la lenga\n\nlo país\n\nl\'ostal\n');
    writeFileSync(join(dir, 'c.fr'), 'la langue\n\nle pays\nla porte\n\n');
    const engine = tempEngine();
    writeFileSync(join(dir, 'z.oc.gz'), gzipSync('la lenga\n'));
    writeFileSync(join(dir, 'z.fr.gz'), gzipSync('la langue\n'));
    expect(await engine.call('pairs.import', { path: join(dir, 'z.oc.gz'), name: 'z', from: 'oc', to: 'fr' })).toMatchObject({ format: 'moses', added: 1 });
    const r = await engine.call('pairs.import', { path: join(dir, 'c.oc'), name: 'm', from: 'oc', to: 'fr' });
    expect(r).toMatchObject({ format: 'moses', added: 2, bad: 2 });
    expect(r.issues.map((i) => [i.file, i.line, i.field])).toEqual([
      [join(dir, 'c.oc'), 4, 'low'],
      [join(dir, 'c.fr'), 5, 'high'],
    ]);
    expect(sides(engine, 'm')).toEqual([
      ['la lenga', 'la langue'],
      ['lo país', 'le pays'],
    ]);
  });

  it('stops where the shorter file ends, keeping the pairs before it, and takes --high', async () => {
    const low = writeTemp('low.txt', 'a\nb\nc\n');
    const high = writeTemp('high.txt', 'A\nB\n');
    const engine = tempEngine();
    const e = await failure(engine.call('pairs.import', { path: low, high, format: 'moses', name: 'm', from: 'oc', to: 'fr' }));
    expect(e.code).toBe('bad_data');
    expect(e.details[0]).toMatchObject({ file: high, line: 3 });
    expect(sides(engine, 'm')).toEqual([
      ['a', 'A'],
      ['b', 'B'],
    ]);
  });
});

describe('TMX', () => {
  const tmx = `<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="fr" segtype="sentence" datatype="plaintext" o-tmf="x" adminlang="en" creationtool="t" creationtoolversion="1"/>
<body>
  <tu tuid="t1">
    <tuv xml:lang="fr-FR"><seg>La <bpt i="1">&lt;b&gt;</bpt>langue<ept i="1">&lt;/b&gt;</ept> &amp; la culture</seg></tuv>
    <tuv xml:lang="oc"><seg>La <hi>lenga</hi> &#x26; la cultura</seg></tuv>
  </tu>
  <tu><tuv lang="OC"><seg><![CDATA[Lo <país>]]></seg></tuv><tuv xml:lang="fr"><seg>Le <ph x="1"/>pays</seg></tuv></tu><tu tuid="t3"><tuv xml:lang="en"><seg>The house</seg></tuv>
  <tuv xml:lang="fr"><seg>La maison</seg></tuv></tu>
  <tu tuid="t4"><tuv xml:lang="oc"><seg>  </seg></tuv><tuv xml:lang="fr"><seg>Vide</seg></tuv></tu>
</body></tmx>
`;

  it('streams the units, picks the two languages (regional tags too), drops inline codes, and reports what it skips', async () => {
    const engine = tempEngine();
    const path = writeTemp('m.tmx', tmx);
    const r = await engine.call('pairs.import', { path, name: 't', from: 'oc', to: 'fr' });
    expect(r).toMatchObject({ format: 'tmx', added: 2, bad: 1, warnings: 1 });
    expect(r.issues).toEqual([
      { severity: 'warning', file: path, line: 8, field: 'tuv', reason: expect.stringContaining('no <tuv> in oc (languages: en, fr)') },
      { severity: 'error', file: path, line: 10, field: 'seg', reason: 'the oc segment is empty' },
    ]);
    expect([...readPairs(engine.workspace.db, 't')].map((p) => [p.id, p.low, p.high])).toEqual([
      ['t1', 'La lenga & la cultura', 'La langue & la culture'],
      [expect.any(String), 'Lo <país>', 'Le pays'],
    ]);
    const gz = join(tempDir(), 'm.tmx.gz');
    writeFileSync(gz, gzipSync(tmx));
    expect(await engine.call('pairs.import', { path: gz, name: 't', from: 'oc', to: 'fr' })).toMatchObject({ added: 0, unchanged: 2 });
  });

  it('reads a TMX file in UTF-16 (either byte order, with its byte order mark) as the same units', async () => {
    const engine = tempEngine();
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(tmx.replace('UTF-8', 'UTF-16').replace(/\n/g, '\r\n'), 'utf16le')]);
    const be = Buffer.from(le);
    be.swap16();
    for (const [name, bytes] of [['le', le], ['be', be]] as const) {
      const r = await engine.call('pairs.import', { path: writeTemp(`m-${name}.tmx`, bytes), name: `t-${name}`, from: 'oc', to: 'fr' });
      expect(r, name).toMatchObject({ added: 2, bad: 1, warnings: 1 });
      expect(r.issues.map((i) => i.line)).toEqual([8, 10]);
      expect(sides(engine, `t-${name}`)[0]).toEqual(['La lenga & la cultura', 'La langue & la culture']);
    }
  });

  it('refuses a file that is not TMX', async () => {
    const e = await failure(tempEngine().call('pairs.import', { path: writeTemp('x.tmx', '<html><body/></html>\n'), name: 't', from: 'oc', to: 'fr' }));
    expect(e.message).toMatch(/not a TMX file/);
  });
});

const PO_OC = `# Occitan
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\\n"

#: main.c:10
msgctxt "menu"
msgid "File"
msgstr "Fichièr"

msgid "File"
msgstr "Fichièr (disc)"

msgid "Open a \\"file\\""
msgstr ""
"Dobrir un "
"\\"fichièr\\""

msgid "%d file"
msgid_plural "%d files"
msgstr[0] "%d fichièr"
msgstr[1] "%d fichièrs"

#, fuzzy
msgid "Close"
msgstr "Barrar"

msgid "Quit"
msgstr ""

msgid "Only here"
msgstr "Sonque aicí"

#~ msgid "Old"
#~ msgstr "Vièlh"
`;

const PO_FR = `msgid ""
msgstr "Content-Type: text/plain; charset=UTF-8\\n"

msgctxt "menu"
msgid "File"
msgstr "Fichier"

msgid "File"
msgstr "Fichier (disque)"

msgid "Open a \\"file\\""
msgstr "Ouvrir un\\n\\"fichier\\""

msgid "%d file"
msgid_plural "%d files"
msgstr[0] "%d fichier"
msgstr[1] "%d fichiers"

msgid "Close"
msgstr "Fermer"
`;

const EXPECTED = [
  ['Fichièr', 'Fichier'],
  ['Fichièr (disc)', 'Fichier (disque)'],
  ['Dobrir un "fichièr"', 'Ouvrir un "fichier"'],
  ['%d fichièr', '%d fichier'],
  ['%d fichièrs', '%d fichiers'],
];

/** The catalogue's messages as .mo entries (what msgfmt would keep: no fuzzy, no untranslated, no obsolete). */
const MO_OC: [string, string][] = [
  ['', 'Content-Type: text/plain; charset=UTF-8\n'],
  ['menu\u0004File', 'Fichièr'],
  ['File', 'Fichièr (disc)'],
  ['Open a "file"', 'Dobrir un "fichièr"'],
  ['%d file\u0000%d files', '%d fichièr\u0000%d fichièrs'],
  ['Only here', 'Sonque aicí'],
];
const MO_FR: [string, string][] = [
  ['menu\u0004File', 'Fichier'],
  ['File', 'Fichier (disque)'],
  ['Open a "file"', 'Ouvrir un\n"fichier"'],
  ['%d file\u0000%d files', '%d fichier\u0000%d fichiers'],
  ['Close', 'Fermer'],
];

describe('gettext catalogues', () => {
  it('aligns two .po catalogues by context and source string, with plurals, leaving out fuzzy and untranslated messages', async () => {
    const engine = tempEngine();
    const r = await engine.call('pairs.import', { path: writeTemp('oc.po', PO_OC), high: writeTemp('fr.po', PO_FR), name: 'po', from: 'oc', to: 'fr' });
    expect(r).toMatchObject({ format: 'po', added: 5, bad: 0 });
    expect(r.notes.join('\n')).toMatch(/1 fuzzy.*\n.*1 untranslated.*\n.*1 messages of oc.po have no translation in fr.po/);
    expect(sides(engine, 'po')).toEqual(EXPECTED);
  });

  it.each(['le', 'be'] as const)('reads compiled .mo catalogues (%s), alone or with a .po, to the same pairs', async (order) => {
    const engine = tempEngine();
    const oc = writeTemp('oc.mo', moFile(MO_OC, order));
    const fr = writeTemp('fr.mo', moFile(MO_FR, order));
    await engine.call('pairs.import', { path: oc, high: fr, name: 'mo', from: 'oc', to: 'fr' });
    await engine.call('pairs.import', { path: writeTemp('oc.po', PO_OC), high: fr, name: 'mixed', from: 'oc', to: 'fr' });
    // The .mo files are sorted by key, so the pairs come in another order; the set is the same.
    expect(sides(engine, 'mo').sort()).toEqual([...EXPECTED].sort());
    expect(sides(engine, 'mixed')).toEqual(EXPECTED);
  });

  it('pairs translations with their source strings when there is no high catalogue', async () => {
    const engine = tempEngine();
    const r = await engine.call('pairs.import', { path: writeTemp('gd.mo', moFile([['File', 'Faidhle'], ['%d file\u0000%d files', 'a\u0000b\u0000c\u0000%d faidhlichean']], 'le')), name: 'gd', from: 'gd', to: 'en' });
    expect(r.notes.join(' ')).toMatch(/source string/);
    expect(sides(engine, 'gd').sort()).toEqual([
      ['%d faidhlichean', '%d files'],
      ['Faidhle', 'File'],
      ['a', '%d file'],
    ]);
  });

  it('names the line and keyword of a syntax error, and the file of a broken .mo', async () => {
    const engine = tempEngine();
    const path = writeTemp('bad.po', 'msgid "a"\nmsgstr "b\n\nmsgid "c"\nmsgstr "d"\n\nmsgid "e"\nbogus\nmsgstr "f"\n');
    const r = await engine.call('pairs.import', { path, name: 'b', from: 'oc', to: 'fr' });
    expect(r.issues.map((i) => [i.line, i.field])).toEqual([
      [2, 'msgstr'],
      [8, 'line'],
    ]);
    expect(sides(engine, 'b')).toEqual([['d', 'c']]);
    const mo = writeTemp('bad.mo', Buffer.from('not a catalogue at all, no'));
    // Nothing of it can be stored, so the import is an error that names the problem.
    const m = await failure(engine.call('pairs.import', { path: mo, name: 'b2', from: 'oc', to: 'fr' }));
    expect(m.code).toBe('bad_data');
    expect(m.details[0]).toMatchObject({ file: mo, field: 'magic' });
  });
});

describe('word lists and FlagEmbedding JSONL', () => {
  it('reads a word list with comments and several translations per entry', async () => {
    const engine = tempEngine();
    const r = await engine.call('pairs.import', { path: writeTemp('w.tsv', '# oc-fr\nlenga\tlangue\tlangage\nostal\tmaison\nsolet\n'), format: 'wordlist', name: 'w', from: 'oc', to: 'fr' });
    expect(r).toMatchObject({ added: 3, bad: 1 });
    expect(r.issues[0]).toMatchObject({ line: 4, field: 'high' });
    expect(sides(engine, 'w')).toEqual([
      ['lenga', 'langue'],
      ['lenga', 'langage'],
      ['ostal', 'maison'],
    ]);
  });

  it('reads query, positives and negatives, and names the field of a bad line', async () => {
    const engine = tempEngine();
    const lines = [
      { query: 'la lenga', pos: ['la langue', 'le langage'], neg: ['la lente'] },
      { id: 7, query: 'lo país', pos: ['le pays'], weight: 0.5 },
      { query: 'x', pos: [] },
      { query: 'y', pos: ['Y'], neg: 'z' },
      { query: '', pos: ['Z'] },
    ];
    const path = writeTemp('f.jsonl', `${lines.map((l) => JSON.stringify(l)).join('\n')}\n{broken\n`);
    const r = await engine.call('pairs.import', { path, name: 'f', from: 'oc', to: 'fr' });
    expect(r).toMatchObject({ format: 'flagembedding', added: 3, bad: 4 });
    expect(r.issues.map((i) => [i.line, i.field])).toEqual([
      [3, 'pos'],
      [4, 'neg'],
      [5, 'query'],
      [6, undefined],
    ]);
    expect([...readPairs(engine.workspace.db, 'f')].map((p) => [p.low, p.high, p.weight, p.negatives, p.id])).toEqual([
      ['la lenga', 'la langue', 1, ['la lente'], expect.any(String)],
      ['la lenga', 'le langage', 1, ['la lente'], expect.any(String)],
      ['lo país', 'le pays', 0.5, [], '7'],
    ]);
  });
});

describe('export', () => {
  it.each(['flagembedding', 'tsv'] as const)('round-trips a set through %s: import(export(x)) is x', async (format) => {
    const engine = tempEngine();
    const lines = [
      { query: 'la lenga', pos: ['la langue', 'le langage'], neg: format === 'tsv' ? [] : ['la lente', 'une "langue"\tà\nlignes'] },
      { id: 'q7', query: 'lo país', pos: ['le pays'], weight: 0.25 },
    ];
    await engine.call('pairs.import', { path: writeTemp('f.jsonl', lines.map((l) => JSON.stringify(l)).join('\n')), name: 'x', from: 'oc', to: 'fr' });
    const out = join(tempDir(), format === 'tsv' ? 'x.tsv.gz' : 'x.jsonl');
    expect(await engine.call('pairs.export', { name: 'x', format, path: out })).toMatchObject({ pairs: 3 });
    const back = await engine.call('pairs.import', { path: out, name: 'y', from: 'oc', to: 'fr' });
    expect(back).toMatchObject({ added: 3, bad: 0 });
    const x = await engine.call('pairs.show', { name: 'x', sample: 10 });
    const y = await engine.call('pairs.show', { name: 'y', sample: 10 });
    expect(y.sample).toEqual(x.sample);
    expect(y.fingerprint).toBe(x.fingerprint);
  });
});
