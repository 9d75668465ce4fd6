/**
 * A fast CSV record splitter for UTF-8 text, giving exactly the records csv-parse gives with
 * `{ bom: true, relax_column_count: true, delimiter }` on input csv-parse accepts. csv-parse
 * walks every byte through a general state machine, which made reading 100k rows slower than all
 * the rules together; here an unquoted line is one native `split`.
 *
 * Anything csv-parse would refuse or treat in a special way (a quote inside an unquoted field, a
 * character after a closing quote, an unclosed quote, a replacement character from bad UTF-8)
 * makes `push` return null: the caller then reads the input again with csv-parse, which stays
 * the judge and words the error. worker/test/csv-records.test.ts holds the two to agreement.
 */
const QUOTE = '"';

export class CsvRecords {
  /** Text after the last complete record (a record may span chunks). */
  private carry = '';
  /** '' until the first line break outside quotes decides it, as csv-parse does. */
  private recordDelimiter = '';

  constructor(private readonly delimiter: string) {}

  /** Records completed by this text (all that remain when `final`); null: let csv-parse read it. */
  push(text: string, final: boolean): string[][] | null {
    if (text.includes('\uFFFD')) return null; // decoders may differ on bad bytes: not ours to judge
    const all = this.carry + text;
    const out: string[][] = [];
    let at = 0;
    let nextQuote = all.indexOf(QUOTE);
    while (at < all.length) {
      if (nextQuote !== -1 && nextQuote < at) nextQuote = all.indexOf(QUOTE, at);
      const end = this.recordDelimiter ? all.indexOf(this.recordDelimiter, at) : -1;
      if (this.recordDelimiter && (nextQuote === -1 || (end !== -1 && nextQuote > end))) {
        if (end === -1 && !final) break; // the rest of this line is in the next chunk
        const stop = end === -1 ? all.length : end;
        out.push(all.slice(at, stop).split(this.delimiter));
        at = end === -1 ? all.length : end + this.recordDelimiter.length;
        continue;
      }
      const next = this.quotedRecord(all, at, final, out);
      if (next === null) return null;
      if (next === -1) break;
      at = next;
    }
    this.carry = all.slice(at);
    return out;
  }

  /**
   * One record read field by field (it has quotes, or no line break has been seen yet). Returns
   * where the next record starts, -1 when the chunk ends inside it, null for anything odd.
   */
  private quotedRecord(all: string, start: number, final: boolean, out: string[][]): number | null {
    const fields: string[] = [];
    let at = start;
    for (;;) {
      let value: string;
      let after: number;
      if (all[at] === QUOTE) {
        const quoted = readQuoted(all, at + 1, final);
        if (quoted === null || quoted === -1) return quoted;
        [value, after] = quoted;
        if (after < all.length && all[after] !== this.delimiter && !this.breakAt(all, after, final)) {
          if (after + 1 === all.length && !final) return -1; // "\r" at a chunk end: "\r\n" or not
          return null; // csv-parse: invalid closing quote
        }
      } else {
        after = at;
        while (after < all.length && all[after] !== this.delimiter && !this.breakAt(all, after, final)) {
          if (all[after] === QUOTE) return null; // csv-parse: invalid opening quote
          if (all[after] === '\r' && after + 1 === all.length && !final && !this.recordDelimiter) return -1;
          after++;
        }
        value = all.slice(at, after);
      }
      fields.push(value);
      if (after >= all.length) {
        if (!final) return -1;
        out.push(fields);
        return all.length;
      }
      if (all[after] === this.delimiter) {
        at = after + 1;
        continue;
      }
      out.push(fields);
      return after + this.recordDelimiter.length;
    }
  }

  /** Whether a record ends at `at`; the first line break outside quotes decides which one counts. */
  private breakAt(all: string, at: number, final: boolean): boolean {
    if (this.recordDelimiter) return all.startsWith(this.recordDelimiter, at);
    const c = all[at];
    if (c !== '\r' && c !== '\n') return false;
    if (c === '\r' && at + 1 === all.length && !final) return false; // undecided until the next chunk
    this.recordDelimiter = c === '\r' && all[at + 1] === '\n' ? '\r\n' : c;
    return true;
  }
}

/** A quoted field's value from just after its opening quote: [value, index after the closing quote]. */
function readQuoted(all: string, from: number, final: boolean): [string, number] | -1 | null {
  let value = '';
  let at = from;
  for (;;) {
    const q = all.indexOf(QUOTE, at);
    if (q === -1) return final ? null : -1; // csv-parse: quote not closed
    value += all.slice(at, q);
    if (q + 1 === all.length && !final) return -1; // "" or " + delimiter: the next chunk says
    if (all[q + 1] !== QUOTE) return [value, q + 1];
    value += QUOTE;
    at = q + 2;
  }
}
