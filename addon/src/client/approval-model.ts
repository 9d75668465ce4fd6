/**
 * The approval sidebar's list logic, without DOM: one status kind per row, filters, search and
 * paging over the view the server sent once, and the letter for typed points. Pure, so it is fast
 * on thousands of rows and testable in Node.
 */
import type { ApprovalRow, ScaleBand } from '../api';
import type { MessageKey } from '../i18n/en';

export type StatusKind = 'ready' | 'review' | 'overdue' | 'progress' | 'notstarted' | 'removed' | 'approved' | 'other';

/** List order: what a mentor acts on first. */
export const STATUS_ORDER: readonly StatusKind[] = [
  'ready',
  'review',
  'overdue',
  'progress',
  'notstarted',
  'removed',
  'approved',
  'other',
];

/** The sheet's `Status` values (shared/src/rules.ts STATUSES), lower-cased without spaces → a kind. */
const KIND_OF_STATUS: Readonly<Record<string, StatusKind>> = {
  readyforapproval: 'ready',
  needsreview: 'review',
  overdue: 'overdue',
  inprogress: 'progress',
  notstarted: 'notstarted',
  removed: 'removed',
  approved: 'approved',
};

export const STATUS_LABEL: Readonly<Record<StatusKind, MessageKey>> = {
  ready: 'status.ready',
  review: 'status.review',
  overdue: 'status.overdue',
  progress: 'status.inProgress',
  notstarted: 'status.notStarted',
  removed: 'status.removed',
  approved: 'status.approved',
  other: 'status.other',
};

/** Flags with a message (shared/src/rules.ts FLAGS); an unknown code is shown as it is. */
export const FLAG_LABEL: Readonly<Record<string, MessageKey>> = {
  LOW_ENGAGEMENT: 'flag.LOW_ENGAGEMENT',
  LATE: 'flag.LATE',
  OVERDUE: 'flag.OVERDUE',
  AT_RISK: 'flag.AT_RISK',
  NOT_STARTED: 'flag.NOT_STARTED',
  REMOVED: 'flag.REMOVED',
  NOT_ON_ROSTER: 'flag.NOT_ON_ROSTER',
  NO_COURSERA_RECORD: 'flag.NO_COURSERA_RECORD',
  UNVERIFIED_APPROVAL: 'flag.UNVERIFIED_APPROVAL',
  CERTIFICATE_PENDING: 'flag.CERTIFICATE_PENDING',
};

export const rowKey = (r: { email: string; slug: string }): string => `${r.email}\u0000${r.slug}`;

/** A Status value as the rules name it (`Ready for approval`), in the user's words; an unknown one as it is. */
export function statusWords(status: string, t: (key: MessageKey) => string): string {
  const kind = KIND_OF_STATUS[status.toLowerCase().replace(/\s+/g, '')];
  return kind ? t(STATUS_LABEL[kind]) : status;
}

/** A flag code in the user's words; an unknown one as it is. */
export const flagWords = (code: string, t: (key: MessageKey) => string): string =>
  FLAG_LABEL[code] ? t(FLAG_LABEL[code]) : code;

export function statusKind(row: Pick<ApprovalRow, 'approvedBy' | 'status'>): StatusKind {
  if (row.approvedBy) return 'approved';
  return KIND_OF_STATUS[row.status.toLowerCase().replace(/\s+/g, '')] ?? 'other';
}

export interface Indexed {
  readonly row: ApprovalRow;
  readonly key: string;
  readonly kind: StatusKind;
  /** Lower-case name and e-mail, for search. */
  readonly haystack: string;
}

export interface Filter {
  /** Course slug, '' = all. */
  course: string;
  group: string;
  /** A StatusKind, '' = all. */
  status: string;
  query: string;
}

export const emptyFilter = (): Filter => ({ course: '', group: '', status: '', query: '' });

const collator = typeof Intl !== 'undefined' ? new Intl.Collator(undefined, { sensitivity: 'base' }) : null;
const compareText = (a: string, b: string): number => (collator ? collator.compare(a, b) : a < b ? -1 : a > b ? 1 : 0);

/** Once per view: kind, key, search text, sorted by status order, course, name. */
export function indexRows(rows: readonly ApprovalRow[]): Indexed[] {
  const rank = new Map(STATUS_ORDER.map((k, i) => [k, i]));
  return rows
    .map((row) => ({
      row,
      key: rowKey(row),
      kind: statusKind(row),
      haystack: `${row.fullName}\n${row.email}`.toLowerCase(),
    }))
    .sort(
      (a, b) =>
        rank.get(a.kind)! - rank.get(b.kind)! ||
        compareText(a.row.course || a.row.slug, b.row.course || b.row.slug) ||
        compareText(a.row.fullName || a.row.email, b.row.fullName || b.row.email),
    );
}

export function applyFilter(rows: readonly Indexed[], f: Filter): Indexed[] {
  const q = f.query.trim().toLowerCase();
  return rows.filter(
    (r) =>
      (!f.course || r.row.slug === f.course) &&
      (!f.group || r.row.group === f.group) &&
      (!f.status || r.kind === f.status) &&
      (!q || r.haystack.includes(q)),
  );
}

/** Distinct values with counts, in first-seen order of the sorted list (status: STATUS_ORDER). */
export function options(
  rows: readonly Indexed[],
  pick: (r: Indexed) => string,
  label: (r: Indexed) => string = pick,
): { value: string; label: string; n: number }[] {
  const seen = new Map<string, { value: string; label: string; n: number }>();
  for (const r of rows) {
    const value = pick(r);
    if (!value) continue;
    const o = seen.get(value);
    if (o) o.n++;
    else seen.set(value, { value, label: label(r) || value, n: 1 });
  }
  return [...seen.values()];
}

export interface Page {
  readonly page: number;
  readonly pages: number;
  /** 1-based, inclusive; 0–0 when empty. */
  readonly from: number;
  readonly to: number;
  readonly total: number;
}

export function pageOf(total: number, page: number, size: number): Page {
  const pages = Math.max(1, Math.ceil(total / size));
  const p = Math.min(Math.max(0, page), pages - 1);
  return { page: p, pages, from: total ? p * size + 1 : 0, to: Math.min(total, (p + 1) * size), total };
}

/** A typed points value: a whole number 0–100, else null (blank or not valid). */
export function typedPoints(text: string): number | null {
  const s = text.trim();
  if (!/^\d{1,3}$/.test(s)) return null;
  const n = Number(s);
  return n <= 100 ? n : null;
}

/** The letter for typed points on the view's scale, or null when the points are not valid. */
export function letterFor(scale: readonly ScaleBand[], text: string): string | null {
  const p = typedPoints(text);
  if (p === null) return null;
  return scale.find((b) => p >= b.min && p <= b.max)?.letter ?? null;
}
