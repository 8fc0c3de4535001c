import { resolve } from 'node:path';
import { PontError, type ErrorDetail } from '../errors.ts';
import { ProgressMeter, type JobContext } from '../jobs/progress.ts';
import type { PackManifest } from './manifest.ts';
import { openPack, signatureStatus, streamPart, totalBytes, type SignatureStatus } from './read.ts';
import { loadPublicKey } from './signing.ts';

export interface VerifyReport {
  file: string;
  sha256: string;
  manifest: PackManifest;
  signature: SignatureStatus;
  parts: { path: string; kind: string; item: string; bytes: number; ok: boolean }[];
  ok: boolean;
}

/**
 * Checks a pack without installing it: the manifest against its schema and signature, every part against its
 * sha256. Every part is checked, and all the bad ones are named.
 */
export async function verifyPackFile(file: string, trust: string[], ctx: JobContext): Promise<VerifyReport> {
  const pack = openPack(resolve(file));
  try {
    const signature = signatureStatus(pack, new Set(trust.map((t) => loadPublicKey(t).keyId)));
    const meter = new ProgressMeter(ctx.progress);
    const total = totalBytes(pack.manifest);
    let bytes = 0;
    const parts: VerifyReport['parts'] = [];
    const bad: ErrorDetail[] = [];
    for (const item of pack.manifest.items) {
      for (const part of item.parts) {
        let ok = true;
        try {
          await streamPart(pack, part, ctx, () => {}, (n) => {
            bytes += n;
            meter.update({ phase: 'checking', done: bytes, total, unit: 'B' });
          });
        } catch (e) {
          if (!(e instanceof PontError) || e.code !== 'bad_data') throw e;
          ok = false;
          bad.push({ file: pack.file, field: part.path, reason: `${item.kind} ${item.name}: sha256 mismatch` });
        }
        parts.push({ path: part.path, kind: item.kind, item: item.name, bytes: part.bytes, ok });
      }
    }
    if (signature.state === 'invalid') bad.unshift({ file: pack.file, field: 'manifest.sig', reason: `the manifest does not match its signature (key ${signature.keyId})` });
    if (bad.length > 0) {
      const first = bad[0]!;
      throw new PontError('bad_data', 'pack.altered', { file: pack.file, part: first.field ?? '', reason: first.reason, more: bad.length > 1 ? ` and ${bad.length - 1} more` : '' }, bad);
    }
    return { file: pack.file, sha256: pack.sha256, manifest: pack.manifest, signature, parts, ok: true };
  } finally {
    pack.close();
  }
}
