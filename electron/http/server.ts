import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadContract } from '../api/contract/index.ts';
import { httpStatus, PontError, type ErrorCode } from '../engine/errors.ts';
import { toWireError } from '../ipc/protocol.ts';
import type { EngineLike } from '../ipc/dispatch.ts';
import { hostAllowed, newToken, originAllowed, requestToken, tokenMatches } from './security.ts';
import { serveStatic } from './static.ts';
import { DEFAULT_MAX_UPLOAD_BYTES, UploadStore } from './uploads.ts';

export interface HttpServerOptions {
  engine: EngineLike;
  /** 0 picks a free port. */
  port?: number;
  /** The built renderer (renderer/dist); absent: the HTTP server serves the API only. */
  staticDir?: string;
  token?: string;
  /** The most one upload batch (a file, or a folder's files) may hold; see `DEFAULT_MAX_UPLOAD_BYTES`. */
  maxUploadBytes?: number;
}

export interface HttpServer {
  url: string;
  /** The URL to open: the token travels in the fragment, which browsers never send to a server or a referrer. */
  openUrl: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const MAX_BODY = 4 * 1024 * 1024;
/** API inputs are a few levels deep; a body nested deeper is refused before anything walks it recursively. */
const MAX_DEPTH = 64;

/** Whether a parsed JSON value nests deeper than `max` (walked with an explicit stack: deep input must not overflow ours). */
function nestsDeeper(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) return true;
    for (const x of Object.values(v)) if (x !== null && typeof x === 'object') stack.push([x, depth + 1]);
  }
  return false;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(text);
}

function sendError(res: ServerResponse, e: unknown): void {
  const error = toWireError(e);
  sendJson(res, httpStatus[error.code as ErrorCode] ?? 500, { error });
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  // A body over the limit is read to its end and dropped: stopping in the middle would reset the connection, and the
  // client would see that instead of the answer.
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_BODY) chunks.push(chunk);
  }
  if (size > MAX_BODY) throw new PontError('too_large', 'request.too_large', { bytes: MAX_BODY }, [{ field: '(body)', reason: 'too large' }]);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new PontError('invalid_input', 'request.not_json', { reason: (e as Error).message }, [{ field: '(body)', reason: 'not JSON' }]);
  }
  if (nestsDeeper(value, MAX_DEPTH)) {
    throw new PontError('invalid_input', 'request.too_deep', { depth: MAX_DEPTH }, [{ field: '(body)', reason: 'too deeply nested' }]);
  }
  return value;
}

/**
 * A call with progress answers as a server-sent-event stream: `progress` events, then one `result` or `error`.
 * The client cancels by closing the request; the engine then gets an abort.
 */
async function callStreaming(engine: EngineLike, method: string, input: unknown, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const abort = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) abort.abort();
  });
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    connection: 'keep-alive',
  });
  const event = (name: string, data: unknown) => res.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
  try {
    const value = await engine.call(method, input, { signal: abort.signal, onProgress: (p) => event('progress', p) });
    event('result', value);
  } catch (e) {
    event('error', toWireError(e));
  }
  res.end();
}

/** The engine's API over HTTP on 127.0.0.1, for a browser on this machine (and for the end-to-end tests). */
export async function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const token = options.token ?? newToken();
  const uploads = new UploadStore(options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES);
  let port = options.port ?? 0;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!hostAllowed(req, port)) return sendJson(res, 421, { error: { code: 'invalid_input', message: 'unexpected Host header', details: [] } });
    if (!originAllowed(req, port)) return sendJson(res, 403, { error: { code: 'invalid_input', message: 'requests from other origins are refused', details: [] } });
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (!url.pathname.startsWith('/api/')) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: { code: 'invalid_input', message: 'method not allowed', details: [] } });
      if (!options.staticDir) return sendJson(res, 404, { error: { code: 'not_found', message: 'no interface is served here', details: [] } });
      return serveStatic(options.staticDir, url.pathname, res);
    }
    if (!tokenMatches(requestToken(req), token)) {
      return sendJson(res, 401, { error: { code: 'invalid_input', message: 'missing or wrong token: open the URL that `pont serve` printed', details: [] } });
    }
    if (req.method === 'GET' && url.pathname === '/api/methods') {
      return sendJson(res, 200, Object.entries(await loadContract()).map(([name, m]) => ({ name, summary: m.summary, job: m.job })));
    }
    if (req.method === 'POST' && url.pathname === '/api/upload') {
      return sendJson(res, 200, await uploads.receive(req, url.searchParams));
    }
    const call = /^\/api\/call\/([A-Za-z0-9_.-]+)$/.exec(url.pathname);
    if (req.method === 'POST' && call) {
      const method = call[1]!;
      // A browser cannot set this header cross-site without a preflight, which we never answer: a CSRF stop.
      if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) {
        return sendJson(res, 415, { error: { code: 'invalid_input', message: 'send the input as application/json', details: [] } });
      }
      const input = await readJson(req);
      if (String(req.headers.accept ?? '').includes('text/event-stream')) return callStreaming(options.engine, method, input, req, res);
      const abort = new AbortController();
      res.on('close', () => {
        if (!res.writableFinished) abort.abort();
      });
      return sendJson(res, 200, { result: await options.engine.call(method, input, { signal: abort.signal }) });
    }
    return sendJson(res, 404, { error: { code: 'not_found', message: `no route ${req.method} ${url.pathname}`, details: [] } });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      if (res.headersSent) return res.end();
      // Refused before its body was read (an upload announced too large): answer now, drop what still comes, and
      // close the connection after the answer.
      if (!req.complete) {
        res.setHeader('connection', 'close');
        req.resume();
      }
      sendError(res, e);
    });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
  } catch (e) {
    uploads.close();
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      const why = code === 'EADDRINUSE' ? 'is in use by another program' : 'may not be used by this user';
      throw new PontError('unavailable', code === 'EADDRINUSE' ? 'port.in_use' : 'port.forbidden', { port }, [{ field: 'port', reason: `port ${port} ${why}` }]);
    }
    throw e;
  }
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/`;
  return {
    url,
    openUrl: `${url}#token=${token}`,
    port,
    token,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      uploads.close();
    },
  };
}
