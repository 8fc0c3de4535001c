import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/api/engine.ts';
import { PontError } from '../../electron/engine/errors.ts';
import type { Progress } from '../../electron/engine/jobs/progress.ts';
import { writeTsvCollection } from '../fixtures/generate.ts';
import { tempDir, tempEngine } from '../helpers/workspace.ts';

/** Starts an import and cancels it at its first progress event, as Ctrl-C in the CLI does. */
async function cancelledImport(engine: Engine, path: string): Promise<PontError> {
  const abort = new AbortController();
  const e = await engine
    .call('collection.import', { path, name: 'c', lang: 'fr' }, { signal: abort.signal, onProgress: () => abort.abort() })
    .then(
      () => undefined,
      (err: unknown) => err,
    );
  expect(e).toBeInstanceOf(PontError);
  return e as PontError;
}

function documentIds(engine: Engine): string[] {
  return engine.workspace.db.prepare('SELECT ext_id FROM documents ORDER BY ext_id').pluck().all() as string[];
}

describe('interrupted imports', () => {
  it.each(['plain', 'gzip'])('stops when cancelled, at a committed checkpoint, and resumes from it to the same result as a clean import (%s)', async (kind) => {
    const plain = join(tempDir(), 'big.tsv');
    const { lines } = writeTsvCollection(plain, { lines: 200_000 });
    const file = kind === 'gzip' ? `${plain}.gz` : plain;
    if (kind === 'gzip') writeFileSync(file, gzipSync(readFileSync(plain)));
    const engine = tempEngine();
    const e = await cancelledImport(engine, file);
    expect(e.code).toBe('cancelled');
    const row = engine.workspace.db.prepare('SELECT state, checkpoint FROM imports').get() as { state: string; checkpoint: string };
    expect(row.state).toBe('cancelled');
    const cp = JSON.parse(row.checkpoint) as { line: number; counts: { added: number } };
    const partial = documentIds(engine).length;
    expect(partial).toBe(cp.counts.added);
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(lines);
    expect((await engine.call('collection.list', {}))[0]).toMatchObject({ incompleteImport: true });

    const resumed = await engine.call('collection.import', { path: file, name: 'c', lang: 'fr' });
    expect(resumed.resumedFromLine).toBe(cp.line + 1);
    expect(resumed).toMatchObject({ added: lines, bad: 0 });
    expect((await engine.call('collection.list', {}))[0]).toMatchObject({ documents: lines, incompleteImport: false });

    const clean = tempEngine();
    await clean.call('collection.import', { path: file, name: 'c', lang: 'fr' });
    expect(documentIds(engine)).toEqual(documentIds(clean));
  });

  it('rolls back an interrupted import whose source has changed since, and says so', async () => {
    const file = join(tempDir(), 'big.tsv');
    writeTsvCollection(file, { lines: 200_000 });
    const engine = tempEngine();
    // A document that an earlier, finished import added must survive the rollback of a later one.
    const other = join(tempDir(), 'other.tsv');
    writeFileSync(other, 'keep-me\tfrom another file\n');
    await engine.call('collection.import', { path: other, name: 'c', lang: 'fr' });
    await cancelledImport(engine, file);
    expect(documentIds(engine).length).toBeGreaterThan(1);

    writeFileSync(file, 'n1\tnew one\nn2\tnew two\n');
    appendFileSync(file, 'n3\tnew three\n');
    const r = await engine.call('collection.import', { path: file, name: 'c', lang: 'fr' });
    expect(r.resumedFromLine).toBeUndefined();
    expect(r.added).toBe(3);
    expect(r.notes).toHaveLength(1);
    expect(r.notes[0]).toMatch(/has changed since: rolled back, removing the \d+ documents it had added; the import started again from the top$/);
    expect(documentIds(engine)).toEqual(['keep-me', 'n1', 'n2', 'n3']);
    expect(engine.workspace.db.prepare('SELECT state FROM imports ORDER BY id').pluck().all()).toEqual(['done', 'rolled_back', 'done']);
  });

  it('rolls back an unfinished import on request, keeping what other imports added', async () => {
    const file = join(tempDir(), 'big.tsv');
    writeTsvCollection(file, { lines: 200_000 });
    const engine = tempEngine();
    const other = join(tempDir(), 'other.tsv');
    writeFileSync(other, 'keep-me\tfrom another file\n');
    await engine.call('collection.import', { path: other, name: 'c', lang: 'fr' });
    await cancelledImport(engine, file);
    const [unfinished, done] = await engine.call('collection.imports', { name: 'c' });
    expect(unfinished).toMatchObject({ id: 2, state: 'cancelled' });
    expect(done).toMatchObject({ id: 1, state: 'done' });
    const r = await engine.call('import.rollback', { id: 2 });
    expect(r.message).toMatch(/^import #2 rolled back, removing the \d+ documents it had added$/);
    expect(documentIds(engine)).toEqual(['keep-me']);
    expect((await engine.call('collection.list', {}))[0]).toMatchObject({ documents: 1, incompleteImport: false });
    const again = await engine.call('import.rollback', { id: 1 }).catch((e: unknown) => e);
    expect((again as PontError).code).toBe('conflict');
    expect(((await engine.call('import.rollback', { id: 9 }).catch((e: unknown) => e)) as PontError).code).toBe('not_found');
  });

  it('refuses to run the same import twice at once', async () => {
    const file = join(tempDir(), 'c.tsv');
    // Big enough that the first import is far from done when the second one starts.
    const { lines } = writeTsvCollection(file, { lines: 400_000 });
    const engine = tempEngine();
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const first = engine.call('collection.import', { path: file, name: 'c', lang: 'fr' }, { onProgress: () => started() });
    await running;
    const second = await engine.call('collection.import', { path: file, name: 'c', lang: 'fr' }).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(PontError);
    expect((second as PontError).code).toBe('conflict');
    expect((second as PontError).message).toContain('already running');
    expect(await first).toMatchObject({ added: lines });
  });

  it('resumes a folder import after the files already done', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'docs'));
    for (let i = 0; i < 5; i++) writeFileSync(join(dir, 'docs', `f${i}.txt`), `Lo document numèro ${i}.`);
    const engine = tempEngine();
    const abort = new AbortController();
    const e = await engine
      .call('collection.import', { path: join(dir, 'docs'), name: 'c', lang: 'oc' }, { signal: abort.signal, onProgress: () => abort.abort() })
      .catch((err: unknown) => err);
    expect((e as PontError).code).toBe('cancelled');
    expect(documentIds(engine)).toEqual(['f0.txt']);
    const r = await engine.call('collection.import', { path: join(dir, 'docs'), name: 'c', lang: 'oc' });
    expect(r).toMatchObject({ resumedAfterFiles: 1, added: 5 });
    expect(documentIds(engine)).toEqual(['f0.txt', 'f1.txt', 'f2.txt', 'f3.txt', 'f4.txt']);
  });

  it('reports progress with records, bytes, rate and ETA', async () => {
    const file = join(tempDir(), 'c.tsv');
    const { lines, bytes } = writeTsvCollection(file, { lines: 50_000 });
    const engine = tempEngine();
    const events: Progress[] = [];
    await engine.call('collection.import', { path: file, name: 'c', lang: 'fr' }, { onProgress: (p) => events.push(p) });
    expect(events.length).toBeGreaterThan(0);
    expect(events[0]).toMatchObject({ phase: 'importing', unit: 'documents', bytesTotal: bytes, rate: expect.any(Number), etaSeconds: expect.any(Number) });
    expect(events.at(-1)).toMatchObject({ done: lines, bytesDone: bytes, bytesTotal: bytes, etaSeconds: 0 });
  });
});
