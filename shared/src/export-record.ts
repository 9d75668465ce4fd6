/**
 * One learner × course line of a Coursera export, whatever its version: the 2020 19-column usage
 * report, the 2024–25 27/28-column variants, the 2026 CourseActivity CSV/XLSX, or the enterprise
 * API (mapped into the same fields by the API source). Columns are found by header name.
 */
import { z } from 'zod';
import { columnLetter } from './cells';
import { LENGTH_CAPS, normalizeHeader, TEXT_CAP } from './layout';
import { parseInstant } from './time';

/** Field → header names seen in real exports (matched trimmed and case-insensitive). */
export const EXPORT_COLUMNS = {
  name: ['Name', 'Learner Name', 'Full Name'],
  email: ['Email', 'Email Address', 'Learner Email'],
  externalId: ['External Id', 'External ID', 'External User Id'],
  course: ['Course', 'Course Name'],
  courseId: ['Course ID', 'Course Id'],
  slug: ['Course Slug'],
  university: ['University', 'Partner'],
  enrolledAt: ['Enrollment Time', 'Enrolled At'],
  lastActivityAt: ['Last Course Activity Time', 'Last Activity Time'],
  progress: ['Overall Progress'],
  estimatedHours: ['Estimated Learning Hours', 'Total Estimated Learning Hours (since enrolled)'],
  learningHours: ['Learning Hours'],
  completed: ['Completed'],
  removed: ['Removed From Program'],
  programSlug: ['Program Slug'],
  completedAt: ['Completion Time', 'Completed At'],
  grade: ['Course Grade'],
  certificateUrl: ['Course Certificate URL', 'Certificate URL'],
} as const satisfies Record<string, readonly string[]>;

export type ExportField = keyof typeof EXPORT_COLUMNS;

/** Without these a file is not a progress export (e.g. a specialization report) and is refused. */
export const REQUIRED_EXPORT_FIELDS: readonly ExportField[] = ['email', 'slug', 'progress', 'completed'];

export interface ExportHeaderMap {
  /** Field → 0-based column position in the file. */
  readonly positions: Partial<Record<ExportField, number>>;
  readonly header: readonly string[];
  /** Required fields the header lacks, named as the export would name them. */
  readonly missing: readonly string[];
  /** Columns we do not use: kept in `Raw` of rejected rows, never a reason to refuse the file. */
  readonly unknown: readonly string[];
}

export function mapExportHeader(header: readonly string[]): ExportHeaderMap {
  const byName = new Map<string, number>();
  header.forEach((h, i) => {
    const n = normalizeHeader(String(h).replace(/^\uFEFF/, ''));
    if (n && !byName.has(n)) byName.set(n, i);
  });
  const positions: Partial<Record<ExportField, number>> = {};
  const used = new Set<number>();
  for (const [field, aliases] of Object.entries(EXPORT_COLUMNS) as [ExportField, readonly string[]][]) {
    for (const alias of aliases) {
      const at = byName.get(normalizeHeader(alias));
      if (at !== undefined) {
        positions[field] = at;
        used.add(at);
        break;
      }
    }
  }
  const missing = REQUIRED_EXPORT_FIELDS.filter((f) => positions[f] === undefined).map((f) => EXPORT_COLUMNS[f][0]);
  const unknown = header.filter((h, i) => !used.has(i) && String(h).trim() !== '').map(String);
  return { positions, header: header.map(String), missing, unknown };
}

/** Longest text a cell takes from an export: Google Sheets refuses cells over 50,000 characters (and the whole write with them). */
export const MAX_CELL_TEXT = TEXT_CAP;

/** Coursera's timestamps: anything before this is a broken value (year 0000, Excel day 1), not a date. */
export const EARLIEST_INSTANT = Date.UTC(2000, 0, 1);

/** Text cut to what a cell may hold, saying how much was left out. */
export function capText(text: string, max = MAX_CELL_TEXT): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text;
}

/** A raw value as sources deliver it: CSV gives text, XLSX numbers and dates, the API numbers. */
export type RawValue = string | number | boolean | Date | null | undefined;

const blankToNull = (v: unknown) =>
  v === undefined || v === null || (typeof v === 'string' && v.trim() === '') ? null : v;

/*
 * Raw values are normalised by plain functions first (one pass per row), then validated by one
 * z.object of plain types. A value that cannot be normalised is passed through unchanged, so the
 * schema rejects it with a message quoting it. (Per-field z.preprocess made validation the
 * slowest step of a 100k-row sync.)
 */
const toText = (v: unknown) => {
  const b = blankToNull(v);
  if (b === null) return null;
  return b instanceof Date ? b.toISOString() : String(b).trim();
};

const toNumber = (v: unknown, signed: boolean) => {
  const b = blankToNull(v);
  if (b === null || typeof b === 'number') return b;
  const s = String(b).trim().replace(',', '.').replace(/%$/, '');
  return (signed ? /^[-+]?(\d+\.?\d*|\.\d+)$/ : /^(\d+\.?\d*|\.\d+)$/).test(s) ? Number(s) : s;
};

const toYesNo = (v: unknown, required: boolean) => {
  const b = blankToNull(v);
  if (b === null) return required ? undefined : false;
  if (typeof b === 'boolean') return b;
  const s = String(b).trim().toLowerCase();
  if (s === 'yes' || s === 'true' || s === '1' || s === 'y') return true;
  if (s === 'no' || s === 'false' || s === '0' || s === 'n') return false;
  return s;
};

/** Epoch ms. Zone-less text and Excel dates are UTC, as Coursera's servers write them. */
const toInstant = (v: unknown) => {
  const b = blankToNull(v);
  if (b === null) return null;
  if (b instanceof Date) return Number.isNaN(b.getTime()) ? 'an invalid date' : b.getTime();
  if (typeof b === 'number') {
    if (b > 1e11) return b; // epoch milliseconds (the API)
    if (b > 0 && b < 2958466) return Math.round((b - 25569) * 86_400_000); // Excel serial day
    return `number ${b}`;
  }
  try {
    return parseInstant(String(b), 'UTC');
  } catch {
    return String(b);
  }
};

const toRequiredText = (v: unknown) => (blankToNull(v) === null ? undefined : String(v).trim());

/** Raw fields → plain values for the schema: one object literal, so every row's object has one shape. */
const normalise = (input: Partial<Record<ExportField, unknown>>) =>
  ({
    name: toText(input.name),
    email: blankToNull(input.email) === null ? undefined : String(input.email).trim().toLowerCase(),
    externalId: toText(input.externalId),
    course: toText(input.course),
    courseId: toText(input.courseId),
    slug: toRequiredText(input.slug),
    university: toText(input.university),
    enrolledAt: toInstant(input.enrolledAt),
    lastActivityAt: toInstant(input.lastActivityAt),
    progress: toNumber(input.progress, true),
    estimatedHours: toNumber(input.estimatedHours, false),
    learningHours: toNumber(input.learningHours, false),
    completed: toYesNo(input.completed, true),
    removed: toYesNo(input.removed, false),
    programSlug: toText(input.programSlug),
    completedAt: toInstant(input.completedAt),
    grade: toNumber(input.grade, true),
    certificateUrl: toText(input.certificateUrl),
  }) satisfies Record<ExportField, unknown> as Record<string, unknown>;
const FIELDS = Object.keys(EXPORT_COLUMNS) as ExportField[];

/*
 * Each field's schema comes with `accepts`, a plain check that passes only values the schema would
 * return unchanged. A row every check accepts is the record as it stands (the fast path: zod's
 * per-row machinery was the costliest step of reading 100k rows); any other row goes through the
 * schema, which stays the judge and words every error. shared/test/export-record.test.ts holds
 * the two to agreement.
 */
interface FieldRule<T extends z.ZodType> {
  readonly schema: T;
  readonly accepts: (v: unknown) => boolean;
}
const rule = <T extends z.ZodType>(schema: T, accepts: (v: unknown) => boolean): FieldRule<T> => ({ schema, accepts });
const nullable = <T extends z.ZodType>(r: FieldRule<T>) => rule(r.schema.nullable(), (v) => v === null || r.accepts(v));
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

const percent = (label: string) =>
  rule(
    z
      .number({
        error: (i) =>
          i.input === null || i.input === undefined
            ? `${label} is empty`
            : `${label} must be a number from 0 to 100, got "${String(i.input)}"`,
      })
      .min(0, `${label} must be between 0 and 100`)
      .max(100, `${label} must be between 0 and 100`),
    (v) => isNumber(v) && v >= 0 && v <= 100,
  );

const hours = nullable(
  rule(
    z
      .number({ error: (i) => `learning hours must be a number, got "${String(i.input)}"` })
      .min(0, 'learning hours cannot be negative'),
    (v) => isNumber(v) && v >= 0,
  ),
);

const yesNo = (label: string) =>
  rule(
    z.boolean({
      error: (i) =>
        i.input === undefined ? `${label} is empty` : `${label} must be Yes or No, got "${String(i.input)}"`,
    }),
    (v) => typeof v === 'boolean',
  );

const yearOf = (ms: unknown) =>
  typeof ms === 'number' && Number.isFinite(ms) ? String(new Date(ms).getUTCFullYear()).padStart(4, '0') : String(ms);

const instant = (label: string) =>
  nullable(
    rule(
      z
        .number({
          error: (i) =>
            `${label} is not a date/time: "${String(i.input)}" (expected ISO-8601 such as 2026-02-16T14:52:14Z)`,
        })
        .min(EARLIEST_INSTANT, {
          error: (i) => `${label} is not a valid Coursera date: year ${yearOf(i.input)} is before 2000`,
        }),
      (v) => isNumber(v) && v >= EARLIEST_INSTANT,
    ),
  );

/** Text no longer than the cell it becomes allows (`LENGTH_CAPS` in the layout). */
const capped =
  (max: number) =>
  <T extends z.ZodType<string>>(s: T, accepts: (v: string) => boolean = () => true) =>
    rule(
      s.refine((v) => v.length <= max, { error: (i) => `longer than ${max} characters (${String(i.input).length})` }),
      (v) => typeof v === 'string' && v.length <= max && accepts(v),
    );
const textOf = (max: number) => nullable(capped(max)(z.string()));
const text = textOf(MAX_CELL_TEXT);

const EMAIL = z.regexes.email;

const RULES = {
  name: textOf(LENGTH_CAPS.fullName),
  email: capped(LENGTH_CAPS.email)(
    z.email({
      pattern: EMAIL,
      error: (i) =>
        i.input === undefined ? 'Email is empty' : `Email is not an e-mail address: "${capText(String(i.input), 200)}"`,
    }),
    (v) => EMAIL.test(v),
  ),
  externalId: textOf(LENGTH_CAPS.studentId),
  course: textOf(LENGTH_CAPS.course),
  courseId: text,
  slug: capped(LENGTH_CAPS.slug)(z.string({ error: 'Course Slug is empty' })),
  university: text,
  enrolledAt: instant('Enrollment Time'),
  lastActivityAt: instant('Last Course Activity Time'),
  progress: percent('Overall Progress'),
  estimatedHours: hours,
  learningHours: hours,
  completed: yesNo('Completed'),
  removed: yesNo('Removed From Program'),
  programSlug: text,
  completedAt: instant('Completion Time'),
  grade: nullable(percent('Course Grade')),
  certificateUrl: textOf(LENGTH_CAPS.certificateUrl),
} satisfies Record<ExportField, FieldRule<z.ZodType>>;

type Rules = typeof RULES;
const RecordShape = z.object(
  Object.fromEntries(FIELDS.map((f) => [f, RULES[f].schema])) as { [F in ExportField]: Rules[F]['schema'] },
);
const CHECKS = FIELDS.map((f) => [f, RULES[f].accepts] as const);

/** Normalised raw fields → the record, when every field is already what the schema returns (no zod call). */
function wellFormed(normal: Record<string, unknown>): boolean {
  for (const [f, accepts] of CHECKS) if (!accepts(normal[f])) return false;
  return true;
}

/** Raw fields (as the export spells them) → a validated record. */
export const ExportRecordSchema = z.preprocess(
  (raw) => normalise((raw ?? {}) as Partial<Record<ExportField, unknown>>),
  RecordShape,
);

export type ExportRecord = z.infer<typeof ExportRecordSchema>;

export interface RejectedRow {
  /** 1-based line in the source file (the header is line 1 of a simple CSV). */
  readonly line: number;
  readonly reason: string;
  /** The row as read, `Header=value` pairs, so nothing is lost. */
  readonly raw: string;
}

export type ParsedRow = { ok: true; line: number; record: ExportRecord } | { ok: false; rejected: RejectedRow };

function rawText(map: ExportHeaderMap, values: readonly RawValue[]): string {
  return values
    .map((v, i) => [map.header[i] ?? columnLetter(i), v instanceof Date ? v.toISOString() : (v ?? '')] as const)
    .filter(([, v]) => v !== '')
    .map(([h, v]) => `${h}=${String(v)}`)
    .join('; ');
}

const positionsCache = new WeakMap<ExportHeaderMap, [ExportField, number][]>();
function fieldPositions(map: ExportHeaderMap): [ExportField, number][] {
  let entries = positionsCache.get(map);
  if (!entries) positionsCache.set(map, (entries = Object.entries(map.positions) as [ExportField, number][]));
  return entries;
}

/** Validates one data row and says only whether it is good (rejected rows past the listed ones need no reason). */
export function exportRowIsValid(map: ExportHeaderMap, values: readonly RawValue[]): boolean {
  const input: Partial<Record<ExportField, RawValue>> = {};
  for (const [field, at] of fieldPositions(map)) input[field] = values[at];
  const normal = normalise(input);
  return wellFormed(normal) || RecordShape.safeParse(normal, { reportInput: false }).success;
}

/**
 * Validates one data row. A failure names the line, the column (header and letter) and what is
 * wrong, and keeps the raw values so the row can be fixed and re-imported.
 */
export function parseExportRow(map: ExportHeaderMap, values: readonly RawValue[], line: number): ParsedRow {
  const input: Partial<Record<ExportField, RawValue>> = {};
  for (const [field, at] of fieldPositions(map)) input[field] = values[at];
  const normal = normalise(input);
  if (wellFormed(normal)) return { ok: true, line, record: normal as ExportRecord };
  const result = RecordShape.safeParse(normal);
  if (result.success) return { ok: true, line, record: result.data };
  const reasons = result.error.issues.map((issue) => {
    const field = issue.path[0] as ExportField | undefined;
    const at = field !== undefined ? map.positions[field] : undefined;
    const where = at !== undefined ? `column ${columnLetter(at)} "${map.header[at]}"` : 'row';
    return `${where}: ${issue.message}`;
  });
  return { ok: false, rejected: { line, reason: reasons.join('; '), raw: rawText(map, values) } };
}
