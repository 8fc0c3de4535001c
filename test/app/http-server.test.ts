import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startHttpServer, type HttpServer, type HttpServerOptions } from '../../electron/http/server.ts';
import { tempDir, tempEngine } from '../helpers/workspace.ts';

const servers: HttpServer[] = [];
afterEach(async () => {
  for (const b of servers.splice(0)) await b.close();
});

async function server(options: Partial<HttpServerOptions> = {}): Promise<HttpServer> {
  const site = tempDir();
  writeFileSync(join(site, 'index.html'), '<!doctype html><title>Pont</title>');
  mkdirSync(join(site, 'assets'));
  writeFileSync(join(site, 'assets', 'app.js'), 'console.log(1)');
  const b = await startHttpServer({ engine: tempEngine(), staticDir: site, ...options });
  servers.push(b);
  return b;
}

/** A raw HTTP request, so that tests can send the Host and Origin headers a hostile page or rebinding would. */
function raw(b: HttpServer, path: string, options: { method?: string; headers?: Record<string, string>; body?: string | Buffer; chunks?: Buffer[] } = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: b.port, path, method: options.method ?? 'GET', headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    // A body sent in chunks has no Content-Length: the server only learns its size by counting.
    for (const c of options.chunks ?? []) req.write(c);
    req.end(options.body);
  });
}

const json = (b: HttpServer, extra: Record<string, string> = {}) => ({
  authorization: `Bearer ${b.token}`,
  'content-type': 'application/json',
  ...extra,
});

describe('loopback HTTP server: who may call', () => {
  it('listens on 127.0.0.1 only and prints a URL with the token in the fragment', async () => {
    const b = await server();
    expect(b.url).toBe(`http://127.0.0.1:${b.port}/`);
    expect(b.openUrl).toBe(`${b.url}#token=${b.token}`);
    expect(b.token.length).toBeGreaterThanOrEqual(32);
    const other = await server();
    expect(other.token).not.toBe(b.token);
  });

  it('refuses API requests without the token, or with a wrong one', async () => {
    const b = await server();
    const none = await raw(b, '/api/call/collection.list', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(none.status).toBe(401);
    const wrong = await raw(b, '/api/call/collection.list', { method: 'POST', headers: json(b, { authorization: `Bearer ${b.token.slice(0, -1)}x` }), body: '{}' });
    expect(wrong.status).toBe(401);
    const upload = await raw(b, '/api/upload?batch=abcdefgh12&name=x.tsv', { method: 'POST', body: 'a\tb' });
    expect(upload.status).toBe(401);
    const ok = await raw(b, '/api/call/collection.list', { method: 'POST', headers: json(b), body: '{}' });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({ result: [] });
  });

  it('refuses requests from another Origin, even with the token', async () => {
    const b = await server();
    for (const origin of ['http://evil.example', `http://127.0.0.1:${b.port + 1}`, 'null', `https://127.0.0.1:${b.port}`]) {
      const r = await raw(b, '/api/call/collection.list', { method: 'POST', headers: json(b, { origin }), body: '{}' });
      expect(r.status, origin).toBe(403);
    }
    const same = await raw(b, '/api/call/collection.list', { method: 'POST', headers: json(b, { origin: `http://127.0.0.1:${b.port}` }), body: '{}' });
    expect(same.status).toBe(200);
    const page = await raw(b, '/', { headers: { origin: 'http://evil.example' } });
    expect(page.status).toBe(403);
  });

  it('refuses a foreign Host header (DNS rebinding) and a form post (no JSON content type)', async () => {
    const b = await server();
    const rebound = await raw(b, '/api/call/collection.list', { method: 'POST', headers: json(b, { host: `evil.example:${b.port}` }), body: '{}' });
    expect(rebound.status).toBe(421);
    const form = await raw(b, '/api/call/collection.list', { method: 'POST', headers: { authorization: `Bearer ${b.token}`, 'content-type': 'text/plain' }, body: '{}' });
    expect(form.status).toBe(415);
  });
});

describe('loopback HTTP server: what it serves', () => {
  it('serves the renderer with a strict Content-Security-Policy, and falls back to index.html', async () => {
    const b = await server();
    const index = await raw(b, '/');
    expect(index.status).toBe(200);
    expect(index.headers['content-security-policy']).toContain("script-src 'self'");
    expect(index.headers['content-security-policy']).toContain("default-src 'none'");
    expect((await raw(b, '/assets/app.js')).headers['content-type']).toMatch(/javascript/);
    expect((await raw(b, '/library')).body).toContain('<title>Pont</title>');
    // A path that climbs out of the site stays inside it: the answer is the app's page, never the file.
    for (const p of ['/..%2f..%2f..%2fetc/passwd', '/%2e%2e/%2e%2e/etc/passwd']) {
      const r = await raw(b, p);
      expect(r.body, p).not.toContain('root:');
    }
  });

  it('maps engine errors to HTTP statuses with their details', async () => {
    const b = await server();
    const missing = await raw(b, '/api/call/collection.show', { method: 'POST', headers: json(b), body: '{"name":"nope"}' });
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body).error).toMatchObject({ code: 'not_found', details: [{ field: 'collection' }] });
    const bad = await raw(b, '/api/call/collection.show', { method: 'POST', headers: json(b), body: '{"name":' });
    expect(bad.status).toBe(400);
    const unknown = await raw(b, '/api/call/nothing.here', { method: 'POST', headers: json(b), body: '{}' });
    expect(unknown.status).toBe(404);
  });

  it('streams progress as server-sent events and ends with the result', async () => {
    const b = await server();
    const file = join(tempDir(), 'c.tsv');
    writeFileSync(file, Array.from({ length: 30_000 }, (_, i) => `d${i}\tLa mar e lo solelh ${i}`).join('\n'));
    const r = await raw(b, '/api/call/collection.import', {
      method: 'POST',
      headers: json(b, { accept: 'text/event-stream' }),
      body: JSON.stringify({ path: file, name: 'c', lang: 'oc' }),
    });
    expect(r.headers['content-type']).toMatch(/text\/event-stream/);
    const events = r.body.trim().split('\n\n').map((block) => block.split('\n')[0]!.replace('event: ', ''));
    expect(events.at(-1)).toBe('result');
    expect(events.filter((e) => e === 'progress').length).toBeGreaterThan(0);
    expect(JSON.parse(r.body.trim().split('\n\n').at(-1)!.split('\n')[1]!.slice(6))).toMatchObject({ added: 30_000 });
  });

  it('cancels a call when its client goes away', async () => {
    const engine = tempEngine();
    const b = await startHttpServer({ engine });
    servers.push(b);
    const file = join(tempDir(), 'long.tsv');
    writeFileSync(file, Array.from({ length: 300_000 }, (_, i) => `d${i}\tLa mar e lo solelh ${i}`).join('\n'));
    await new Promise<void>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: b.port, path: '/api/call/collection.import', method: 'POST', headers: json(b, { accept: 'text/event-stream' }) },
        (res) => {
          // At the first progress event, hang up, as a browser does when the user presses Cancel.
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        },
      );
      req.on('error', () => {});
      req.end(JSON.stringify({ path: file, name: 'long', lang: 'oc' }));
      setTimeout(() => reject(new Error('no progress within 20 s')), 20_000);
    });
    // The engine stops between batches: the count stops growing well short of the file.
    let before = -1;
    let now = 0;
    const count = () => engine.workspace.db.prepare("SELECT count(*) FROM documents d JOIN collections c ON c.id = d.collection_id WHERE c.name = 'long'").pluck().get() as number;
    while (before !== now) {
      before = now;
      await new Promise((r) => setTimeout(r, 300));
      now = count();
    }
    expect(now).toBeLessThan(300_000);
  });

  it('stores uploads in its own temporary folder and refuses paths that leave it', async () => {
    const b = await server();
    const up = await raw(b, '/api/upload?batch=batch0001&name=docs%2Fa.txt', { method: 'POST', headers: { authorization: `Bearer ${b.token}` }, body: 'd1\tLo solelh' });
    expect(up.status).toBe(200);
    const { path, folder } = JSON.parse(up.body) as { path: string; folder: string };
    expect(readFileSync(path, 'utf8')).toBe('d1\tLo solelh');
    expect(path.startsWith(folder)).toBe(true);
    const imported = await raw(b, '/api/call/collection.import', { method: 'POST', headers: json(b), body: JSON.stringify({ path: folder, name: 'up', lang: 'oc', format: 'folder' }) });
    expect(imported.status).toBe(200);
    for (const name of ['..%2F..%2Fescape.tsv', '%2Fetc%2Fx', '']) {
      const r = await raw(b, `/api/upload?batch=batch0001&name=${name}`, { method: 'POST', headers: { authorization: `Bearer ${b.token}` }, body: 'x' });
      expect(r.status, name).toBe(400);
    }
    expect((await raw(b, '/api/upload?batch=..&name=a', { method: 'POST', headers: { authorization: `Bearer ${b.token}` }, body: 'x' })).status).toBe(400);
  });
});

describe('loopback HTTP server: hostile and broken requests', () => {
  it('answers malformed, oversized, deeply nested and invalid bodies with a 4xx that says why, never a 500', async () => {
    const b = await server();
    const call = (body: string | Buffer) => raw(b, '/api/call/collection.list', { method: 'POST', headers: json(b), body });
    const cases: [string, string | Buffer, number, string][] = [
      ['not JSON', '{"a": ', 400, 'not JSON'],
      ['binary', Buffer.from([0xff, 0xfe, 0x00, 0x01]), 400, 'not JSON'],
      ['nested 100k deep', `${'['.repeat(100_000)}${']'.repeat(100_000)}`, 400, 'nests deeper'],
      ['nested objects', `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`, 400, 'nests deeper'],
      ['over 4 MiB', `{"x":"${'a'.repeat(5 * 2 ** 20)}"}`, 413, 'larger than'],
    ];
    for (const [what, body, status, message] of cases) {
      const r = await call(body);
      expect(r.status, what).toBe(status);
      expect(JSON.parse(r.body).error.message, what).toContain(message);
    }
    const invalid = await raw(b, '/api/call/collection.show', { method: 'POST', headers: json(b), body: '{"name": 42}' });
    expect(invalid.status).toBe(400);
    expect(JSON.parse(invalid.body).error.details).toEqual([expect.objectContaining({ field: 'name' })]);
    const proto = await raw(b, '/api/call/__proto__', { method: 'POST', headers: json(b), body: '{}' });
    expect(proto.status).toBe(404);
    // The server still answers afterwards.
    expect((await call('{}')).status).toBe(200);
  });

  it('refuses an upload larger than its limit, announced or counted, and keeps nothing of it', async () => {
    const b = await server({ maxUploadBytes: 64 * 1024 });
    const headers = { authorization: `Bearer ${b.token}` };
    const announced = await raw(b, '/api/upload?batch=batch0001&name=big.tsv', { method: 'POST', headers, body: Buffer.alloc(100 * 1024, 97) });
    expect(announced.status).toBe(413);
    expect(JSON.parse(announced.body).error.message).toContain('--max-upload-mb');
    const counted = await raw(b, '/api/upload?batch=batch0002&name=big.tsv', {
      method: 'POST',
      headers,
      chunks: Array.from({ length: 10 }, () => Buffer.alloc(16 * 1024, 97)),
    });
    expect(counted.status).toBe(413);
    // The limit holds for a batch (a folder's files together), not for each file.
    const files = [0, 1, 2].map((i) => raw(b, `/api/upload?batch=batch0003&name=f${i}.txt`, { method: 'POST', headers, body: Buffer.alloc(30 * 1024, 97) }));
    const statuses = [];
    for (const f of files) statuses.push((await f).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(2);
    expect(statuses.filter((s) => s === 413)).toHaveLength(1);
    const root = (JSON.parse((await raw(b, '/api/upload?batch=batch0004&name=ok.txt', { method: 'POST', headers, body: 'x' })).body) as { folder: string }).folder;
    const stored = readdirSync(join(root, '..'), { recursive: true }).map(String).filter((f) => f.endsWith('.tsv'));
    expect(stored).toEqual([]);
  });

  it('removes upload folders that a killed server left behind, and leaves live servers\' alone', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const stale = join(tmpdir(), `pont-uploads-${dead.stdout}-AbCdEf`);
    mkdirSync(join(stale, 'batch0001'), { recursive: true });
    writeFileSync(join(stale, 'batch0001', 'left.tsv'), 'd1\tx');
    const b = await server();
    expect(existsSync(stale)).toBe(false);
    // A second server of this (live) process leaves the first one's uploads where they are.
    const up = await raw(b, '/api/upload?batch=batch0001&name=a.txt', { method: 'POST', headers: { authorization: `Bearer ${b.token}` }, body: 'x' });
    const { path } = JSON.parse(up.body) as { path: string };
    await server();
    expect(existsSync(path)).toBe(true);
  });

  it('never serves a file outside the site, however the path is written', async () => {
    const b = await server();
    const secret = join(tempDir(), 'secret.txt');
    writeFileSync(secret, 'TOP SECRET');
    const paths = [
      '/../secret.txt',
      '/..%2f..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd',
      '/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '/..%5c..%5c..%5cetc%5cpasswd',
      '/%252e%252e%252fetc%252fpasswd',
      `/${encodeURIComponent(secret)}`,
      '/assets/..%2f..%2f..%2f..%2f..%2fetc/passwd',
      '/%00../etc/passwd',
      '/%ff%fe',
    ];
    for (const p of paths) {
      const r = await raw(b, p);
      expect([200, 400, 403], p).toContain(r.status);
      expect(r.body, p).not.toMatch(/root:|TOP SECRET/);
    }
  });

  it('says in words that a port is taken', async () => {
    const b = await server();
    const e = await startHttpServer({ engine: tempEngine(), port: b.port }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toMatchObject({ name: 'PontError', code: 'unavailable', message: expect.stringContaining(`port ${b.port} is in use`) });
  });

  it('keeps answering under a bounded load of concurrent calls', async () => {
    const b = await server();
    const file = join(tempDir(), 'c.tsv');
    writeFileSync(file, Array.from({ length: 2000 }, (_, i) => `d${i}\tLa mar e lo solelh ${i}`).join('\n'));
    await raw(b, '/api/call/collection.import', { method: 'POST', headers: json(b), body: JSON.stringify({ path: file, name: 'c', lang: 'oc' }) });
    const calls = Array.from({ length: 400 }, (_, i) =>
      raw(b, i % 2 ? '/api/call/collection.list' : '/api/call/collection.show', { method: 'POST', headers: json(b), body: i % 2 ? '{}' : '{"name":"c"}' }),
    );
    const results = await Promise.all(calls);
    expect(results.map((r) => r.status)).toEqual(results.map(() => 200));
  });
});
