import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { guessVariety, type Variety } from '../../renderer/src/lib/varieties.ts';
import { classify, segments } from '../../renderer/src/lib/search.ts';
import { readEvents } from '../../renderer/src/lib/sse.ts';
import { en } from '../../renderer/src/i18n/en.ts';
import { fr } from '../../renderer/src/i18n/fr.ts';
import { it as italian } from '../../renderer/src/i18n/it.ts';
import { oc } from '../../renderer/src/i18n/oc.ts';
import { ca } from '../../renderer/src/i18n/ca.ts';
import { scn } from '../../renderer/src/i18n/scn.ts';

function queries(file: string): string[] {
  return readFileSync(`resources/demo/${file}`, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t')[1]!);
}

describe('variety guesser', () => {
  // The demo's query sets were written for the demo, not for the guesser; its samples are its own text.
  const sets: [Variety, string][] = [
    ['oc', 'queries-oc.tsv'],
    ['ca', 'queries-ca.tsv'],
    ['scn', 'queries-scn.tsv'],
    ['af', 'queries-af.tsv'],
  ];

  it.each(sets)('recognises most %s queries of the demo (short, 2 to 6 words)', (variety, file) => {
    const qs = queries(file);
    const right = qs.filter((q) => guessVariety(q)?.variety === variety).length;
    console.log(`variety guesser: ${variety} ${right}/${qs.length}`);
    // Measured when written: oc 35/40, ca 33/40, scn 20/20, af 18/20.
    expect(right / qs.length).toBeGreaterThanOrEqual(0.75);
  });

  it.each([['fr'], ['it'], ['nl']] as [Variety][])('recognises most %s document titles of the demo', (variety) => {
    const titles = readFileSync(`resources/demo/${variety}.jsonl`, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { title: string }).title);
    const right = titles.filter((t) => guessVariety(t)?.variety === variety).length;
    console.log(`variety guesser: ${variety} titles ${right}/${titles.length}`);
    // Measured when written: fr 148/200, it 24/40, nl 29/40 (titles are two to four words).
    expect(right / titles.length).toBeGreaterThanOrEqual(0.55);
  });

  it('says nothing about a text too short to tell', () => {
    expect(guessVariety('a')).toBeUndefined();
    expect(guessVariety('')).toBeUndefined();
  });

  it('tells longer sentences apart reliably', () => {
    expect(guessVariety("L'occitan es una lenga parlada dins lo miègjorn de França, ont los trobadors cantavan")?.variety).toBe('oc');
    expect(guessVariety('El català és una llengua que es parla a Catalunya, al País Valencià i a les Illes Balears')?.variety).toBe('ca');
    expect(guessVariety('Afrikaans is die taal wat ons elke dag in die huis en op straat praat')?.variety).toBe('af');
    expect(guessVariety('Lu sicilianu è na lingua ca si parra nta tutta la Sicilia e nta lu Salentu')?.variety).toBe('scn');
  });
});

describe('highlights', () => {
  it('marks spans inside words as partial (n-gram) matches and whole words as full ones', () => {
    const text = "L'occitan e la lenga occitana";
    const hl = classify(text, [
      { start: 2, end: 9 },
      { start: 21, end: 27 },
      { start: 40, end: 50 },
    ]);
    expect(hl).toEqual([
      { start: 2, end: 9, partial: false },
      { start: 21, end: 27, partial: true },
    ]);
    expect(segments(text, hl)).toEqual([
      { text: "L'" },
      { text: 'occitan', mark: 'full' },
      { text: ' e la lenga ' },
      { text: 'occita', mark: 'partial' },
      { text: 'na' },
    ]);
  });
});

describe('server-sent events reader', () => {
  it('reassembles events split across chunks and multi-byte characters', async () => {
    const text = 'event: progress\ndata: {"done":1,"unit":"documents","phase":"lectura òc"}\n\nevent: result\ndata: {"ok":true}\n\n';
    const bytes = new TextEncoder().encode(text);
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < bytes.length; i += 7) c.enqueue(bytes.slice(i, i + 7));
        c.close();
      },
    });
    const events = [];
    for await (const e of readEvents(body)) events.push({ event: e.event, data: JSON.parse(e.data) as unknown });
    expect(events).toEqual([
      { event: 'progress', data: { done: 1, unit: 'documents', phase: 'lectura òc' } },
      { event: 'result', data: { ok: true } },
    ]);
  });
});

describe('message catalogues', () => {
  const placeholders = (m: unknown): string[] =>
    [...new Set((typeof m === 'string' ? m : Object.values(m as object).join(' ')).match(/\{\w+\}/g) ?? [])].sort();

  it.each(Object.entries({ fr, it: italian, oc, ca, scn }))('%s uses the same placeholders as English in every message', (_lang, cat) => {
    for (const [key, message] of Object.entries(en)) {
      const theirs = (cat as Record<string, unknown>)[key];
      expect(theirs, key).toBeDefined();
      // A plural form may leave out {count} when the word itself says it ("nàutru"), but never invent one.
      const expected = placeholders(message).filter((p) => !(p === '{count}' && typeof theirs !== 'string'));
      for (const p of expected) expect(placeholders(theirs), `${key} misses ${p}`).toContain(p);
      for (const p of placeholders(theirs)) expect(placeholders(message), `${key} has an unknown ${p}`).toContain(p);
    }
  });
});
