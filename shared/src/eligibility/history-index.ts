/**
 * Participants history as lookup maps, built once per check: exact keys (IIN, e-mail, school +
 * student ID) and birth-date buckets for the fuzzy name match. Names are normalised lazily, only
 * for the buckets a candidate hits, so 100k history rows cost one pass of cheap string work.
 */
import { cellText, type Cell, type Row } from '../cells';
import { indexColumns, PARTICIPANTS_HISTORY_TAB } from '../layout';
import type { TabSnapshot } from '../workbook';
import { normalizeEmail } from '../people';
import { iinText } from '../iin';
import { nameTokens } from './names';

export interface HistoryEntry {
  /** Data row index in the tab (sheet row = row + 2). */
  readonly row: number;
  readonly cohort: string;
  readonly iin: string;
  readonly email: string;
  readonly studentId: string;
  readonly school: string;
  readonly fullName: string;
}

export type MatchKey = 'IIN' | 'email' | 'student ID';

/** Bucket key for "same birth date": YYMMDD plus the century (not the sex) from the 7th digit. */
export function birthKey(iin: string): string | null {
  if (!/^\d{12}$/.test(iin)) return null;
  const c = Number(iin[6]);
  if (c < 1 || c > 6) return null;
  return `${iin.slice(0, 6)}:${(c - 1) >> 1}`;
}

export const schoolIdKey = (school: string, studentId: string): string =>
  school && studentId ? `${school.trim().toLowerCase()}\u0000${studentId.trim().toLowerCase()}` : '';

function push(map: Map<string, number[]>, key: string | null, value: number): void {
  if (!key) return;
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The keys the candidates carry: only history rows sharing one of them are indexed. */
export interface WantedKeys {
  readonly iins: ReadonlySet<string>;
  readonly emails: ReadonlySet<string>;
  readonly schoolIds: ReadonlySet<string>;
  readonly births: ReadonlySet<string>;
  /** `birthKey|namePairKey` of every candidate (see namePairKeys). */
  readonly birthNames: ReadonlySet<string>;
}

/**
 * Keys two names share whenever `sameName` can hold: every pair of words (or the one word of a
 * one-word name). A shorter name of ≥2 words inside a longer one shares at least one pair with it.
 */
export function namePairKeys(tokens: readonly string[]): string[] {
  if (tokens.length === 1) return [tokens[0]];
  const keys: string[] = [];
  for (let i = 0; i < tokens.length; i++)
    for (let j = i + 1; j < tokens.length; j++) keys.push(`${tokens[i]} ${tokens[j]}`);
  return keys;
}

export class HistoryIndex {
  readonly entries: HistoryEntry[] = [];
  private readonly byIin = new Map<string, number[]>();
  private readonly byEmail = new Map<string, number[]>();
  private readonly bySchoolId = new Map<string, number[]>();
  private readonly byBirth = new Map<string, number[]>();
  private readonly tokens = new Map<number, string[]>();

  /**
   * With `wanted`, the history is scanned once against the candidates' (much smaller) key sets
   * and only rows that share a key are kept — 100k history rows cost lookups, not 400k inserts.
   */
  constructor(tab: TabSnapshot | undefined, wanted?: WantedKeys) {
    if (!tab) return;
    const idx = indexColumns(PARTICIPANTS_HISTORY_TAB, tab.header);
    const cIin = idx.iin,
      cEmail = idx.email,
      cSid = idx.studentId,
      cSchool = idx.school,
      cName = idx.fullName,
      cCohort = idx.cohort;
    const at = (r: Row, c: number): Cell => (c >= 0 ? (r[c] ?? null) : null);
    const rows = tab.rows;
    for (let row = 0; row < rows.length; row++) {
      const r = rows[row];
      const iin = iinText(at(r, cIin));
      const email = normalizeEmail(at(r, cEmail));
      const studentId = cellText(at(r, cSid));
      const school = cellText(at(r, cSchool));
      const iinKey = iin.length === 12 && /^\d{12}$/.test(iin) ? iin : '';
      const sid = schoolIdKey(school, studentId);
      const birth = birthKey(iin);
      const fullName = cellText(at(r, cName));
      let tokens: string[] | undefined;
      if (wanted) {
        const exact =
          (iinKey && wanted.iins.has(iinKey)) ||
          (email && wanted.emails.has(email)) ||
          (sid && wanted.schoolIds.has(sid));
        if (!exact) {
          // Birth date first (a Set lookup), the name only for rows that pass it.
          if (!birth || !wanted.births.has(birth)) continue;
          tokens = nameTokens(fullName);
          if (!namePairKeys(tokens).some((k) => wanted.birthNames.has(`${birth}|${k}`))) continue;
        }
      }
      if (!iin && !email && !studentId && !fullName) continue;
      const i =
        this.entries.push({ row, cohort: cellText(at(r, cCohort)), iin, email, studentId, school, fullName }) - 1;
      if (tokens) this.tokens.set(row, tokens);
      push(this.byIin, iinKey, i);
      push(this.byEmail, email, i);
      push(this.bySchoolId, sid, i);
      push(this.byBirth, birth, i);
    }
  }

  /** Exact matches by IIN, else e-mail, else school + student ID (the first key that finds any). */
  exact(
    iin: string,
    email: string,
    school: string,
    studentId: string,
  ): { key: MatchKey; entries: HistoryEntry[] } | null {
    const tries: [MatchKey, Map<string, number[]>, string][] = [
      ['IIN', this.byIin, iin],
      ['email', this.byEmail, email],
      ['student ID', this.bySchoolId, schoolIdKey(school, studentId)],
    ];
    for (const [key, map, value] of tries) {
      const hits = value ? map.get(value) : undefined;
      if (hits?.length) return { key, entries: hits.map((i) => this.entries[i]) };
    }
    return null;
  }

  /** History rows with the same birth date (from the IIN). */
  sameBirth(iin: string): HistoryEntry[] {
    const key = birthKey(iin);
    return key ? (this.byBirth.get(key) ?? []).map((i) => this.entries[i]) : [];
  }

  nameTokensOf(e: HistoryEntry): string[] {
    let t = this.tokens.get(e.row);
    if (!t) this.tokens.set(e.row, (t = nameTokens(e.fullName)));
    return t;
  }
}
