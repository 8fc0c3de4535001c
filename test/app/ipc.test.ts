import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { loadContract } from '../../electron/api/contract/index.ts';
import { EngineClient } from '../../electron/ipc/client.ts';
import { serveEngine } from '../../electron/ipc/dispatch.ts';
import { portTransport } from '../../electron/ipc/ports.ts';
import { createPreloadApi } from '../../electron/ipc/preload-api.ts';
import { isMessage, RemoteError, type Reply, type Request } from '../../electron/ipc/protocol.ts';
import { Relay } from '../../electron/ipc/relay.ts';
import { startEngineWorker } from '../../electron/ipc/worker.ts';
import type { Progress } from '../../electron/engine/jobs/progress.ts';
import { tempDir, tempEngine } from '../helpers/workspace.ts';

const ports: { close(): void }[] = [];
afterEach(() => {
  for (const p of ports.splice(0)) p.close();
});

/** An engine served on one end of a MessageChannel, as the utility process serves it on its parentPort. */
function served() {
  const engine = tempEngine();
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  serveEngine(portTransport<Reply>(port1), engine);
  return { engine, port: port2 };
}

function bigTsv(lines: number): string {
  const file = join(tempDir(), 'big.tsv');
  writeFileSync(file, Array.from({ length: lines }, (_, i) => `d${i}\tLo solelh e la luna, la mar e lo vent, numèro ${i}`).join('\n'));
  return file;
}

async function failure(p: Promise<unknown>): Promise<RemoteError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(RemoteError);
  return e as RemoteError;
}

describe('IPC protocol: engine served over a MessagePort', () => {
  it('answers calls with the handler result, and errors with their code and details', async () => {
    const { port } = served();
    const client = new EngineClient(portTransport<Request>(port));
    expect(await client.call('collection.list', {})).toEqual([]);
    const missing = await failure(client.call('collection.show', { name: 'nope' }));
    expect(missing.code).toBe('not_found');
    expect(missing.details).toEqual([{ field: 'collection', reason: '"nope" does not exist' }]);
    const invalid = await failure(client.call('collection.show', { name: '' }));
    expect(invalid.code).toBe('invalid_input');
    expect(invalid.details[0]?.field).toBe('name');
    expect((await failure(client.call('no.such.method', {}))).code).toBe('not_found');
  });

  it('dispatches every method of the contract (each answers or refuses its empty input, none is unknown)', async () => {
    const { port } = served();
    const client = new EngineClient(portTransport<Request>(port));
    for (const method of Object.keys(await loadContract())) {
      const outcome = await client.call(method, {}).then(() => 'ok', (e: RemoteError) => e.code);
      expect(['ok', 'invalid_input', 'not_found', 'unavailable', 'bad_data'], `${method} → ${outcome}`).toContain(outcome);
      if (outcome === 'not_found') {
        const e = await failure(client.call(method, {}));
        expect(e.message, method).not.toMatch(/unknown method/);
      }
    }
  });

  it('streams progress of a long call, and a cancel stops it with a cancelled error', async () => {
    const { port, engine } = served();
    const client = new EngineClient(portTransport<Request>(port));
    const file = bigTsv(40_000);
    const progress: Progress[] = [];
    const done = await client.call('collection.import', { path: file, name: 'c', lang: 'oc' }, { onProgress: (p) => progress.push(p) });
    expect(done).toMatchObject({ added: 40_000 });
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)?.done).toBeGreaterThan(0);

    const abort = new AbortController();
    const again = client.call('collection.import', { path: bigTsv(200_000), name: 'd', lang: 'oc' }, {
      signal: abort.signal,
      onProgress: () => abort.abort(),
    });
    expect((await failure(again)).code).toBe('cancelled');
    // Nothing is left half-done in a way that breaks the workspace: the first collection is intact.
    expect(engine.workspace.db.prepare("SELECT count(*) FROM documents d JOIN collections c ON c.id = d.collection_id WHERE c.name = 'c'").pluck().get()).toBe(40_000);
  });

  it('ignores malformed messages instead of crashing', () => {
    expect(isMessage({ kind: 'call', id: 'x' })).toBe(false);
    expect(isMessage({ kind: 'call', id: '', method: 'a' })).toBe(false);
    expect(isMessage('hello')).toBe(false);
    expect(isMessage({ kind: 'call', id: '1', method: 'collection.list', input: {} })).toBe(true);
  });
});

describe('IPC wiring: preload ↔ main relay ↔ engine process', () => {
  /** Two windows, each with the preload's API, talking through one relay to one engine. */
  function wire() {
    const { port } = served();
    const relay = new Relay(portTransport<Request>(port));
    const windows = [1, 2].map((id) => {
      const { port1: rendererSide, port2: mainSide } = new MessageChannel();
      ports.push(rendererSide, mainSide);
      mainSide.on('message', (m: unknown) => relay.fromClient({ id, send: (r) => mainSide.postMessage(r) }, m));
      return createPreloadApi(portTransport<Request>(rendererSide), async (kind) => `/chosen/${kind}`);
    });
    return { relay, windows };
  }

  it('routes each window its own answers even when both use the same call ids', async () => {
    const { windows } = wire();
    const [a, b] = windows as [ReturnType<typeof createPreloadApi>, ReturnType<typeof createPreloadApi>];
    const [ra, rb] = await Promise.all([a.call('r1', 'collection.list', {}, () => {}), b.call('r1', 'app.info', {}, () => {})]);
    expect(ra).toEqual([]);
    expect(rb).toMatchObject({ version: expect.any(String), methods: expect.arrayContaining(['search', 'collection.import']) });
  });

  it('rejects with the engine error as JSON, which is what crosses contextBridge', async () => {
    const { windows } = wire();
    const e = await windows[0]!.call('r1', 'collection.show', { name: 'nope' }, () => {}).then(() => undefined, (err: Error) => err);
    expect(JSON.parse(e!.message)).toMatchObject({ code: 'not_found', details: [{ field: 'collection' }] });
  });

  it('passes progress to the window and cancels on request', async () => {
    const { windows } = wire();
    const w = windows[0]!;
    let progressed = 0;
    const call = w.call('r7', 'collection.import', { path: bigTsv(200_000), name: 'big', lang: 'oc' }, () => {
      progressed++;
      w.cancel('r7');
    });
    const e = await call.then(() => undefined, (err: Error) => err);
    expect(progressed).toBeGreaterThan(0);
    expect(JSON.parse(e!.message).code).toBe('cancelled');
  });

  it('cancels the calls of a window that closes, and fails waiting calls when the engine dies', async () => {
    const { relay, windows } = wire();
    const w = windows[0]!;
    const call = w.call('r1', 'collection.import', { path: bigTsv(200_000), name: 'big', lang: 'oc' }, () => relay.disconnect(1));
    // The window is gone, so no answer comes back to it; the engine stopped the import, which the next call shows.
    await new Promise((r) => setTimeout(r, 300));
    const list = (await windows[1]!.call('r1', 'collection.list', {}, () => {})) as { name: string; documents: number }[];
    expect(list.find((c) => c.name === 'big')?.documents ?? 0).toBeLessThan(200_000);
    void call.catch(() => {});

    const waiting = windows[1]!.call('r2', 'collection.import', { path: bigTsv(200_000), name: 'big2', lang: 'oc' }, () => relay.engineGone('the engine stopped'));
    const e = await waiting.then(() => undefined, (err: Error) => err);
    expect(JSON.parse(e!.message)).toMatchObject({ code: 'unavailable', message: 'the engine stopped' });
  });

  it('answers the native dialog through the preload', async () => {
    const { windows } = wire();
    expect(await windows[0]!.choosePath('folder')).toBe('/chosen/folder');
  });
});

describe('engine in a worker thread (what pont serve runs)', () => {
  it('serves calls, and reports a workspace it cannot open instead of hanging', async () => {
    const w = startEngineWorker({ workspace: tempDir(), demo: false });
    try {
      expect(await w.client.call('collection.list', {})).toEqual([]);
    } finally {
      await w.stop();
    }
    const damaged = tempDir();
    writeFileSync(join(damaged, 'pont.db'), 'this is not a database, just text that is long enough '.repeat(100));
    const bad = startEngineWorker({ workspace: damaged, demo: false });
    try {
      const e = await failure(bad.client.call('collection.list', {}));
      expect(e.code).toBe('unavailable');
      expect(e.message).toMatch(/cannot be opened.*damaged|not a (Pont workspace|database)/);
    } finally {
      await bad.stop();
    }
  });
});
