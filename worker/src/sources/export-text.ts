/**
 * Bytes of a CSV export → text, chunk by chunk. UTF-8 (Coursera's own) and UTF-16 (Excel's "Unicode
 * text") are read as such. A file that is not UTF-8 from its first non-ASCII byte on — Excel's
 * "CSV" in a Russian or Kazakh locale writes Windows-1251 — is read as Windows-1251, and the sync
 * says so. What fits neither (UTF-8 that turns invalid halfway, or control characters where
 * Windows-1251 has letters) is refused at the line, never read as mojibake: `badLine` tells.
 */
import { TextDecoder } from 'node:util';

export type ExportEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1251';

/** Length of the UTF-8 sequence a lead byte starts, 0 when it cannot start one. */
const sequenceLength = (b: number) =>
  b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;

/** Whether the chunk's first non-ASCII bytes form a UTF-8 sequence (a sequence cut at the end counts). */
function startsAsUtf8(chunk: Uint8Array, from: number): boolean {
  const n = sequenceLength(chunk[from]);
  if (!n) return false;
  for (let i = from + 1; i < Math.min(from + n, chunk.length); i++) if ((chunk[i] & 0xc0) !== 0x80) return false;
  return true;
}

const firstNonAscii = (chunk: Uint8Array) => chunk.findIndex((b) => b >= 0x80);

export class ExportTextDecoder {
  private decoder: TextDecoder;
  /** A non-ASCII UTF-8 character has been read: the file is UTF-8, a later bad byte is damage. */
  private sawUtf8 = false;
  /** Invalid UTF-8 after valid UTF-8: lines with U+FFFD are refused. */
  private damaged = false;

  constructor(public encoding: ExportEncoding) {
    this.decoder = new TextDecoder(encoding, { fatal: encoding === 'utf-8' });
  }

  decode(chunk: Uint8Array): string {
    if (this.encoding !== 'utf-8' || this.damaged) return this.decoder.decode(chunk, { stream: true });
    try {
      const text = this.decoder.decode(chunk, { stream: true });
      if (!this.sawUtf8 && firstNonAscii(chunk) >= 0) this.sawUtf8 = true;
      return text;
    } catch {
      const at = firstNonAscii(chunk);
      // Nothing but ASCII so far, and the first non-ASCII byte is no UTF-8: a legacy single-byte file.
      if (!this.sawUtf8 && at >= 0 && !startsAsUtf8(chunk, at)) {
        this.encoding = 'windows-1251';
        this.decoder = new TextDecoder('windows-1251');
      } else {
        this.damaged = true;
        this.decoder = new TextDecoder('utf-8');
      }
      return this.decoder.decode(chunk, { stream: true });
    }
  }

  end(): string {
    return this.decoder.decode();
  }

  /** Why a parsed line's text cannot be trusted, or null. */
  badLine(fields: readonly string[]): string | null {
    if (this.damaged && fields.some((f) => f.includes('\uFFFD')))
      return 'not valid UTF-8 here, though the lines before are UTF-8';
    // C1 controls: Windows-1251 has letters at those bytes only in other code pages: not this encoding either.
    if (this.encoding === 'windows-1251' && fields.some((f) => /[\u0080-\u009f]/.test(f)))
      return 'neither UTF-8 nor Windows-1251 text';
    return null;
  }
}
