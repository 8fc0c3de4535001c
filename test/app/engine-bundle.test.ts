import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Reply } from '../../electron/ipc/protocol.ts';
import { writeDensePack } from '../models/packs.ts';
import { tempDir } from '../helpers/workspace.ts';

const bundle = '.vite/build/engine-process.cjs';
// `npm test` builds the bundle first (`npm run build:engine`) and says so: then a missing bundle is a failure.
const mustRun = process.env.PONT_ENGINE_BUNDLE === '1';

/**
 * Stands in for Electron's `process.parentPort`, and tells the test each worker thread the engine's own thread starts
 * (by file name). Loaded into the worker threads too (they inherit the process's options), where it does nothing.
 */
const shim = `const { isMainThread, Worker } = require('node:worker_threads');
if (isMainThread) {
  const wrapped = new Map();
  process.parentPort = {
    postMessage: (m) => process.send(m),
    on: (_e, l) => { const w = (data) => l({ data }); wrapped.set(l, w); process.on('message', w); },
    off: (_e, l) => process.off('message', wrapped.get(l)),
  };
  require('node:worker_threads').Worker = class extends Worker {
    constructor(file, options) {
      super(file, options);
      process.send({ kind: 'test.worker', file: require('node:path').basename(require('node:url').fileURLToPath(file)) });
    }
  };
}`;

interface Process {
  call(method: string, input: unknown): Promise<Reply>;
  /** Worker threads started by the engine's thread so far, by file name. */
  workers: string[];
  stop(): Promise<void>;
}

function start(dir: string, workspace: string): Process {
  const file = join(dir, 'parent-port.cjs');
  writeFileSync(file, shim);
  const child: ChildProcess = fork(bundle, ['--workspace', workspace, '--demo-dir', 'resources/demo'], { execArgv: ['--require', file], stdio: 'pipe' });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const workers: string[] = [];
  child.on('message', (m: { kind: string; file?: string }) => {
    if (m.kind === 'test.worker') workers.push(m.file!);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let n = 0;
  return {
    workers,
    call: (method, input) =>
      new Promise<Reply>((resolve, reject) => {
        const id = String(++n);
        const on = (m: Reply) => {
          if (m.id !== id || m.kind === 'progress') return;
          child.off('message', on);
          resolve(m);
        };
        child.on('message', on);
        void exited.then(() => reject(new Error(`the engine process stopped during ${method}: ${stderr}`)));
        child.send({ kind: 'call', id, method, input });
      }),
    stop: async () => {
      child.kill();
      await exited;
    },
  };
}

const result = (reply: Reply) => {
  if (reply.kind !== 'result') throw new Error(`expected a result, got ${JSON.stringify(reply)}`);
  return reply.value as Record<string, unknown>;
};

/**
 * The engine process exactly as Electron Forge bundles it (`npm run build:engine` builds it from forge.config.ts the
 * way `npm run package` does, without the Electron download), run by Node with a stand-in for Electron's
 * `process.parentPort`. It catches what only the bundle gets wrong: native modules, worker files and data paths that
 * move when the sources are bundled. Each kind of worker thread the engine starts is started from its bundled file:
 * the bridge trainer (seeding the demo), a job's thread, the index builders (started from that thread), the model
 * runner (from the engine's thread and from a job's thread) and the encoder trainer.
 */
describe.skipIf(!existsSync(bundle) && !mustRun)('bundled engine process', () => {
  it('seeds the demo, searches, and runs each kind of worker thread from the bundle', async () => {
    const dir = tempDir();
    const workspace = join(dir, 'ws');
    const engine = start(dir, workspace);
    try {
      // Opening a new workspace seeds the demo, whose bridges are trained on a worker thread.
      expect(await engine.call('collection.list', {})).toMatchObject({ kind: 'result', value: expect.arrayContaining([expect.objectContaining({ name: 'demo-fr', documents: 200 })]) });
      expect(engine.workers.length).toBeGreaterThan(0);
      expect(engine.workers.every((f) => /^train-worker-[\w-]+\.js$/.test(f))).toBe(true);
      const hits = result(await engine.call('search', { collection: 'demo-fr', query: 'la lenga occitana', k: 3 }));
      expect(hits.hits).toHaveLength(3);

      // A job's thread, and in it an index builder.
      engine.workers.length = 0;
      expect(await engine.call('index.build', { collection: 'demo-nl', rebuild: true, workers: 1 })).toMatchObject({ kind: 'result', value: { documents: 40 } });
      expect(engine.workers).toEqual([expect.stringMatching(/^thread-worker-[\w-]+\.js$/)]);

      // The model runner: from the engine's thread (encode), and from a job's thread (a dense index).
      const pack = join(dir, 'pack');
      writeDensePack(pack, { pooling: 'mean', normalize: true });
      result(await engine.call('model.import', { path: pack, name: 'tiny' }));
      result(await engine.call('model.settings', { provider: 'cpu' }));
      engine.workers.length = 0;
      const encoded = result(await engine.call('model.encode', { model: 'tiny', texts: ['la lenga occitana'] }));
      expect(encoded.texts).toHaveLength(1);
      expect(engine.workers).toEqual([expect.stringMatching(/^model-worker-[\w-]+\.js$/)]);
      expect(await engine.call('dense.index', { collection: 'demo-nl', model: 'tiny' })).toMatchObject({ kind: 'result', value: { documents: 40 } });

      // The encoder trainer, on the demo's Occitan–French pairs, as small as it gets.
      engine.workers.length = 0;
      const trained = result(await engine.call('train.encoder', { name: 'enc', pairs: ['demo-oc-fr'], epochs: 1, dim: 8, buckets: 2048, batchSize: 16 }));
      expect(trained.manifest).toMatchObject({ name: 'enc' });
      expect(engine.workers).toEqual([expect.stringMatching(/^train-worker-[\w-]+\.js$/)]);

      expect(await engine.call('collection.show', { name: 'nope' })).toMatchObject({ kind: 'error', error: { code: 'not_found' } });
    } finally {
      await engine.stop();
    }

    // Opening the workspace again (seeded) and searching starts no worker thread: training is only for the calls that train.
    const again = start(dir, workspace);
    try {
      const hits = result(await again.call('search', { collection: 'demo-fr', query: 'la lenga occitana', k: 3 }));
      expect(hits.hits).toHaveLength(3);
      expect(again.workers).toEqual([]);
    } finally {
      await again.stop();
    }
  });
});

if (!existsSync(bundle) && !mustRun) console.log(`bundled engine process: skipped, ${bundle} is not built (npm run build:engine builds it; npm test does)`);
