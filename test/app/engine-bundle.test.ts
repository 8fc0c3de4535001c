import { fork } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Reply } from '../../electron/ipc/protocol.ts';
import { tempDir } from '../helpers/workspace.ts';

const bundle = '.vite/build/engine-process.cjs';

/**
 * The engine process exactly as Electron Forge bundles it (`npm run package` builds it even where the Electron
 * download then fails), run by Node with a stand-in for Electron's `process.parentPort`. It catches what only the
 * bundle gets wrong: native modules, worker files and data paths that move when the sources are bundled.
 */
describe.skipIf(!existsSync(bundle))('bundled engine process', () => {
  it('seeds the demo, answers calls and builds an index through parentPort messages', async () => {
    const dir = tempDir();
    const shim = join(dir, 'parent-port.cjs');
    writeFileSync(
      shim,
      `const wrapped = new Map();
process.parentPort = {
  postMessage: (m) => process.send(m),
  on: (_e, l) => { const w = (data) => l({ data }); wrapped.set(l, w); process.on('message', w); },
  off: (_e, l) => process.off('message', wrapped.get(l)),
};`,
    );
    const child = fork(bundle, ['--workspace', join(dir, 'ws'), '--demo-dir', 'resources/demo'], { execArgv: ['--require', shim], stdio: 'pipe' });
    const replies: Reply[] = [];
    const call = (id: string, method: string, input: unknown) =>
      new Promise<Reply>((resolve) => {
        const on = (m: Reply) => {
          if (m.id !== id) return;
          replies.push(m);
          if (m.kind === 'progress') return;
          child.off('message', on);
          resolve(m);
        };
        child.on('message', on);
        child.send({ kind: 'call', id, method, input });
      });
    try {
      expect(await call('1', 'collection.list', {})).toMatchObject({ kind: 'result', value: expect.arrayContaining([expect.objectContaining({ name: 'demo-fr', documents: 200 })]) });
      const hits = await call('2', 'search', { collection: 'demo-fr', query: 'la lenga occitana', k: 3 });
      expect(hits.kind).toBe('result');
      expect((hits as { value: { hits: unknown[] } }).value.hits).toHaveLength(3);
      expect(await call('3', 'index.build', { collection: 'demo-nl', rebuild: true })).toMatchObject({ kind: 'result', value: { documents: 40 } });
      expect(await call('4', 'collection.show', { name: 'nope' })).toMatchObject({ kind: 'error', error: { code: 'not_found' } });
    } finally {
      child.kill();
    }
  });
});

if (!existsSync(bundle)) console.log(`bundled engine process: skipped, ${bundle} is not built (npm run package builds it)`);
