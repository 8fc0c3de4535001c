import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync } from 'node:fs';
import { setImmediate as turn } from 'node:timers/promises';
import { z } from 'zod';
import { PontError, type MessageId, type MessageParams } from '../errors.ts';
import { throwIfCancelled, type JobContext } from '../jobs/progress.ts';
import { manifestSchema, type PackManifest, type PackPart } from './manifest.ts';
import { checkSignature, type Signature } from './signing.ts';
import { readMember, readTarIndex, TarFormatError, type TarMember } from './tar.ts';

export const MANIFEST = 'manifest.json';
export const SIGNATURE = 'manifest.sig';

const signatureSchema = z.object({ algorithm: z.literal('ed25519'), keyId: z.string(), publicKey: z.string(), signature: z.string() });

/** A pack file opened for reading: its manifest checked against its schema and its signature, its parts located. */
export interface OpenPack {
  file: string;
  fd: number;
  manifest: PackManifest;
  /** sha256 of manifest.json: the pack's identity. */
  sha256: string;
  /** Absent for an unsigned pack. */
  signature?: Signature & { valid: boolean };
  members: Map<string, TarMember>;
  close(): void;
}

function damaged(file: string, field: string, reason: string, id: MessageId = 'pack.unusable', params: MessageParams = { file, field, reason }): PontError {
  return new PontError('bad_data', id, params, [{ file, field, reason }]);
}

function readWhole(fd: number, m: TarMember): Buffer {
  return Buffer.concat([...readMember(fd, m)]);
}

export function openPack(file: string): OpenPack {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    throw new PontError('not_found', 'pack.unopenable', { file, reason: (e as Error).message }, [{ file, reason: (e as Error).message }]);
  }
  try {
    let members: TarMember[];
    try {
      members = readTarIndex(fd, fstatSync(fd).size);
    } catch (e) {
      if (e instanceof TarFormatError) throw damaged(file, '(container)', e.message);
      throw e;
    }
    if (members[0]?.name !== MANIFEST) throw damaged(file, MANIFEST, `the first member is ${members[0]?.name ?? 'missing'}, not ${MANIFEST}`);
    const bytes = readWhole(fd, members[0]);
    let raw: unknown;
    try {
      raw = JSON.parse(bytes.toString('utf8'));
    } catch (e) {
      throw damaged(file, MANIFEST, `not JSON (${(e as Error).message})`);
    }
    const parsed = manifestSchema.safeParse(raw);
    if (!parsed.success) {
      const i = parsed.error.issues[0]!;
      throw damaged(file, `${MANIFEST}: ${i.path.join('.')}`, i.message);
    }
    const manifest = parsed.data;
    const byName = new Map(members.map((m) => [m.name, m]));
    let signature: OpenPack['signature'];
    const sigMember = byName.get(SIGNATURE);
    if (sigMember) {
      const s = signatureSchema.safeParse((() => {
        try {
          return JSON.parse(readWhole(fd, sigMember).toString('utf8'));
        } catch {
          return null;
        }
      })());
      if (!s.success) throw damaged(file, SIGNATURE, 'not a signature Pont can read');
      signature = { ...s.data, valid: checkSignature(bytes, s.data) };
    }
    for (const item of manifest.items) {
      for (const p of item.parts) {
        const m = byName.get(p.path);
        if (!m) throw damaged(file, p.path, `${item.kind} ${item.name}: the part is missing`, 'pack.part_missing', { file, part: p.path, kind: item.kind, name: item.name });
        if (m.size !== p.bytes) {
          throw damaged(file, p.path, `${m.size} bytes instead of ${p.bytes}`, 'pack.part_size', { file, part: p.path, kind: item.kind, name: item.name, size: m.size, bytes: p.bytes });
        }
      }
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    return { file, fd, manifest, sha256, ...(signature ? { signature } : {}), members: byName, close: () => closeSync(fd) };
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}

/** The error that names a part whose bytes do not match the manifest. */
export function partMismatch(pack: OpenPack, part: PackPart): PontError {
  const item = pack.manifest.items.find((i) => i.parts.includes(part));
  const what = item ? ` (${item.kind} ${item.name})` : '';
  return new PontError('bad_data', 'pack.part_mismatch', { file: pack.file, part: part.path, what }, [
    { file: pack.file, field: part.path, reason: 'sha256 mismatch' },
  ]);
}

/**
 * Streams one part through `sink` while hashing it, and checks the hash; yields to the event loop every few
 * megabytes, so that a cancel is seen.
 */
export async function streamPart(pack: OpenPack, part: PackPart, ctx: JobContext, sink: (chunk: Buffer) => void, onBytes: (n: number) => void): Promise<void> {
  const hash = createHash('sha256');
  let since = 0;
  for (const chunk of readMember(pack.fd, pack.members.get(part.path)!)) {
    hash.update(chunk);
    sink(chunk);
    onBytes(chunk.length);
    since += chunk.length;
    if (since >= 16 << 20) {
      since = 0;
      await turn();
      throwIfCancelled(ctx.signal, 'checking the pack');
    }
  }
  if (hash.digest('hex') !== part.sha256) throw partMismatch(pack, part);
}

export interface SignatureStatus {
  state: 'unsigned' | 'valid' | 'invalid';
  keyId?: string;
  /** A valid signature by a key the workspace (or this call) trusts. */
  trusted: boolean;
}

export function signatureStatus(pack: OpenPack, trusted: ReadonlySet<string>): SignatureStatus {
  if (!pack.signature) return { state: 'unsigned', trusted: false };
  if (!pack.signature.valid) return { state: 'invalid', keyId: pack.signature.keyId, trusted: false };
  return { state: 'valid', keyId: pack.signature.keyId, trusted: trusted.has(pack.signature.keyId) };
}

export function refuseBadSignature(pack: OpenPack): void {
  if (pack.signature && !pack.signature.valid) {
    throw new PontError('bad_data', 'pack.bad_signature', { file: pack.file, manifest: MANIFEST, key: pack.signature.keyId }, [
      { file: pack.file, field: SIGNATURE, reason: 'signature does not verify' },
    ]);
  }
}

export function totalBytes(manifest: PackManifest): number {
  return manifest.items.reduce((a, i) => a + i.parts.reduce((b, p) => b + p.bytes, 0), 0);
}
