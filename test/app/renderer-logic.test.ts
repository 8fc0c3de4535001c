import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { guessVariety, type Variety } from '../../renderer/src/lib/varieties.ts';
import { markWords, segments } from '../../renderer/src/lib/search.ts';
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
    // Measured when written: oc 35/40, ca 33/40, scn 20/20, af 17/20 (one Afrikaans query is an "I don't know").
    expect(right / qs.length).toBeGreaterThanOrEqual(0.75);
  });

  it.each([['fr'], ['it'], ['nl']] as [Variety][])('recognises most %s document titles of the demo', (variety) => {
    const titles = readFileSync(`resources/demo/${variety}.jsonl`, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { title: string }).title);
    const right = titles.filter((t) => guessVariety(t)?.variety === variety).length;
    console.log(`variety guesser: ${variety} titles ${right}/${titles.length}`);
    // Measured when written: fr 146/200, it 23/40, nl 25/40 (titles are two to four words; some get "I don't know").
    expect(right / titles.length).toBeGreaterThanOrEqual(0.55);
  });

  it('says nothing about a text too short to tell', () => {
    expect(guessVariety('a')).toBeUndefined();
    expect(guessVariety('')).toBeUndefined();
  });

  it('says "I don\'t know" about text in no variety it knows, instead of naming the least unlikely one', () => {
    for (const t of ['zzzqqqxxx', 'qwerty', 'xkcd bbq zzz', 'asdfgh jkl']) expect(guessVariety(t), t).toBeUndefined();
  });

  it('tells longer sentences apart reliably', () => {
    expect(guessVariety("L'occitan es una lenga parlada dins lo miègjorn de França, ont los trobadors cantavan")?.variety).toBe('oc');
    expect(guessVariety('El català és una llengua que es parla a Catalunya, al País Valencià i a les Illes Balears')?.variety).toBe('ca');
    expect(guessVariety('Afrikaans is die taal wat ons elke dag in die huis en op straat praat')?.variety).toBe('af');
    expect(guessVariety('Lu sicilianu è na lingua ca si parra nta tutta la Sicilia e nta lu Salentu')?.variety).toBe('scn');
  });
});

describe('highlights', () => {
  it('cuts text into plain and marked pieces, whole words only', () => {
    const text = "L'occitan e la lenga occitana";
    expect(segments(text, [{ start: 2, end: 9 }, { start: 21, end: 29 }])).toEqual([
      { text: "L'" },
      { text: 'occitan', mark: true },
      { text: ' e la lenga ' },
      { text: 'occitana', mark: true },
    ]);
  });

  it('marks the matched words in a document wherever they occur, never inside another word', () => {
    const text = 'Les langues et la langue occitane : le occitan, la Langue.';
    const got = markWords(text, ['langue', 'le']).map((h) => text.slice(h.start, h.end));
    expect(got).toEqual(['langue', 'le', 'Langue']);
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

describe('demo descriptions', () => {
  it('the English catalogue holds the manifest’s descriptions word for word, so the interface recognises them', () => {
    const manifest = JSON.parse(readFileSync('resources/demo/manifest.json', 'utf8')) as { collections: { name: string; description: string }[] };
    for (const c of manifest.collections) {
      expect((en as Record<string, unknown>)[`demo.${c.name}`], c.name).toBe(c.description);
      for (const cat of [fr, italian, oc, ca, scn]) expect((cat as Record<string, unknown>)[`demo.${c.name}`], c.name).not.toBe(c.description);
    }
  });
});
