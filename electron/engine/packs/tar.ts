import { closeSync, openSync, readSync, writeSync } from 'node:fs';

/**
 * The pack container: an uncompressed POSIX tar (ustar). Every member sits at a known offset after a 512-byte
 * header, so a reader can hash one part at a time, skip parts it already has, and stream the file from a USB stick
 * without unpacking it; partners can also look inside with any tar tool.
 */
const BLOCK = 512;

export interface TarMember {
  name: string;
  size: number;
  /** Offset of the member's data in the file. */
  offset: number;
}

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, '0') + '\0';
}

function header(name: string, size: number, mtime: number): Buffer {
  const h = Buffer.alloc(BLOCK);
  if (Buffer.byteLength(name) > 100) throw new Error(`tar member name too long: ${name}`);
  // ustar keeps sizes in 11 octal digits: 8 GiB per member, far above any part Pont writes.
  if (size >= 8 ** 11) throw new Error(`tar member ${name} is over 8 GiB`);
  h.write(name, 0, 100, 'utf8');
  h.write(octal(0o644, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii');
  h.write(octal(0, 8), 116, 'ascii');
  h.write(octal(size, 12), 124, 'ascii');
  h.write(octal(mtime, 12), 136, 'ascii');
  h.write('        ', 148, 'ascii');
  h.write('0', 156, 'ascii');
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(octal(sum, 7) + ' ', 148, 'ascii');
  return h;
}

/** Writes a tar file member by member; members are copied in chunks, never held whole in memory. */
export class TarWriter {
  private readonly fd: number;
  private readonly mtime = Math.floor(Date.now() / 1000);

  constructor(file: string) {
    this.fd = openSync(file, 'w');
  }

  add(name: string, data: Buffer): void {
    writeSync(this.fd, header(name, data.length, this.mtime));
    writeSync(this.fd, data);
    this.pad(data.length);
  }

  addFile(name: string, file: string, size: number): void {
    writeSync(this.fd, header(name, size, this.mtime));
    const src = openSync(file, 'r');
    const buf = Buffer.allocUnsafe(1 << 20);
    try {
      let done = 0;
      while (done < size) {
        const n = readSync(src, buf, 0, Math.min(buf.length, size - done), done);
        if (n === 0) throw new Error(`${file} shrank while it was being packed`);
        writeSync(this.fd, buf, 0, n);
        done += n;
      }
    } finally {
      closeSync(src);
    }
    this.pad(size);
  }

  private pad(size: number): void {
    const rest = (BLOCK - (size % BLOCK)) % BLOCK;
    if (rest) writeSync(this.fd, Buffer.alloc(rest));
  }

  close(): void {
    writeSync(this.fd, Buffer.alloc(BLOCK * 2));
    closeSync(this.fd);
  }
}

export class TarFormatError extends Error {}

/** Lists a tar file's members by reading only their headers. */
export function readTarIndex(fd: number, fileSize: number): TarMember[] {
  const out: TarMember[] = [];
  const h = Buffer.alloc(BLOCK);
  let pos = 0;
  while (pos + BLOCK <= fileSize) {
    if (readSync(fd, h, 0, BLOCK, pos) < BLOCK) break;
    if (h.every((b) => b === 0)) return out;
    const stored = parseInt(h.toString('ascii', 148, 156).replace(/[\0 ]/g, ''), 8);
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
    if (stored !== sum) throw new TarFormatError(`the header at byte ${pos} is damaged`);
    const name = h.toString('utf8', 0, 100).replace(/\0.*$/s, '');
    const size = parseInt(h.toString('ascii', 124, 136).replace(/[\0 ]/g, ''), 8);
    out.push({ name, size, offset: pos + BLOCK });
    pos += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (pos > fileSize) throw new TarFormatError(`member ${name} is cut short (the file ends at byte ${fileSize})`);
  }
  throw new TarFormatError('the file ends without the end-of-archive marker (it was cut short)');
}

/** Reads a member's data in chunks, in order, without loading it whole. */
export function* readMember(fd: number, m: TarMember, chunk = 1 << 20): Generator<Buffer> {
  const buf = Buffer.allocUnsafe(Math.min(chunk, Math.max(1, m.size)));
  let done = 0;
  while (done < m.size) {
    const n = readSync(fd, buf, 0, Math.min(buf.length, m.size - done), m.offset + done);
    if (n === 0) throw new TarFormatError(`member ${m.name} is cut short`);
    done += n;
    yield buf.subarray(0, n);
  }
}
