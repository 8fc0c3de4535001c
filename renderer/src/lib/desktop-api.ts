import { ApiError, type ApiErrorJson, type CallOptions, type PontApi, type PreloadApi } from './api.ts';

/** The desktop app: calls go through the preload to the engine's utility process. */
export function desktopApi(pont: PreloadApi): PontApi {
  let next = 0;
  const callDynamic = async (method: string, input: unknown, options: CallOptions = {}): Promise<unknown> => {
    const id = `r${++next}`;
    const onAbort = () => pont.cancel(id);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await pont.call(id, method, input, (p) => options.onProgress?.(p));
    } catch (e) {
      const r = e as { code?: string; message?: string; details?: [] };
      // Errors cross contextBridge as plain Errors; the preload puts the engine's error in the message as JSON.
      try {
        const parsed = JSON.parse(r.message ?? '') as ApiErrorJson;
        throw new ApiError(parsed);
      } catch (inner) {
        if (inner instanceof ApiError) throw inner;
        throw new ApiError({ code: r.code ?? 'internal', message: r.message ?? String(e) });
      }
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
  };
  return {
    kind: 'desktop',
    call: (method, input, options) => callDynamic(method, input, options) as never,
    callDynamic,
    choosePath: (kind) => pont.choosePath(kind),
  };
}
