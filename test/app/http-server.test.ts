import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startHttpServer, type HttpServer } from '../../electron/http/server.ts';
import { tempDir, tempEngine } from '../helpers/workspace.ts';

const servers: HttpServer[] = [];
afterEach(async () => {
  for (const b of servers.splice(0)) await b.close();
});

async function server(): Promise<HttpServer> {
  const site = tempDir();
  writeFileSync(join(site, 'index.html'), '<!doctype html><title>Pont</title>');
  mkdirSync(join(site, 'assets'));
  writeFileSync(join(site, 'assets', 'app.js'), 'console.log(1)');
  const b = await startHttpServer({ engine: tempEngine(), staticDir: site });
  servers.push(b);
  return b;
}

/** A raw HTTP request, so that tests can send the Host and Origin headers a hostile page or rebinding would. */
function raw(b: HttpServer, path: string, options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: b.port, path, method: options.method ?? 'GET', headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
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
    const up = await raw(b, '/api/upload?batch=batch0001&name=docs%2Fa.tsv', { method: 'POST', headers: { authorization: `Bearer ${b.token}` }, body: 'd1\tLo solelh' });
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
