import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { engineMessages, englishMessage, type MessageId } from '../../electron/engine/messages.ts';
import { PontError } from '../../electron/engine/errors.ts';
import { errorCatalogues } from '../../renderer/src/i18n/errors/index.ts';

const ids = Object.keys(engineMessages) as MessageId[];
const placeholders = (s: string) => new Set([...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!));

describe('engine messages', () => {
  it.each(Object.keys(errorCatalogues))('the %s catalogue has every message id, and nothing else', (lang) => {
    const cat = errorCatalogues[lang as keyof typeof errorCatalogues];
    expect(Object.keys(cat).sort()).toEqual([...ids].sort());
    for (const id of ids) {
      const text = cat[id];
      expect(text.trim().length, `${lang} ${id}`).toBeGreaterThan(0);
      // An interface text may leave out a parameter (a path, an English reason), never invent one.
      const known = placeholders(engineMessages[id]);
      for (const p of placeholders(text)) expect(known.has(p), `${lang} ${id}: {${p}}`).toBe(true);
      // No command-line advice: the form's own controls are named instead.
      expect(text, `${lang} ${id}`).not.toMatch(/--[a-z]|\bpont (?:index|serve|pack|search|collection|queries|qrels|run|runs|model|pairs|dense|eval|experiment)\b/);
    }
  });

  it('the command line keeps its English texts, with their parameters filled', () => {
    const e = new PontError('invalid_input', 'format.unknown', { name: 'c.dat' });
    expect(e.message).toBe('cannot tell the format of c.dat from its name; pass --format tsv or --format jsonl');
    expect(e.toJSON()).toMatchObject({ id: 'format.unknown', params: { name: 'c.dat' }, code: 'invalid_input' });
    expect(englishMessage('index.none', { collection: 'x' })).toContain('pont index build --collection x');
  });

  it('every PontError raised in the sources names a message id of the registry', () => {
    // The type checker enforces it for literals; this catches ids built at run time.
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith('.ts')) files.push(p);
      }
    };
    walk('electron');
    const used = new Set<string>();
    for (const f of files) {
      for (const m of readFileSync(f, 'utf8').matchAll(/new PontError\(\s*[^,]+,\s*'([^']+)'/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(50);
    for (const id of used) expect(ids, id).toContain(id);
  });
});

describe('progress words', () => {
  it('every phase and unit the engine reports (as a literal) has a catalogue entry, so progress bars speak the user’s language', async () => {
    const { en } = await import('../../renderer/src/i18n/en.ts');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith('.ts')) files.push(p);
      }
    };
    walk('electron');
    const missing: string[] = [];
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      for (const m of text.matchAll(/\bphase: '([^']+)'/g)) if (!(`phase.${m[1]!.replaceAll(' ', '-')}` in en)) missing.push(`${f}: phase ${m[1]}`);
      for (const m of text.matchAll(/\bunit: '([^']+)'/g)) if (m[1] !== 'B' && !(`unit.${m[1]}` in en)) missing.push(`${f}: unit ${m[1]}`);
    }
    expect(missing).toEqual([]);
  });
});
