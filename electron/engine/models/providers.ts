import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { PontError } from '../errors.ts';
import { providerIds, providerLabel, type ProviderChoice, type ProviderId } from './provider-ids.ts';

// onnxruntime logs a provider that fails to load on stderr before it throws; the exception is what Pont reports (with
// what to do about it), so the log line would only repeat it, on every session. Must be set before the first session.
ort.env.logLevel = 'fatal';

export { providerIds, providerLabel, type ProviderChoice, type ProviderId } from './provider-ids.ts';

export interface ProviderStatus {
  provider: ProviderId;
  label: string;
  /** Whether this platform can have it at all (CUDA on Linux and Windows, DirectML on Windows, CoreML on macOS). */
  platform: boolean;
  /** Whether onnxruntime-node lists it, and whether its libraries ship in the npm package. */
  listed: boolean;
  bundled: boolean;
  works: boolean;
  /** Why it does not work, in onnxruntime's words plus what to do about it. */
  reason?: string;
  milliseconds?: number;
}

function onPlatform(p: ProviderId, platform: NodeJS.Platform): boolean {
  if (p === 'cuda') return platform === 'linux' || platform === 'win32';
  if (p === 'dml') return platform === 'win32';
  if (p === 'coreml') return platform === 'darwin';
  return true;
}

/** onnxruntime's message cut to what a user can act on (its source paths and assertion text left out). */
function hint(p: ProviderId, message: string): string {
  if (p === 'cuda' && /shared library|providers_shared|providers_cuda/i.test(message)) {
    const dir = runtimeDir();
    const lib = process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
    if (dir && existsSync(join(dir, lib))) {
      return `the CUDA provider is installed (${join(dir, lib)}) but could not be loaded: the CUDA runtime, cuBLAS or cuDNN it links against are missing from the library path, or were built for another onnxruntime than ${ort.env.versions.common}`;
    }
    return `the CUDA provider libraries for onnxruntime ${ort.env.versions.common} (${lib} and its providers_shared library) are not installed next to onnxruntime${dir ? ` in ${dir}` : ''}`;
  }
  if (p === 'webgpu' && /adapter/i.test(message)) return 'no WebGPU adapter (on Linux WebGPU needs Vulkan: libvulkan.so.1 and a GPU driver)';
  if (/backend not found/i.test(message)) return `this onnxruntime build has no ${providerLabel(p)} provider`;
  return message.replace(/^\/onnxruntime_src\/\S+\s+/, '');
}

/** Where onnxruntime-node keeps its native libraries for this platform, which is where provider libraries go. */
function runtimeDir(): string | undefined {
  try {
    const pkg = dirname(createRequire(import.meta.url).resolve('onnxruntime-node/package.json'));
    return join(pkg, 'bin', 'napi-v6', process.platform, process.arch);
  } catch {
    return undefined;
  }
}

// A 4×4 diagonal MatMul (y = x·diag(1,2,3,4)): small enough to embed, real enough that the provider must run a node.
const probeModel = Buffer.from(
  'CAgSCnBvbnQtdGVzdHM6kAEKFAoBeAoBdxIBeRoBeSIGTWF0TXVsEgFnKksKAgQEEAFCAXdKQAAAgD8AAAAAAAAAAAAAAAAAAAAAAAAAQAAAAAAAAAAAAAAAAAAAAAAAAEBAAAAAAAAAAAAAAAAAAAAAAAAAgEBaEwoBeBIOCgwIARIICgIIAQoCCARiEwoBeRIOCgwIARIICgIIAQoCCARCBAoAEBE=',
  'base64',
);

async function tryProvider(p: ProviderId): Promise<{ works: boolean; reason?: string }> {
  let session: ort.InferenceSession | undefined;
  try {
    session = await ort.InferenceSession.create(probeModel, { executionProviders: [p], logSeverityLevel: 4 });
    const out = await session.run({ x: new ort.Tensor('float32', Float32Array.of(1, 1, 1, 1), [1, 4]) });
    const y = Array.from(out.y!.data as Float32Array);
    if (y.join() !== '1,2,3,4') return { works: false, reason: `ran but computed ${y.join(', ')} instead of 1, 2, 3, 4` };
    return { works: true };
  } catch (e) {
    return { works: false, reason: hint(p, (e as Error).message.split('\n')[0]!) };
  } finally {
    await session?.release();
  }
}

let cached: Promise<ProviderStatus[]> | undefined;

/** Tries every provider on a tiny model, once per process; `fresh` probes again (after installing a GPU pack). */
export function probeProviders(fresh = false, platform = process.platform): Promise<ProviderStatus[]> {
  if (!cached || fresh) {
    cached = (async () => {
      const backends = new Map(ort.listSupportedBackends().map((b) => [b.name, b.bundled]));
      const out: ProviderStatus[] = [];
      for (const p of providerIds) {
        const base = { provider: p, label: providerLabel(p), platform: onPlatform(p, platform), listed: backends.has(p), bundled: backends.get(p) ?? false };
        if (!base.platform) {
          out.push({ ...base, works: false, reason: `${providerLabel(p)} is not available on ${platform}` });
          continue;
        }
        const t = performance.now();
        const r = await tryProvider(p);
        out.push({ ...base, ...r, milliseconds: Math.round(performance.now() - t) });
      }
      return out;
    })();
  }
  return cached;
}

/** The provider a session was created with, and every faster one that was tried first and why it failed. */
export interface ProviderUse {
  provider: ProviderId;
  skipped: { provider: ProviderId; reason: string }[];
  /** Set when a slower provider than the best this platform could have is used: shown to the user, never hidden. */
  warning?: string;
}

export interface SessionOptions {
  provider?: ProviderChoice;
  intraOpThreads?: number;
  interOpThreads?: number;
}

/**
 * Creates a session on the chosen provider, or with `auto` on the first one that works, one at a time. An explicit
 * choice that fails is an error, not a quiet fall back to the CPU.
 */
export async function createSession(file: string, o: SessionOptions = {}): Promise<{ session: ort.InferenceSession; use: ProviderUse }> {
  const choice = o.provider ?? 'auto';
  const base: ort.InferenceSession.SessionOptions = {
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
    ...(o.intraOpThreads ? { intraOpNumThreads: o.intraOpThreads } : {}),
    ...(o.interOpThreads ? { interOpNumThreads: o.interOpThreads } : {}),
  };
  const skipped: ProviderUse['skipped'] = [];
  let order: ProviderId[] = [choice as ProviderId];
  if (choice === 'auto') {
    // The probe (once per process) rules out providers that cannot work at all, so each session does not retry them.
    const probed = (await probeProviders()).filter((s) => s.platform);
    for (const s of probed) if (!s.works) skipped.push({ provider: s.provider, reason: s.reason ?? 'does not work' });
    order = probed.filter((s) => s.works).map((s) => s.provider);
  }
  for (const p of order) {
    try {
      const session = await ort.InferenceSession.create(file, { ...base, executionProviders: [p] });
      const use: ProviderUse = { provider: p, skipped };
      if (skipped.length > 0) {
        use.warning = `running on ${providerLabel(p)}, slower than ${skipped.map((s) => providerLabel(s.provider)).join(', ')}: ${skipped.map((s) => `${providerLabel(s.provider)}: ${s.reason}`).join('; ')}`;
      }
      return { session, use };
    } catch (e) {
      const reason = hint(p, (e as Error).message.split('\n')[0]!);
      if (choice !== 'auto') {
        throw new PontError('unavailable', 'provider.cannot_run', { provider: providerLabel(p), file, reason }, [{ file, field: 'provider', reason }]);
      }
      skipped.push({ provider: p, reason });
    }
  }
  throw new PontError('unavailable', 'provider.none', { file, reasons: skipped.map((s) => `${providerLabel(s.provider)}: ${s.reason}`).join('; ') }, [
    { file, reason: 'no provider works' },
  ]);
}
