import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PontError } from '../errors.ts';

const MAGIC = 'PONTCKP1';

/** Named float32 arrays and a JSON header: the weights and optimiser state of a job after some step. */
export interface Checkpoint {
  meta: Record<string, unknown>;
  arrays: Map<string, Float32Array>;
}

/**
 * Writes a checkpoint durably under its final name: to a temporary file, fsync, rename, fsync the folder. The caller
 * then records the name in the database; a crash before that leaves the database pointing at the previous one.
 */
export function writeCheckpoint(file: string, c: Checkpoint): void {
  const names = [...c.arrays.keys()];
  const header = Buffer.from(JSON.stringify({ meta: c.meta, arrays: names.map((n) => ({ name: n, length: c.arrays.get(n)!.length })) }));
  const pad = (4 - ((MAGIC.length + 4 + header.length) % 4)) % 4;
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    const len = Buffer.alloc(4);
    len.writeUInt32LE(header.length + pad);
    writeSync(fd, Buffer.from(MAGIC));
    writeSync(fd, len);
    writeSync(fd, Buffer.concat([header, Buffer.alloc(pad, 0x20)]));
    for (const n of names) {
      const a = c.arrays.get(n)!;
      writeSync(fd, new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  const dir = openSync(dirname(file), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}

export function readCheckpoint(file: string): Checkpoint {
  const b = readFileSync(file);
  if (b.subarray(0, MAGIC.length).toString() !== MAGIC) throw new PontError('bad_data', 'training.not_checkpoint', { file }, [{ file, reason: 'bad magic' }]);
  const hl = b.readUInt32LE(MAGIC.length);
  const start = MAGIC.length + 4;
  const header = JSON.parse(b.subarray(start, start + hl).toString()) as { meta: Record<string, unknown>; arrays: { name: string; length: number }[] };
  const arrays = new Map<string, Float32Array>();
  let at = start + hl;
  for (const { name, length } of header.arrays) {
    const bytes = b.subarray(at, at + length * 4);
    if (bytes.length !== length * 4) throw new PontError('bad_data', 'training.checkpoint_truncated', { file, array: name }, [{ file, field: name, reason: 'truncated' }]);
    arrays.set(name, new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)));
    at += length * 4;
  }
  return { meta: header.meta, arrays };
}

export const checkpointName = (step: number): string => `step-${String(step).padStart(9, '0')}.ckpt`;

export const trainingDir = (workspaceDir: string, name: string): string => join(workspaceDir, 'training', name);
