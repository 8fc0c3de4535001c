import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, readSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPack, type BuildPackOptions } from '../../electron/engine/packs/build.ts';
import { installBundledPacks, installPack } from '../../electron/engine/packs/install.ts';
import { openPack } from '../../electron/engine/packs/read.ts';
import { generateKeys } from '../../electron/engine/packs/signing.ts';
import { listInstalled, removeInstalled } from '../../electron/engine/packs/store.ts';
import { verifyPackFile } from '../../electron/engine/packs/verify.ts';
import { shiftDocIds } from '../../electron/engine/packs/kinds/collection.ts';
import { encodeDocIds, decodeDocIds } from '../../electron/engine/lexical/codec.ts';
import { importCollection } from '../../electron/engine/import/importer.ts';
import { noJob } from '../../electron/engine/jobs/progress.ts';
import { PontError } from '../../electron/engine/errors.ts';
import { Engine } from '../../electron/api/engine.ts';
import { Workspace } from '../../electron/engine/store/workspace.ts';
import { tempDir, tempWorkspace } from '../helpers/workspace.ts';
import { repoRoot } from '../cli/run-cli.ts';
import { dumpHash, listing, seedItalian } from './helpers.ts';

const items: BuildPackOptions['items'] = [
  { kind: 'collection', name: 'demo-it' },
  { kind: 'queries', name: 'demo-scn' },
];

async function source(): Promise<Workspace> {
  const ws = tempWorkspace();
  // Another collection first, so that the pack's document ids do not start at 1.
  writeFileSync(join(ws.dir, 'other.tsv'), 'a\tun testo qualunque\nb\tun altro testo\n');
  await importCollection(ws.db, { path: join(ws.dir, 'other.tsv'), name: 'other', lang: 'it', strict: true }, noJob);
  await seedItalian(ws.db);
  return ws;
}

async function hits(ws: Workspace, query: string, index?: string) {
  const r = await new Engine(ws).call('search', { collection: 'demo-it', query, k: 10, ...(index ? { index } : {}) });
  return r.hits.map((h) => [h.id, h.score.toFixed(6), h.snippet]);
}

/** Flips one byte in the middle of a tar member, as a bad USB stick or a tamperer would. */
function tamper(file: string, member: string): void {
  const pack = openPack(file);
  const m = pack.members.get(member)!;
  pack.close();
  const fd = openSync(file, 'r+');
  const b = Buffer.alloc(1);
  const at = m.offset + Math.floor(m.size / 2);
  readSync(fd, b, 0, 1, at);
  b[0] = b[0]! ^ 0xff;
  writeSync(fd, b, 0, 1, at);
  closeSync(fd);
}

describe('content packs', () => {
  it('shifting a delta-coded id list changes only its first number', () => {
    for (const ids of [[1], [5, 6, 200, 100_000], [127, 128, 16_384]]) {
      for (const off of [0, 1, 1000, -4, 2 ** 28]) {
        if (ids[0]! + off < 0) continue;
        expect(Array.from(decodeDocIds(shiftDocIds(encodeDocIds(ids), off), ids.length))).toEqual(ids.map((x) => x + off));
      }
    }
  });

  it('round trip: a collection with both indexes and a query set with qrels search the same after install, nothing rebuilt', async () => {
    const a = await source();
    const file = join(tempDir(), 'sicily.pontpack');
    const built = await buildPack(a, { output: file, title: 'Sicilia', licence: 'CC-BY-4.0', items, defaults: { language: 'scn', variety: 'scn' } }, noJob);
    expect(built.items.map((i) => i.name)).toEqual(['demo-it', 'demo-scn']);

    const b = tempWorkspace();
    writeFileSync(join(b.dir, 'mine.tsv'), 'x\tdocumento mio\ny\tdocumento tuo\nz\tterzo\n');
    await importCollection(b.db, { path: join(b.dir, 'mine.tsv'), name: 'mine', lang: 'it', strict: true }, noJob);
    const r = await installPack(b, file, {}, noJob);
    expect(r.installed).toEqual([{ kind: 'collection', name: 'demo-it' }, { kind: 'queries', name: 'demo-scn' }]);
    expect(r.signature.state).toBe('unsigned');
    for (const q of ['Etna vulcanu', 'pisci spada a Missina', 'opira dî pupi']) {
      expect((await hits(a, q)).length).toBeGreaterThan(0);
      expect(await hits(b, q)).toEqual(await hits(a, q));
      expect(await hits(b, q, 'words-it')).toEqual(await hits(a, q, 'words-it'));
    }
    const count = (ws: Workspace, sql: string) => ws.db.prepare(sql).pluck().get();
    expect(count(b, "SELECT count(*) FROM qrels JOIN query_sets s ON s.id = query_set_id WHERE s.name = 'demo-scn'")).toBe(
      count(a, "SELECT count(*) FROM qrels JOIN query_sets s ON s.id = query_set_id WHERE s.name = 'demo-scn'"),
    );
    expect(count(b, "SELECT count(*) FROM lexical_indexes WHERE state = 'ready'")).toBe(2);
    // Nothing pending: the installed indexes are complete, and adding a document later updates them as usual.
    expect(count(b, 'SELECT count(*) FROM lexical_changes')).toBe(0);
    expect(listInstalled(b.db)[0]).toMatchObject({ name: 'sicily', title: 'Sicilia', licence: 'CC-BY-4.0', defaults: { language: 'scn', variety: 'scn' } });
    expect(await new Engine(b).call('pack.defaults', {})).toEqual({ language: 'scn', variety: 'scn' });
    // The same pack again is a no-op; removing it removes exactly its items.
    expect((await installPack(b, file, {}, noJob)).alreadyInstalled).toBe(true);
    expect(removeInstalled(b, 'sicily').items).toHaveLength(2);
    expect(b.db.prepare('SELECT name FROM collections').pluck().all()).toEqual(['mine']);
    // Its choice of interface language and variety goes with it.
    expect(await new Engine(b).call('pack.defaults', {})).toEqual({});
    expect(listing(b.dir).some((f) => f.includes('staging'))).toBe(false);
  });

  it('signed packs: verified and trusted; a workspace that trusts keys refuses unsigned and unknown signers', async () => {
    const a = await source();
    const dir = tempDir();
    const partner = generateKeys(join(dir, 'partner'));
    const stranger = generateKeys(join(dir, 'stranger'));
    const signed = join(dir, 'signed.pontpack');
    const unsigned = join(dir, 'unsigned.pontpack');
    const foreign = join(dir, 'foreign.pontpack');
    await buildPack(a, { output: signed, items, sign: partner.privateKey }, noJob);
    await buildPack(a, { output: unsigned, items: [{ kind: 'collection', name: 'other' }] }, noJob);
    await buildPack(a, { output: foreign, name: 'foreign', items: [{ kind: 'collection', name: 'other' }], sign: stranger.privateKey }, noJob);
    expect((await verifyPackFile(signed, [partner.publicKey], noJob)).signature).toEqual({ state: 'valid', keyId: partner.keyId, trusted: true });

    const b = tempWorkspace();
    const r = await installPack(b, signed, { trust: [partner.publicKey] }, noJob);
    expect(r.signature).toEqual({ state: 'valid', keyId: partner.keyId, trusted: true });
    expect(b.db.prepare('SELECT signer FROM packs').pluck().get()).toBe(partner.keyId);
    // The partner's key is now remembered: unsigned packs and other signers are refused unless allowed.
    await expect(installPack(b, unsigned, {}, noJob)).rejects.toThrow(/is not signed; nothing was installed/);
    await expect(installPack(b, foreign, {}, noJob)).rejects.toThrow(new RegExp(`signed by key ${stranger.keyId}, which this workspace does not trust`));
    expect((await installPack(b, unsigned, { allowUntrusted: true }, noJob)).signature.state).toBe('unsigned');
  });

  it('a tampered part is named, and neither the database nor the folder of the workspace changes', async () => {
    const a = await source();
    const dir = tempDir();
    const file = join(dir, 'p.pontpack');
    const key = generateKeys(join(dir, 'k'));
    await buildPack(a, { output: file, items, sign: key.privateKey }, noJob);
    tamper(file, 'parts/002-queries.sqlite');
    const b = tempWorkspace();
    await seedItalian(b.db, 'mine', 'mine-q');
    const before = { dump: dumpHash(b.db), files: listing(b.dir) };
    const err = await installPack(b, file, {}, noJob).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PontError);
    expect((err as PontError).code).toBe('bad_data');
    expect((err as PontError).message).toContain('part parts/002-queries.sqlite (queries demo-scn) does not match its sha256');
    expect((err as PontError).details[0]).toMatchObject({ field: 'parts/002-queries.sqlite' });
    expect(dumpHash(b.db)).toBe(before.dump);
    expect(listing(b.dir)).toEqual(before.files);
    await expect(verifyPackFile(file, [], noJob)).rejects.toThrow(/parts\/002-queries.sqlite/);

    // A manifest edited after signing (here: a title) fails its signature, whatever the parts.
    const good = join(dir, 'good.pontpack');
    await buildPack(a, { output: good, title: 'Sicilia', items, sign: key.privateKey }, noJob);
    const bytes = readFileSync(good);
    writeFileSync(good, Buffer.from(bytes.toString('latin1').replace('"title": "Sicilia"', '"title": "Sicilie"'), 'latin1'));
    await expect(installPack(b, good, {}, noJob)).rejects.toThrow(/manifest.json does not match its signature/);
    expect(dumpHash(b.db)).toBe(before.dump);
  });

  it('name clashes are conflicts unless replacing', async () => {
    const a = await source();
    const file = join(tempDir(), 'p.pontpack');
    await buildPack(a, { output: file, items }, noJob);
    const b = tempWorkspace();
    await seedItalian(b.db);
    const err = (await installPack(b, file, {}, noJob).catch((e: unknown) => e)) as PontError;
    expect(err.code).toBe('conflict');
    expect(err.details.map((d) => d.reason)).toEqual(['collection demo-it already exists', 'queries demo-scn already exists']);
    const r = await installPack(b, file, { replace: true }, noJob);
    expect(r.replaced).toHaveLength(2);
    expect(await hits(b, 'Etna vulcanu')).toEqual(await hits(a, 'Etna vulcanu'));
  });

  it('kill -9 during an installation: the workspace is untouched, and the same installation resumes with the parts it had', async () => {
    const a = await source();
    const file = join(tempDir(), 'p.pontpack');
    await buildPack(a, { output: file, items }, noJob);
    const wsDir = tempDir();
    const b = Workspace.open(wsDir);
    const before = dumpHash(b.db);
    b.close();
    const child = spawnSync(process.execPath, [join(repoRoot, 'test/packs/install-child.ts'), wsDir, file, '1'], { encoding: 'utf8' });
    expect(child.signal).toBe('SIGKILL');
    const c = Workspace.open(wsDir);
    try {
      expect(dumpHash(c.db)).toBe(before);
      const r = await installPack(c, file, {}, noJob);
      expect(r.resumedParts).toBe(1);
      expect(await hits(c, 'Etna vulcanu')).toEqual(await hits(a, 'Etna vulcanu'));
      expect(listing(wsDir).some((f) => f.includes('staging'))).toBe(false);
    } finally {
      c.close();
    }
  });

  it('first start installs the packs shipped in resources/packs once, and never again after the user removes one', async () => {
    const a = await source();
    const dir = tempDir();
    await buildPack(a, { output: join(dir, 'sicily.pontpack'), items }, noJob);
    writeFileSync(join(dir, 'broken.pontpack'), 'not a pack');
    const b = tempWorkspace();
    const first = await installBundledPacks(b, dir);
    expect(first.installed.map((r) => r.pack)).toEqual(['sicily']);
    expect(first.failed).toHaveLength(1);
    expect(first.failed[0]!.file).toContain('broken.pontpack');
    expect((await installBundledPacks(b, dir)).skipped).toHaveLength(1);
    removeInstalled(b, 'sicily');
    expect((await installBundledPacks(b, dir)).installed).toHaveLength(0);
    expect(listInstalled(b.db)).toEqual([]);
    expect((await installBundledPacks(b, join(dir, 'absent'))).installed).toEqual([]);
  });
});
