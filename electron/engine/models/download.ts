import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PontError } from '../errors.ts';
import { CancelledError, ProgressMeter, throwIfCancelled, type JobContext } from '../jobs/progress.ts';
import type { Workspace } from '../store/workspace.ts';
import type { ModelOverrides } from './manifest.ts';
import { importPack, type ImportResult } from './packs.ts';

/** Files a Hugging Face–layout mirror may hold, tried when it publishes no SHA256SUMS listing. */
const candidates = [
  'config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'sentence_bert_config.json',
  'config_sentence_transformers.json', 'modules.json', '1_Pooling/config.json', 'README.md', 'LICENSE',
  ...['', 'onnx/'].flatMap((dir) =>
    ['model', 'encoder_model', 'decoder_model'].flatMap((stem) =>
      ['', '_fp16', '_quantized', '_int8'].flatMap((v) => [`${dir}${stem}${v}.onnx`, `${dir}${stem}${v}.onnx_data`]),
    ),
  ),
];

const sha256Hex = /^[0-9a-f]{64}$/;

function urlOf(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.split('/').map(encodeURIComponent).join('/')}`;
}

/** `SHA256SUMS` in sha256sum's format ("hash  path"), when the mirror publishes one: the list of files and their hashes. */
async function readSums(base: string, signal: AbortSignal): Promise<Map<string, string> | undefined> {
  const res = await fetch(urlOf(base, 'SHA256SUMS'), { signal });
  if (res.status === 404) return undefined;
  if (!res.ok) throw new PontError('unavailable', 'download.http', { url: urlOf(base, 'SHA256SUMS'), status: res.status }, [{ file: 'SHA256SUMS', reason: `HTTP ${res.status}` }]);
  const sums = new Map<string, string>();
  (await res.text()).split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    const m = /^([0-9a-fA-F]{64})\s+\*?(.+)$/.exec(line.trim());
    if (!m) throw new PontError('bad_data', 'download.bad_sums', { url: urlOf(base, 'SHA256SUMS'), line: i + 1 }, [{ file: 'SHA256SUMS', line: i + 1, reason: 'bad line' }]);
    sums.set(m[2]!.replace(/^\.\//, ''), m[1]!.toLowerCase());
  });
  return sums;
}

async function hashFile(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/**
 * Fetches one file into `dest`, resuming a `.part` left by an interrupted run with an HTTP Range request. Returns
 * false when the mirror does not have it. The expected hash comes from SHA256SUMS or from the ETag Hugging Face
 * gives large files (their sha256).
 */
async function fetchFile(url: string, dest: string, expected: string | undefined, rel: string, signal: AbortSignal, onBytes: (n: number) => void): Promise<{ found: boolean; verified: boolean }> {
  const part = `${dest}.part`;
  mkdirSync(dirname(dest), { recursive: true });
  const have = existsSync(part) ? statSync(part).size : 0;
  const res = await fetch(url, { signal, headers: have > 0 ? { Range: `bytes=${have}-` } : {} });
  if (res.status === 404) return { found: false, verified: false };
  if (res.status === 416) {
    // Already complete: the server has nothing past what we hold.
    await res.body?.cancel();
  } else {
    if (!res.ok || !res.body) throw new PontError('unavailable', 'download.http', { url, status: res.status }, [{ file: rel, reason: `HTTP ${res.status}` }]);
    const resumed = res.status === 206;
    if (have > 0 && !resumed) rmSync(part, { force: true }); // the server ignored Range: start again
    if (resumed) onBytes(have);
    const etag = (res.headers.get('x-linked-etag') ?? res.headers.get('etag') ?? '').replace(/^W\//, '').replace(/"/g, '').toLowerCase();
    if (!expected && sha256Hex.test(etag)) expected = etag;
    const counter = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, ctl) {
        onBytes(chunk.length);
        ctl.enqueue(chunk);
      },
    });
    await pipeline(Readable.fromWeb(res.body.pipeThrough(counter) as never), createWriteStream(part, { flags: resumed ? 'a' : 'w' }), { signal });
  }
  let verified = false;
  if (expected) {
    const actual = await hashFile(part);
    if (actual !== expected) {
      rmSync(part, { force: true });
      throw new PontError('bad_data', 'download.checksum', { file: rel, url, expected, actual }, [
        { file: rel, field: 'sha256', reason: 'checksum mismatch' },
      ]);
    }
    verified = true;
  }
  renameSync(part, dest);
  return { found: true, verified };
}

export interface DownloadResult extends ImportResult {
  files: { path: string; verified: boolean }[];
}

/**
 * Downloads a pack from a mirror in the Hugging Face layout into `downloads/<name>/` in the workspace, resuming
 * interrupted files, verifying checksums, then imports it like a local folder. Run it again after a failure: files
 * already complete are kept, partial ones resume where they stopped.
 */
export async function downloadPack(ws: Workspace, url: string, name: string, overrides: ModelOverrides, ctx: JobContext): Promise<DownloadResult> {
  const dir = join(ws.dir, 'downloads', name);
  const files: { path: string; verified: boolean }[] = [];
  const meter = new ProgressMeter(ctx.progress);
  let bytes = 0;
  try {
    const sums = await readSums(url, ctx.signal);
    const list = sums ? [...sums.keys()] : candidates;
    for (const [i, rel] of list.entries()) {
      throwIfCancelled(ctx.signal, 'the download');
      const dest = join(dir, rel);
      if (existsSync(dest)) {
        const expected = sums?.get(rel);
        if (!expected || (await hashFile(dest)) === expected) {
          files.push({ path: rel, verified: Boolean(expected) });
          continue;
        }
        rmSync(dest);
      }
      const r = await fetchFile(urlOf(url, rel), dest, sums?.get(rel), rel, ctx.signal, (n) => {
        bytes += n;
        meter.update({ phase: 'downloading', done: i, total: list.length, unit: 'files', bytesDone: bytes, message: rel });
      });
      if (!r.found && sums) throw new PontError('bad_data', 'download.missing_file', { url: urlOf(url, rel), file: rel }, [{ file: rel, reason: 'HTTP 404' }]);
      if (r.found) files.push({ path: rel, verified: r.verified });
    }
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw new CancelledError('the download');
    if (e instanceof TypeError) throw new PontError('unavailable', 'download.unreachable', { url, reason: (e as Error & { cause?: Error }).cause?.message ?? e.message }, [{ field: 'url', reason: 'unreachable' }]);
    throw e;
  }
  const result = await importPack(ws, dir, name, overrides, ctx);
  rmSync(dir, { recursive: true, force: true });
  return { ...result, files };
}
