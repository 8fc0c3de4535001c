import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { PontError } from '../errors.ts';

/**
 * Ed25519 signatures over a pack's manifest.json. The manifest holds the sha256 of every part, so one signature
 * covers the whole pack. Keys are PEM files: PKCS#8 for the private key, SPKI for the public one.
 */

export interface Signature {
  algorithm: 'ed25519';
  keyId: string;
  /** The signer's public key (SPKI PEM), so that any reader can check the signature and show who signed. */
  publicKey: string;
  signature: string;
}

/** A short, stable name for a public key: the first 16 hex digits of the sha256 of its SPKI encoding. */
export function keyId(key: KeyObject): string {
  return createHash('sha256').update(key.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
}

export function generateKeys(base: string): { privateKey: string; publicKey: string; keyId: string } {
  const privateFile = `${base}.key`;
  const publicFile = `${base}.pub`;
  for (const f of [privateFile, publicFile]) {
    if (existsSync(f)) throw new PontError('conflict', 'path.exists', { path: f }, [{ file: f, reason: 'exists' }]);
  }
  const pair = generateKeyPairSync('ed25519');
  writeFileSync(privateFile, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  writeFileSync(publicFile, pair.publicKey.export({ type: 'spki', format: 'pem' }));
  return { privateKey: privateFile, publicKey: publicFile, keyId: keyId(pair.publicKey) };
}

function readPem(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new PontError('not_found', 'file.unreadable_kind', { what, file, reason: (e as Error).message }, [{ file, reason: (e as Error).message }]);
  }
}

function ed25519(key: KeyObject, file: string): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new PontError('invalid_input', 'pack.key_not_ed25519', { file, type: String(key.asymmetricKeyType) }, [
      { file, reason: 'not an Ed25519 key' },
    ]);
  }
  return key;
}

export function loadPrivateKey(file: string): KeyObject {
  const pem = readPem(file, 'private key');
  try {
    return ed25519(createPrivateKey(pem), file);
  } catch (e) {
    if (e instanceof PontError) throw e;
    throw new PontError('invalid_input', 'pack.not_private_key', { file, reason: (e as Error).message }, [{ file, reason: 'not a PEM private key' }]);
  }
}

/** A public key from a .pub file, or the public half of a private key file. */
export function loadPublicKey(file: string): { pem: string; keyId: string } {
  const pem = readPem(file, 'public key');
  let key: KeyObject;
  try {
    key = ed25519(createPublicKey(pem), file);
  } catch (e) {
    if (e instanceof PontError) throw e;
    throw new PontError('invalid_input', 'pack.not_public_key', { file, reason: (e as Error).message }, [{ file, reason: 'not a PEM public key' }]);
  }
  return { pem: key.export({ type: 'spki', format: 'pem' }) as string, keyId: keyId(key) };
}

export function signManifest(manifest: Buffer, privateKey: KeyObject): Signature {
  const pub = createPublicKey(privateKey);
  return {
    algorithm: 'ed25519',
    keyId: keyId(pub),
    publicKey: pub.export({ type: 'spki', format: 'pem' }) as string,
    signature: sign(null, manifest, privateKey).toString('base64'),
  };
}

/** True when the signature is the one its own public key makes over these manifest bytes. */
export function checkSignature(manifest: Buffer, s: Signature): boolean {
  try {
    const pub = createPublicKey(s.publicKey);
    return s.algorithm === 'ed25519' && keyId(pub) === s.keyId && verify(null, manifest, pub, Buffer.from(s.signature, 'base64'));
  } catch {
    return false;
  }
}
