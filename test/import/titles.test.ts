import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractHtml } from '../../electron/engine/import/extract/html.ts';
import { titleFromFirstLine } from '../../electron/engine/import/extract/title.ts';
import { fileTitle } from '../../electron/engine/import/folder.ts';
import { minimalDocx } from '../fixtures/office.ts';
import { tempDir, tempEngine } from '../helpers/workspace.ts';

describe('titles of imported documents come from the documents (issue 11)', () => {
  it('plain text: a short first line set apart is the title, and leaves the body; a sentence is not', () => {
    expect(titleFromFirstLine('Lo castèl de Carcassona\n\nLa ciutat es sus una colina.')).toEqual({ title: 'Lo castèl de Carcassona', text: 'La ciutat es sus una colina.' });
    expect(titleFromFirstLine('Las fèstas\nCada estiu, lo vilatge fa fèsta.')).toEqual({ title: 'Las fèstas', text: 'Cada estiu, lo vilatge fa fèsta.' });
    for (const text of ['La ciutat es sus una colina.\nE es bèla.', 'Un sol linha sens títol', 'Car amic,\nLa fèsta es deman.']) {
      expect(titleFromFirstLine(text).title).toBeNull();
    }
  });

  it('HTML: the <h1> that the <title> repeats is the title and is not in the body (snippets no longer repeat it)', () => {
    const page = extractHtml('<html><head><title>Lo castèl — Vila de Carcassona</title></head><body><h1>Lo castèl</h1><p>Las muralhas son vièlhas.</p></body></html>');
    expect(page).toEqual({ title: 'Lo castèl', text: 'Las muralhas son vièlhas.' });
    expect(extractHtml('<body><h1>Sens títol de pagina</h1><p>Tèxte.</p></body>')).toEqual({ title: 'Sens títol de pagina', text: 'Tèxte.' });
    // A heading that is not the title stays: it is part of the text.
    expect(extractHtml('<title>La montanha</title><h1>Pics</h1><p>Neu.</p>').text).toBe('Pics\n\nNeu.');
  });

  it('a file without a title is named readably: its name, with the extension when the name alone says nothing', () => {
    expect(fileTitle('sub/la-fèsta_de_vilatge.txt')).toBe('la fèsta de vilatge');
    expect(fileTitle('docs/c.txt')).toBe('c.txt');
  });

  it('folder import: .txt and .docx titled from their content (Title style, first heading), not "c"', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'c.txt'), 'Lo mercat de Tolosa\n\nCada dissabte, lo mercat es plen de monde.\n');
    writeFileSync(join(dir, 'd.docx'), minimalDocx([{ text: 'La fèsta de Sant Joan', style: 'Title' }, 'Los fuòcs s’alucan la nuèch.']));
    writeFileSync(join(dir, 'e.docx'), minimalDocx([{ text: 'Lo riu', style: 'Heading1' }, 'Passa per la vila.']));
    writeFileSync(join(dir, 'f.txt'), 'Pas de títol aicí, sonque una frasa.\n');
    const engine = tempEngine();
    await engine.call('collection.import', { path: dir, name: 'docs', lang: 'oc' });
    const rows = engine.workspace.db.prepare('SELECT ext_id, title, text FROM documents ORDER BY ext_id').raw().all();
    expect(rows).toEqual([
      ['c.txt', 'Lo mercat de Tolosa', 'Cada dissabte, lo mercat es plen de monde.'],
      ['d.docx', 'La fèsta de Sant Joan', 'Los fuòcs s’alucan la nuèch.'],
      ['e.docx', 'Lo riu', 'Passa per la vila.'],
      ['f.txt', 'f.txt', 'Pas de títol aicí, sonque una frasa.'],
    ]);
  });
});

describe('the name the user chose, and a sample to guess the language from (issue 11)', () => {
  it('stores an uploaded folder’s files under the name the user gave the folder, not the temporary upload path', async () => {
    const upload = tempDir();
    mkdirSync(join(upload, 'notas'));
    writeFileSync(join(upload, 'notas', 'c.txt'), 'Lo mercat\n\nPlen de monde.\n');
    const engine = tempEngine();
    const r = await engine.call('collection.import', { path: upload, name: 'n', lang: 'oc', shownAs: '' });
    expect(r.source).toBe('');
    expect(engine.workspace.db.prepare('SELECT ext_id, source FROM documents').raw().all()).toEqual([['notas/c.txt', 'notas/c.txt']]);
    const file = join(tempDir(), 'x.tsv');
    writeFileSync(file, 'a\tun\n');
    expect((await engine.call('collection.import', { path: file, name: 't', lang: 'oc', shownAs: 'mine.tsv' })).source).toBe('mine.tsv');
  });

  it('samples the text an import would read: documents of a folder, titles and texts of JSONL (not its field names)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.txt'), 'Lo castèl\n\nLas muralhas son vièlhas.');
    writeFileSync(join(dir, 'skip.xlsx'), 'no');
    const engine = tempEngine();
    expect(await engine.call('collection.sample', { path: dir })).toEqual({ text: 'Lo castèl\nLas muralhas son vièlhas.', documents: 1 });
    const jsonl = join(dir, 'c.jsonl');
    writeFileSync(jsonl, '{"id":"1","title":"La mar","text":"Es blava."}\n{"id":"2","text":"Lo cèl."}\n');
    expect((await engine.call('collection.sample', { path: jsonl })).text).toBe('La mar\nEs blava.\n\n\nLo cèl.');
  });
});
