import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitPassages } from '../../electron/engine/import/passages.ts';
import { minimalDocx, minimalPdf } from '../fixtures/office.ts';
import { tempDir, tempEngine } from '../helpers/workspace.ts';

describe('folder import', () => {
  it('imports .txt, .md, .html, .pdf and .docx files, one document per file, and reports other files', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'sub'));
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, 'notes.txt'), '\uFEFFLo pan de la vila es bon.\r\nLo vin tanben.\r\n');
    writeFileSync(join(dir, 'sub', 'guide.md'), '# La mar\n\nL’**aiga** es [salada](http://example.org).\n\n- un\n- dos\n');
    writeFileSync(
      join(dir, 'page.html'),
      '<html><head><title>La montanha</title><style>p{color:red}</style><script>var x = "no";</script></head>' +
        '<body><h1>Pics</h1><p>La neu cai sus la montanha.</p><p>Los pastres davalan.</p></body></html>',
    );
    writeFileSync(join(dir, 'report.pdf'), minimalPdf(['Lo riu passa per la vila.', 'Los peissons i nadan.'], 'Lo riu'));
    writeFileSync(join(dir, 'letter.docx'), minimalDocx(['Car amic,', 'La fèsta es deman.']));
    writeFileSync(join(dir, 'table.xlsx'), 'not really a spreadsheet');
    writeFileSync(join(dir, 'broken.pdf'), 'this is not a PDF');
    writeFileSync(join(dir, '.git', 'config'), 'hidden');

    const engine = tempEngine();
    const r = await engine.call('collection.import', { path: dir, name: 'docs', lang: 'oc' });
    expect(r).toMatchObject({ format: 'folder', added: 5, bad: 1, warnings: 1 });
    expect(r.issues).toEqual([
      { severity: 'error', file: 'broken.pdf', reason: expect.stringContaining('cannot read this file') },
      { severity: 'warning', file: 'table.xlsx', reason: expect.stringContaining('.xlsx files are not supported') },
    ]);
    const rows = engine.workspace.db.prepare('SELECT ext_id AS id, title, text, source FROM documents ORDER BY ext_id').all() as {
      id: string;
      title: string;
      text: string;
      source: string;
    }[];
    expect(rows.map((d) => [d.id, d.title])).toEqual([
      ['letter.docx', 'letter'],
      ['notes.txt', 'notes'],
      ['page.html', 'La montanha'],
      ['report.pdf', 'Lo riu'],
      ['sub/guide.md', 'La mar'],
    ]);
    const text = Object.fromEntries(rows.map((d) => [d.id, d.text]));
    expect(text['notes.txt']).toBe('Lo pan de la vila es bon. Lo vin tanben.');
    expect(text['page.html']).toBe('Pics\n\nLa neu cai sus la montanha.\n\nLos pastres davalan.');
    expect(text['report.pdf']).toBe('Lo riu passa per la vila. Los peissons i nadan.');
    expect(text['letter.docx']).toBe('Car amic,\n\nLa fèsta es deman.');
    expect(text['sub/guide.md']).toBe('L’aiga es salada.\n\nun dos');
    expect(rows.find((d) => d.id === 'sub/guide.md')?.source).toBe(join(dir, 'sub', 'guide.md'));
  });

  it('splits a long file into passages path#1, path#2… that keep the file title and source', async () => {
    const dir = tempDir();
    const sentence = (i: number) => `Aquesta es la frasa numèro ${i} del libre, amb qualques mots de mai.`;
    const paragraphs = Array.from({ length: 6 }, (_, p) => Array.from({ length: 5 }, (_, s) => sentence(p * 5 + s)).join(' '));
    writeFileSync(join(dir, 'libre.txt'), paragraphs.join('\n\n'));
    const engine = tempEngine();
    const r = await engine.call('collection.import', { path: dir, name: 'l', lang: 'oc', passageWords: 40 });
    const rows = engine.workspace.db.prepare('SELECT ext_id, title, text, metadata, source FROM documents ORDER BY id').all() as {
      ext_id: string;
      title: string;
      text: string;
      metadata: string;
      source: string;
    }[];
    expect(r.added).toBe(rows.length);
    expect(rows.length).toBeGreaterThan(4);
    rows.forEach((d, i) => {
      expect(d.ext_id).toBe(`libre.txt#${i + 1}`);
      expect(d.title).toBe('libre');
      expect(d.source).toBe(join(dir, 'libre.txt'));
      expect(JSON.parse(d.metadata)).toEqual({ passage: i + 1, passages: rows.length });
      expect(d.text.split(/\s+/).length).toBeLessThanOrEqual(40);
      expect(d.text).toMatch(/^Aquesta.*\.$/s);
    });
    expect(rows.map((d) => d.text).join(' ').replace(/\s+/g, ' ')).toBe(paragraphs.join(' '));
  });
});

describe('splitPassages', () => {
  it('keeps a short text whole and cuts at sentence boundaries, a sentence longer than a passage between words', () => {
    expect(splitPassages('Un. Dos.', 10)).toEqual(['Un. Dos.']);
    expect(splitPassages('Un dos tres. Quatre cinc sièis. Sèt.', 4)).toEqual(['Un dos tres.', 'Quatre cinc sièis. Sèt.']);
    expect(splitPassages('a b c d e f g', 3)).toEqual(['a b c', 'd e f', 'g']);
    expect(splitPassages('\n\n  \n', 10)).toEqual([]);
  });

  it('prefers a paragraph end once a passage is mostly full', () => {
    expect(splitPassages('Un dos tres.\n\nQuatre cinc.', 4)).toEqual(['Un dos tres.', 'Quatre cinc.']);
    expect(splitPassages('Un.\n\nDos.', 4)).toEqual(['Un.\n\nDos.']);
  });
});
