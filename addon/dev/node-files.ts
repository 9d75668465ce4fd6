/**
 * The FileHost over Node (harness and tests): what Utilities does in Apps Script — base64, SHA-256,
 * charset decoding and an in-memory unzip (the ZIP's central directory, stored or deflated entries).
 */
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import type { FileBlob, FileHost } from '../src/server/file-host';
import type { SyncWorkbook } from '../src/server/context';

const blobs = new WeakMap<FileBlob, Buffer>();

export function nodeBlob(bytes: Buffer, name: string): FileBlob {
  const blob: FileBlob = {
    name,
    size: bytes.length,
    head: (n) => [...bytes.subarray(0, n)],
    // Java's decoders (Blob.getDataAsString) keep a BOM; csv-parse's `bom` option drops it either way.
    text: (encoding) => new TextDecoder(encoding, { ignoreBOM: true }).decode(bytes),
  };
  blobs.set(blob, bytes);
  return blob;
}

const bytesOf = (f: FileBlob): Buffer => blobs.get(f) ?? Buffer.alloc(0);

/** Entries of a ZIP held in memory (like Utilities.unzip: throws on a file that is not a ZIP). */
export function unzipBuffer(zip: Buffer): { name: string; bytes: Buffer }[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('Invalid argument: blob (not a zip file)');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const out: { name: string; bytes: Buffer }[] = [];
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const skip = nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const local = zip.readUInt32LE(at + 42);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(start, start + size);
    out.push({ name, bytes: method === 0 ? Buffer.from(raw) : zlib.inflateRawSync(raw) });
    at += 46 + skip;
  }
  return out;
}

export function nodeFileHost(workbook?: SyncWorkbook & { listTabs?(): string[] }): FileHost {
  return {
    fromBase64: (base64, name) => nodeBlob(Buffer.from(base64, 'base64'), name),
    sha256: (f) => crypto.createHash('sha256').update(bytesOf(f)).digest('hex'),
    unzip: (f) => unzipBuffer(bytesOf(f)).map((e) => nodeBlob(e.bytes, e.name)),
    listTabs: () => workbook?.listTabs?.() ?? [],
  };
}
