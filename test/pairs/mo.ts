/**
 * A compiled gettext catalogue, laid out as GNU msgfmt does (header, two string tables, strings), in either byte order.
 * Keys are `msgctxt\x04msgid` or `msgid`, with `\0msgid_plural` for plurals; values hold the forms separated by \0.
 */
export function moFile(entries: [string, string][], byteOrder: 'le' | 'be'): Buffer {
  const sorted = [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const n = sorted.length;
  const origAt = 28;
  const transAt = origAt + n * 8;
  let at = transAt + n * 8;
  const strings: Buffer[] = [];
  const table = Buffer.alloc(n * 16);
  const u32 = (b: Buffer, v: number, o: number) => (byteOrder === 'le' ? b.writeUInt32LE(v, o) : b.writeUInt32BE(v, o));
  sorted.forEach(([k], i) => {
    const s = Buffer.from(k, 'utf8');
    u32(table, s.length, i * 8);
    u32(table, at, i * 8 + 4);
    strings.push(s, Buffer.from([0]));
    at += s.length + 1;
  });
  sorted.forEach(([, v], i) => {
    const s = Buffer.from(v, 'utf8');
    u32(table, s.length, n * 8 + i * 8);
    u32(table, at, n * 8 + i * 8 + 4);
    strings.push(s, Buffer.from([0]));
    at += s.length + 1;
  });
  const head = Buffer.alloc(28);
  u32(head, 0x950412de, 0);
  u32(head, 0, 4);
  u32(head, n, 8);
  u32(head, origAt, 12);
  u32(head, transAt, 16);
  u32(head, 0, 20);
  u32(head, 0, 24);
  return Buffer.concat([head, table, ...strings]);
}
