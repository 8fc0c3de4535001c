import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir, tempEngine } from '../helpers/workspace.ts';
import { writeDensePack } from './packs.ts';

/** A mirror on 127.0.0.1 serving a folder with Range support; it can cut a file short once, like a dropped link. */
function mirror(root: string, o: { cutOnce?: string; sums?: boolean; etag?: boolean } = {}) {
  const log: { path: string; range?: string; status: number }[] = [];
  let cut = o.cutOnce;
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url!, 'http://x').pathname).slice(1);
    const file = join(root, path);
    let status = 200;
    try {
      if (!statSync(file).isFile()) throw new Error();
    } catch {
      log.push({ path, status: 404 });
      res.writeHead(404).end();
      return;
    }
    const data = readFileSync(file);
    const range = req.headers.range;
    let start = 0;
    if (range) {
      start = Number(/bytes=(\d+)-/.exec(range)![1]);
      status = start >= data.length ? 416 : 206;
    }
    log.push({ path, ...(range ? { range } : {}), status });
    if (status === 416) {
      res.writeHead(416).end();
      return;
    }
    const headers: Record<string, string | number> = { 'content-length': data.length - start };
    if (status === 206) headers['content-range'] = `bytes ${start}-${data.length - 1}/${data.length}`;
    if (o.etag) headers.etag = `"${createHash('sha256').update(data).digest('hex')}"`;
    res.writeHead(status, headers);
    if (cut === path) {
      cut = undefined;
      res.write(data.subarray(start, start + Math.floor((data.length - start) / 2)));
      setTimeout(() => res.destroy(), 20);
      return;
    }
    res.end(data.subarray(start));
  });
  return new Promise<{ url: string; log: typeof log; close: () => void }>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/packs/e5`, log, close: () => server.close() })),
  );
}

const closers: (() => void)[] = [];
afterEach(() => closers.splice(0).forEach((c) => c()));

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)));
}

function publish(withSums: boolean): string {
  const root = tempDir();
  const pack = join(root, 'packs', 'e5');
  writeDensePack(pack, { pooling: 'mean' });
  if (withSums) {
    const lines = listFiles(pack).sort().map((f) => `${createHash('sha256').update(readFileSync(join(pack, f))).digest('hex')}  ${f}`);
    writeFileSync(join(pack, 'SHA256SUMS'), `${lines.join('\n')}\n`);
  }
  return root;
}

describe('model pack download from a mirror', () => {
  it('resumes an interrupted file with an HTTP Range request, verifies SHA256SUMS and imports the pack', async () => {
    const root = publish(true);
    const m = await mirror(root, { cutOnce: 'packs/e5/model.onnx' });
    closers.push(m.close);
    const engine = tempEngine();
    await expect(engine.call('model.download', { url: m.url, name: 'e5' })).rejects.toMatchObject({ code: 'unavailable' });
    const r = await engine.call('model.download', { url: m.url, name: 'e5' });
    const ranged = m.log.filter((l) => l.path === 'packs/e5/model.onnx' && l.range);
    expect(ranged).toHaveLength(1);
    expect(ranged[0]!.status).toBe(206);
    expect(r.files.every((f) => f.verified)).toBe(true);
    expect(r.manifest.files.map((f) => f.path)).toContain('model.onnx');
    const original = readFileSync(join(root, 'packs', 'e5', 'model.onnx'));
    expect(readFileSync(join(engine.workspace.dir, 'models', 'e5', 'model.onnx')).equals(original)).toBe(true);
    const enc = await engine.call('model.encode', { model: 'e5', texts: ['the cat'], provider: 'cpu' });
    expect((enc.texts[0] as { dense: number[] }).dense).toHaveLength(8);
  });

  it('rejects a file that does not match its published checksum, naming it', async () => {
    const root = publish(true);
    writeFileSync(join(root, 'packs', 'e5', 'tokenizer_config.json'), '{"model_max_length": 8}'); // changed after the sums were made
    const m = await mirror(root);
    closers.push(m.close);
    const engine = tempEngine();
    const e = await engine.call('model.download', { url: m.url, name: 'e5' }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'bad_data', details: [{ file: 'tokenizer_config.json', field: 'sha256' }] });
    expect(await engine.call('model.list', {})).toEqual([]);
  });

  it('without SHA256SUMS, finds the Hugging Face files by name and checks sha256 ETags', async () => {
    const root = publish(false);
    const m = await mirror(root, { etag: true });
    closers.push(m.close);
    const engine = tempEngine();
    const r = await engine.call('model.download', { url: m.url, name: 'e5' });
    expect(r.files.map((f) => f.path).sort()).toEqual(['1_Pooling/config.json', 'config.json', 'model.onnx', 'modules.json', 'sentence_bert_config.json', 'tokenizer.json', 'tokenizer_config.json']);
    expect(r.files.every((f) => f.verified)).toBe(true);
  });
});
