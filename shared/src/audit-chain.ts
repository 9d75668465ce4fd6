/**
 * The tamper-evident Audit tab. Every row's `Hash` is
 *
 *     SHA-256( JSON.stringify([previousHash, At, Who, Action, Email, Course slug, Before, After, Reason]) )
 *
 * over UTF-8, as 64 lowercase hex digits; the fields are the cells under the layout's Audit
 * headers (found by name, so reordered columns verify the same; a user's own columns are not
 * hashed) read as trimmed text, blank = "". The first row chains from `AUDIT_CHAIN_SEED`, every
 * other row from the stored Hash of the row above it. JSON of an array is an unambiguous
 * encoding: no choice of cell texts can make two different rows hash the same input.
 *
 * What it proves: rows edited, inserted, emptied or deleted (anywhere but at the very end) by
 * someone who did not recompute every later hash. What it cannot: the algorithm and the seed are
 * public, so someone who can edit the sheet can recompute a whole forged chain; and removing the
 * last rows leaves a shorter intact chain. Sheet protection and the spreadsheet's version history
 * are the other layers.
 */
import { cellText, type Cell, type Row } from './cells';
import { AUDIT_TAB, indexColumns, type ColumnDef } from './layout';
import { sha256Hex } from './sha256';
import type { TabSnapshot } from './workbook';

/** The "previous hash" of the first Audit row. Changing it would break every existing chain. */
export const AUDIT_CHAIN_SEED = 'MOOC Desk audit chain v1';

export const AUDIT_HASH_KEY = 'Hash';

/** What the chain reads of the Audit tab (a `TabSnapshot` is one). */
export type AuditTabLike = Pick<TabSnapshot, 'header' | 'rows'>;

/** The Audit columns a row's hash covers, in layout order (every layout column but Hash). */
export const AUDIT_HASHED_COLUMNS: readonly ColumnDef[] = AUDIT_TAB.columns.filter((c) => c.key !== AUDIT_HASH_KEY);

/** `fields`: the row's cells for `AUDIT_HASHED_COLUMNS`, in that order. */
export function auditRowHash(previousHash: string, fields: readonly (Cell | undefined)[]): string {
  const input = JSON.stringify([previousHash, ...fields.map((f) => cellText(f))]);
  let hash = knownHashes.get(input);
  if (hash === undefined) {
    if (knownHashes.size >= KNOWN_HASHES_MAX) knownHashes.clear();
    hash = sha256Hex(input);
    knownHashes.set(input, hash);
  }
  return hash;
}

/**
 * The same rows are verified again and again within one run (every approval of a batch, the
 * queue and the view each read the whole chain), and SHA-256 in plain JS is the cost (Apps Script
 * has no native digest we can rely on here). The hash of an input never changes, so remember it;
 * the bound keeps memory flat however long the Audit tab grows.
 */
const KNOWN_HASHES_MAX = 50_000;
const knownHashes = new Map<string, string>();

/** The fields of a row given by layout key (as `auditPlan` builds it), in hashing order. */
export function auditFieldsOf(record: Readonly<Record<string, Cell | undefined>>): Cell[] {
  return AUDIT_HASHED_COLUMNS.map((c) => record[c.key] ?? null);
}

/**
 * `edited` also covers rows deleted just above (the two look alike); `broken` is a row whose hash
 * matches nothing around it (its hash edited, a forged row at the end, several changes at once).
 */
export type AuditProblemCode = 'missing-column' | 'missing-hash' | 'emptied' | 'edited' | 'inserted' | 'broken';

export interface AuditProblem {
  /** Sheet row number (the header is row 1). */
  readonly row: number;
  readonly code: AuditProblemCode;
  /** For an admin, in English, without the row number (see `describeAuditProblem`). */
  readonly reason: string;
}

export interface AuditChainReport {
  /** Data rows checked (trailing blank rows are not rows). */
  readonly rows: number;
  readonly intact: boolean;
  /** The first break only: everything from it on is untrusted anyway. */
  readonly problems: AuditProblem[];
  /** Leading data rows whose chain verified (all of them when intact). */
  readonly trustedRows: number;
}

export const describeAuditProblem = (p: AuditProblem): string => `row ${p.row}: ${p.reason}`;

const isBlankRow = (r: Row | undefined) => !r || r.every((c) => cellText(c) === '');

/** A readable view of the Audit tab for hashing: fields and stored hash per data row. */
function chainRows(tab: AuditTabLike): {
  rows: Row[];
  fields: (i: number) => Cell[];
  hash: (i: number) => string;
  missing: ColumnDef[];
  hashColumn: boolean;
} {
  const idx = indexColumns(AUDIT_TAB, tab.header);
  const rows = tab.rows.slice();
  while (rows.length && isBlankRow(rows[rows.length - 1])) rows.pop();
  return {
    rows,
    fields: (i) => AUDIT_HASHED_COLUMNS.map((c) => (idx[c.key] >= 0 ? (rows[i]?.[idx[c.key]] ?? null) : null)),
    hash: (i) => (idx[AUDIT_HASH_KEY] >= 0 ? cellText(rows[i]?.[idx[AUDIT_HASH_KEY]] ?? null).toLowerCase() : ''),
    missing: AUDIT_HASHED_COLUMNS.filter((c) => idx[c.key] < 0),
    hashColumn: idx[AUDIT_HASH_KEY] >= 0,
  };
}

/** The Hash a new row appended below the tab chains from: the last row's stored Hash, or the seed. */
export function lastAuditHash(tab: AuditTabLike | undefined): string {
  if (!tab) return AUDIT_CHAIN_SEED;
  const { rows, hash } = chainRows(tab);
  return rows.length ? hash(rows.length - 1) : AUDIT_CHAIN_SEED;
}

/** Checks the chain from the seed down; reports the first break. A missing or empty tab is intact. */
export function verifyAuditChain(tab: AuditTabLike | undefined): AuditChainReport {
  if (!tab) return { rows: 0, intact: true, problems: [], trustedRows: 0 };
  const { rows, fields, hash, missing, hashColumn } = chainRows(tab);
  const broken = (i: number, code: AuditProblemCode, reason: string): AuditChainReport => ({
    rows: rows.length,
    intact: false,
    problems: [{ row: i + 2, code, reason }],
    trustedRows: i,
  });
  if (!rows.length) return { rows: 0, intact: true, problems: [], trustedRows: 0 };
  if (missing.length) {
    const names = missing.map((c) => `"${c.header}"`).join(', ');
    return {
      ...broken(
        -1,
        'missing-column',
        `the Audit tab has no ${names} column: it was renamed or deleted, so no row can be verified`,
      ),
      trustedRows: 0,
    };
  }
  const previous = (i: number) => (i === 0 ? AUDIT_CHAIN_SEED : hash(i - 1));
  for (let i = 0; i < rows.length; i++) {
    const stored = hash(i);
    if (!stored) {
      if (isBlankRow(rows[i])) return broken(i, 'emptied', 'the row was emptied (its cells and its hash are blank)');
      if (!hashColumn)
        return broken(
          i,
          'missing-hash',
          'hash missing: the Audit tab has no "Hash" column (written before the audit chain existed, or the column was deleted)',
        );
      return broken(
        i,
        'missing-hash',
        'hash missing: the row was typed or pasted in by hand, or written before the audit chain existed',
      );
    }
    if (stored === auditRowHash(previous(i), fields(i))) continue;
    const [at, code, reason] = diagnose(i);
    return broken(at, code, reason);
  }
  return { rows: rows.length, intact: true, problems: [], trustedRows: rows.length };

  /**
   * Why row i does not chain, and where the damage starts. Insertions can be told apart (a later
   * row chains from an earlier one across them); an edited row and rows deleted just above a row
   * look alike (the lost hashes are gone), so they share one reason.
   */
  function diagnose(i: number): [number, AuditProblemCode, string] {
    // Rows i..k-1 typed in by hand: row k still chains from the row above i.
    for (let k = i + 1; k < rows.length; k++) {
      if (hash(k) && hash(k) === auditRowHash(previous(i), fields(k))) {
        const n = k - i;
        return [
          i,
          'inserted',
          `inserted by hand${n > 1 ? ` (with the ${n - 1} row(s) below it)` : ''}: row ${k + 2} chains from the row above it`,
        ];
      }
    }
    // Rows j+1..i-1 inserted with hashes computed over the rows above them: row i chains from row j.
    for (let j = i - 2; j >= -1; j--) {
      if (hash(i) === auditRowHash(j < 0 ? AUDIT_CHAIN_SEED : hash(j), fields(i))) {
        const n = i - j - 1;
        return [
          j + 1,
          'inserted',
          `inserted by hand${n > 1 ? ` (with the ${n - 1} row(s) below it)` : ''}: row ${i + 2} chains from ${j < 0 ? 'the start of the chain' : `row ${j + 2}`}, above it`,
        ];
      }
    }
    const next = i + 1 < rows.length ? i + 1 : -1;
    if (next >= 0 && hash(next) === auditRowHash(hash(i), fields(next))) {
      // The row below still chains from this row's stored hash.
      return [
        i,
        'edited',
        `edited after it was written, or ${i === 0 ? 'the first rows of the tab' : 'the row(s) just above it'} were deleted: its cells no longer match its hash`,
      ];
    }
    return [
      i,
      'broken',
      'does not chain from the row above (hash does not match): this row or its hash was edited or added by hand, or a row above it was edited, inserted or deleted',
    ];
  }
}
