import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { createGzip } from 'node:zlib';

/**
 * Writes text given in pieces to a file, gzip-compressed when its name ends in `.gz`, waiting whenever the stream is
 * full, so that memory holds one piece at a time however long the file.
 */
export async function writeTextFile(file: string, pieces: Iterable<string> | AsyncIterable<string>): Promise<void> {
  const out = createWriteStream(file);
  const gzip = file.endsWith('.gz') ? createGzip() : undefined;
  if (gzip) gzip.pipe(out);
  const target = gzip ?? out;
  const failed = new Promise<never>((_resolve, reject) => {
    out.once('error', reject);
    gzip?.once('error', reject);
  });
  failed.catch(() => {});
  for await (const piece of pieces) {
    if (!target.write(piece)) await Promise.race([once(target, 'drain'), failed]);
  }
  target.end();
  await Promise.race([once(out, 'finish'), failed]);
}
