/**
 * Hostile containers for the inspection tests, written byte by byte: zips whose central directory
 * says what no zip writer would (entries sharing bytes, offsets past any file, sizes that lie),
 * and images cut short. Test support only.
 */
import zlib from 'node:zlib';

/** One entry of a hand-written zip. */
export interface HandEntry {
  name: string;
  /** The entry's data as stored in the file (deflated unless `method` is 0). */
  data: Buffer;
  /** The uncompressed size the directory declares. */
  size: number;
  crc?: number;
  method?: 0 | 8;
  /** Point the directory at the local header of an earlier entry instead of writing one. */
  sameBytesAs?: string;
  /** Give the local header offset in a zip64 extra field (the 32-bit one saturated). */
  zip64Offset?: bigint;
}

/** An entry holding `text`, deflated, with its true size and CRC. */
export function deflatedEntry(name: string, text: string | Buffer): HandEntry {
  const raw = Buffer.from(text);
  return { name, data: zlib.deflateRawSync(raw), size: raw.length, crc: zlib.crc32(raw) };
}

/** A zip from hand-made entries; `declaredCount` overrides the count of the end record. */
export function handZip(entries: HandEntry[], options: { declaredCount?: number } = {}): Buffer {
  const out: Buffer[] = [];
  const offsets = new Map<string, number>();
  let offset = 0;
  for (const e of entries) {
    if (e.sameBytesAs !== undefined) continue;
    const name = Buffer.from(e.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(e.method ?? 8, 8);
    local.writeUInt32LE((e.crc ?? 0) >>> 0, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.size, 22);
    local.writeUInt16LE(name.length, 26);
    offsets.set(e.name, offset);
    out.push(local, name, e.data);
    offset += local.length + name.length + e.data.length;
  }
  const central: Buffer[] = [];
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const extra = Buffer.alloc(e.zip64Offset === undefined ? 0 : 12);
    if (e.zip64Offset !== undefined) {
      extra.writeUInt16LE(0x0001, 0);
      extra.writeUInt16LE(8, 2);
      extra.writeBigUInt64LE(e.zip64Offset, 4);
    }
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(45, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(0x800, 8);
    c.writeUInt16LE(e.method ?? 8, 10);
    c.writeUInt32LE((e.crc ?? 0) >>> 0, 16);
    c.writeUInt32LE(e.data.length, 20);
    c.writeUInt32LE(e.size, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt16LE(extra.length, 30);
    c.writeUInt32LE(e.zip64Offset !== undefined ? 0xffffffff : (offsets.get(e.sameBytesAs ?? e.name) ?? 0), 42);
    central.push(c, name, extra);
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  const count = Math.min(options.declaredCount ?? entries.length, 0xfffe);
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...out, cd, end]);
}

/**
 * Deflate data that inflates to nothing however long it is: `blocks` empty stored blocks and a
 * final empty one. An entry of it costs reading and inflating its length, for no output.
 */
export function emptyDeflate(blocks: number): Buffer {
  return Buffer.concat([...Array<Buffer>(blocks).fill(Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff])), Buffer.from([0x03, 0x00])]);
}

/** The parts every DOCX needs, for zips built around them. */
export function docxParts(): HandEntry[] {
  const types =
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';
  const doc = '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>hello</w:t></w:r></w:p></w:body></w:document>';
  return [deflatedEntry('[Content_Types].xml', types), deflatedEntry('word/document.xml', doc)];
}
