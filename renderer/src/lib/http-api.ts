import { ApiError, type ApiErrorJson, type CallOptions, type Progress, type PontApi } from './api.ts';
import { readEvents } from './sse.ts';

const TOKEN_KEY = 'pont.token';

/**
 * The token comes in the URL's fragment (never sent to a server); keep it for this tab's reloads and take it out of
 * the address bar, so that it does not end up in screenshots or shared links.
 */
export function takeToken(): string {
  const m = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(location.hash);
  if (m) {
    sessionStorage.setItem(TOKEN_KEY, m[1]!);
    history.replaceState(null, '', location.pathname + location.search);
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

async function failure(res: Response): Promise<ApiError> {
  try {
    const body = (await res.json()) as { error?: ApiErrorJson };
    // Without the launch's token the HTTP server answers nothing; say so distinctly, since the fix is another URL.
    if (body.error) return new ApiError(res.status === 401 ? { ...body.error, code: 'unauthorized' } : body.error);
  } catch {
    // not JSON: fall through
  }
  return new ApiError({ code: res.status === 401 ? 'unauthorized' : 'internal', message: `${res.status} ${res.statusText}` });
}

/** The browser app: calls go to the loopback HTTP server; progress comes back as server-sent events. */
export function httpApi(token: string, base = '/'): PontApi {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

  const callDynamic = async (method: string, input: unknown, options: CallOptions = {}): Promise<unknown> => {
    const streaming = options.onProgress !== undefined;
    let res: Response;
    try {
      res = await fetch(`${base}api/call/${encodeURIComponent(method)}`, {
        method: 'POST',
        headers: { ...headers, accept: streaming ? 'text/event-stream' : 'application/json' },
        body: JSON.stringify(input ?? {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (e) {
      if (options.signal?.aborted) throw new ApiError({ code: 'cancelled', message: `${method} was cancelled` });
      throw new ApiError({ code: 'unavailable', message: `the Pont server does not answer (${(e as Error).message})` });
    }
    if (!res.ok) throw await failure(res);
    if (!streaming) return ((await res.json()) as { result: unknown }).result;
    try {
      for await (const ev of readEvents(res.body!)) {
        const data = JSON.parse(ev.data) as unknown;
        if (ev.event === 'progress') options.onProgress?.(data as Progress);
        else if (ev.event === 'result') return data;
        else if (ev.event === 'error') throw new ApiError(data as ApiErrorJson);
      }
    } catch (e) {
      if (e instanceof ApiError) throw e;
      if (options.signal?.aborted) throw new ApiError({ code: 'cancelled', message: `${method} was cancelled` });
      throw new ApiError({ code: 'unavailable', message: `the connection to the Pont server broke (${(e as Error).message})` });
    }
    throw new ApiError({ code: 'unavailable', message: 'the Pont server ended the answer early' });
  };

  const upload = async (files: { file: File; path: string }[], onProgress?: (sent: number, total: number) => void): Promise<string> => {
    const batch = crypto.randomUUID().replaceAll('-', '');
    const total = files.reduce((n, f) => n + f.file.size, 0);
    let sent = 0;
    let result: { path: string; folder: string } | undefined;
    for (const f of files) {
      const res = await fetch(`${base}api/upload?batch=${batch}&name=${encodeURIComponent(f.path)}`, {
        method: 'POST',
        headers: { authorization: headers.authorization, 'content-type': 'application/octet-stream' },
        body: f.file,
      });
      if (!res.ok) throw await failure(res);
      result = (await res.json()) as { path: string; folder: string };
      sent += f.file.size;
      onProgress?.(sent, total);
    }
    if (!result) throw new ApiError({ code: 'invalid_input', message: 'no files were chosen' });
    return files.length === 1 && !files[0]!.path.includes('/') ? result.path : result.folder;
  };

  return {
    kind: 'browser',
    call: (method, input, options) => callDynamic(method, input, options) as never,
    callDynamic,
    upload,
  };
}
