/**
 * Files the sidebar sends (base64 over google.script.run), as the host holds them: Apps Script
 * blobs in production (decoding, unzipping and hashing run in Google's native code), Node buffers
 * in the harness and tests. The import code sees only this interface.
 */
import type { CsvEncoding } from '../../../shared/src/export-csv';

export interface FileBlob {
  readonly name: string;
  readonly size: number;
  /** The first `n` bytes, 0–255 (magic number, byte-order mark). */
  head(n: number): number[];
  /** The bytes as text in that encoding (invalid UTF-8 becomes U+FFFD, which the reader refuses). */
  text(encoding: CsvEncoding): string;
}

export interface FileHost {
  fromBase64(base64: string, name: string): FileBlob;
  /** Lowercase hex SHA-256 of the bytes (the Sync log's export identity). */
  sha256(blob: FileBlob): string;
  /** Every entry of a ZIP, in memory: nothing is written anywhere. */
  unzip(blob: FileBlob): FileBlob[];
  /** Every tab's name (to name a renamed layout tab instead of building a second one). */
  listTabs(): string[];
}

const CHARSETS: Record<CsvEncoding, string> = { utf8: 'UTF-8', 'utf-16le': 'UTF-16LE', 'utf-16be': 'UTF-16BE' };

type GasBlob = GoogleAppsScript.Base.Blob;
const unsigned = (bytes: readonly number[]): number[] => bytes.map((b) => b & 0xff);
const hex = (bytes: readonly number[]): string =>
  unsigned(bytes)
    .map((b) => (b < 16 ? '0' : '') + b.toString(16))
    .join('');

function gasFile(blob: GasBlob, name: string): FileBlob & { readonly blob: GasBlob } {
  let bytes: number[] | null = null;
  const all = () => (bytes ??= blob.getBytes());
  return {
    blob,
    name,
    get size() {
      return all().length;
    },
    head: (n) => unsigned(all().slice(0, n)),
    text: (encoding) => blob.getDataAsString(CHARSETS[encoding]),
  };
}

/** The Apps Script host: Utilities (no OAuth scope) and the active spreadsheet's tab names. */
export function appsScriptFileHost(spreadsheet: () => GoogleAppsScript.Spreadsheet.Spreadsheet): FileHost {
  const blobOf = (f: FileBlob): GasBlob => (f as ReturnType<typeof gasFile>).blob;
  return {
    fromBase64: (base64, name) =>
      gasFile(Utilities.newBlob(Utilities.base64Decode(base64), 'application/zip', name), name),
    sha256: (f) => hex(Utilities.computeDigest(Utilities.DigestAlgorithm.SHA_256, blobOf(f).getBytes())),
    unzip: (f) => Utilities.unzip(blobOf(f)).map((b) => gasFile(b, b.getName() ?? '')),
    listTabs: () =>
      spreadsheet()
        .getSheets()
        .map((s) => s.getName()),
  };
}
