import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { PontError } from '../../electron/engine/errors.ts';
import { readLines, type LineChunk, type LinePosition } from '../../electron/engine/import/lines.ts';
import { tempDir } from '../helpers/workspace.ts';

async function readAll(file: string, from?: LinePosition) {
  const lines: { n: number; text: string; bad: boolean }[] = [];
  let last: LineChunk | undefined;
  for await (const chunk of readLines(file, from)) {
    chunk.lines.forEach((text, i) => lines.push({ n: chunk.firstLine + i, text, bad: chunk.badEncoding?.includes(i) ?? false }));
    last = chunk;
  }
  return { lines, end: last?.end };
}

describe('readLines', () => {
  it('numbers lines exactly, strips a BOM and CR line ends, keeps blank lines for the caller to skip', async () => {
    const file = join(tempDir(), 'a.tsv');
    writeFileSync(file, '\uFEFFd1\tun\r\n\r\nd2\tdos\n  \nd3\ttres');
    const { lines, end } = await readAll(file);
    expect(lines.map((l) => [l.n, l.text])).toEqual([
      [1, 'd1\tun'],
      [2, ''],
      [3, 'd2\tdos'],
      [4, '  '],
      [5, 'd3\ttres'],
    ]);
    expect(end).toEqual({ line: 5, offset: Buffer.byteLength('\uFEFFd1\tun\r\n\r\nd2\tdos\n  \nd3\ttres') });
  });

  it('flags exactly the lines that are not UTF-8 and decodes the others', async () => {
    const file = join(tempDir(), 'latin1.tsv');
    writeFileSync(file, Buffer.concat([Buffer.from('d1\tbon\n'), Buffer.from('d2\tcaf\xe9\n', 'latin1'), Buffer.from('d3\tcafè\n')]));
    const { lines } = await readAll(file);
    expect(lines).toEqual([
      { n: 1, text: 'd1\tbon', bad: false },
      { n: 2, text: '', bad: true },
      { n: 3, text: 'd3\tcafè', bad: false },
    ]);
  });

  it('keeps multi-byte characters whole across read chunks', async () => {
    const file = join(tempDir(), 'long.tsv');
    const expected = Array.from({ length: 60_000 }, (_, i) => `d${i}\tòc çò èra 🌍 ${i}`);
    writeFileSync(file, `${expected.join('\n')}\n`);
    const { lines } = await readAll(file);
    expect(lines.every((l) => !l.bad)).toBe(true);
    expect(lines.map((l) => l.text)).toEqual(expected);
  });

  it('resumes at a checkpoint in plain and gzip files', async () => {
    const dir = tempDir();
    const text = Array.from({ length: 100_000 }, (_, i) => `d${i}\tline ${i}`).join('\n') + '\n';
    for (const [name, bytes] of [['p.tsv', Buffer.from(text)], ['g.tsv.gz', gzipSync(text)]] as const) {
      const file = join(dir, name);
      writeFileSync(file, bytes);
      const from = { line: 1234, offset: Buffer.byteLength(text.split('\n').slice(0, 1234).join('\n')) + 1 };
      const { lines } = await readAll(file, from);
      expect(lines[0]).toEqual({ n: 1235, text: 'd1234\tline 1234', bad: false });
      expect(lines.length).toBe(100_000 - 1234);
    }
  });

  it('reports a truncated gzip file with its name and the last complete line, after yielding the lines before it', async () => {
    const file = join(tempDir(), 'cut.tsv.gz');
    const text = Array.from({ length: 200_000 }, (_, i) => `d${i}\t${'texte '.repeat(i % 7)}${i}`).join('\n');
    const gz = gzipSync(text);
    writeFileSync(file, gz.subarray(0, Math.floor(gz.length / 2)));
    const got: string[] = [];
    let error: unknown;
    try {
      for await (const chunk of readLines(file)) got.push(...chunk.lines);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PontError);
    const e = error as PontError;
    expect(e.code).toBe('bad_data');
    expect(e.message).toContain(file);
    expect(e.message).toContain('truncated');
    expect(e.message).toContain(`line ${got.length}`);
    expect(got.length).toBeGreaterThan(1000);
    expect(got.at(-1)).toBe(`d${got.length - 1}\t${'texte '.repeat((got.length - 1) % 7)}${got.length - 1}`);
  });
});
