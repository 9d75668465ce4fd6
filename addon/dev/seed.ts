/**
 * A small CET workbook to try the sidebars on: two courses with mentors, Progress rows in every
 * approval state, candidates covering the eligibility codes (one possible match written in
 * Cyrillic vs Latin), and names that must show as text (`<img src=x onerror=alert(1)>`).
 */
import type { Row } from '../../shared/src/cells';
import { iinCheckDigit } from '../../shared/src/iin';
import { auditPlan, describe, type AuditEntry } from '../../shared/src/audit';
import {
  AUDIT_TAB,
  CANDIDATES_TAB,
  COURSES_TAB,
  headersOf,
  PARTICIPANTS_HISTORY_TAB,
  PROGRESS_TAB,
  SETTINGS_TAB,
  type TabDef,
} from '../../shared/src/layout';
import { templatePlan } from '../../shared/src/sync-plan';
import type { Plan, TabPlan, Workbook } from '../../shared/src/workbook';

export const ADMIN = 'admin@cet.example.kz';
export const LAW_MENTOR = 'mentor.law@cet.example.kz';
export const CS_MENTOR = 'mentor.cs@cet.example.kz';
export const XSS_NAME = '<img src=x onerror=alert(1)>';

/** A valid IIN for a birth date `YYMMDD`, century/sex digit and serial (the check digit computed). */
export function makeIin(yymmdd: string, centurySex: number, serial: number): string {
  for (let s = serial; s < serial + 100; s++) {
    const first11 = `${yymmdd}${centurySex}${String(s).padStart(4, '0')}`;
    const check = iinCheckDigit(first11);
    if (check !== null) return `${first11}${check}`;
  }
  throw new Error(`no valid IIN near ${yymmdd}${centurySex}${serial}`);
}

/** A record by header → a row laid out as the layout's header. */
function rowOf(tab: TabDef, record: Record<string, string | number | null>): Row {
  return headersOf(tab).map((h) => record[h] ?? null);
}

export function progressRow(r: Record<string, string | number | null>): Row {
  return rowOf(PROGRESS_TAB, r);
}

const ready = (
  email: string,
  name: string,
  slug: string,
  course: string,
  mentor: string,
  grade: number,
  engagement = 92,
): Record<string, string | number | null> => ({
  Email: email,
  'Full name': name,
  School: 'School of Law',
  Course: course,
  'Course slug': slug,
  Mentor: mentor,
  Deadline: '2026-05-31',
  'Engagement %': engagement,
  Completed: 'Yes',
  'Completed at': '2026-04-20 15:30',
  'Course grade %': grade,
  'Certificate URL': `https://coursera.org/verify/${slug.toUpperCase()}${email.length}`,
  Removed: 'No',
  Flags: '',
  Status: 'Ready for approval',
});

export function demoPlan(options: { language?: string } = {}): Plan {
  const tabs = templatePlan({}).map((t) => {
    if (t.tab === SETTINGS_TAB.name) {
      return {
        ...t,
        appends: (t.appends ?? []).map((r) =>
          r[0] === 'Admins'
            ? ['Admins', ADMIN]
            : r[0] === 'Language'
              ? ['Language', options.language ?? '']
              : r[0] === 'Cohort'
                ? ['Cohort', '2026-spring']
                : r,
        ),
      };
    }
    if (t.tab === COURSES_TAB.name) {
      return {
        ...t,
        appends: [
          rowOf(COURSES_TAB, {
            'Course slug': 'law-101',
            Course: 'Introduction to Law',
            Discipline: 'Law',
            Model: 'partial',
            Mentor: LAW_MENTOR,
            Deadline: '2026-05-31',
            Credits: 5,
          }),
          rowOf(COURSES_TAB, {
            'Course slug': 'cs-101',
            Course: 'Python for Everybody',
            Discipline: 'Programming',
            Model: 'full',
            Mentor: CS_MENTOR,
            Deadline: '2026-05-31',
            Credits: 5,
          }),
        ],
      };
    }
    if (t.tab === PROGRESS_TAB.name) {
      return {
        ...t,
        appends: [
          progressRow(
            ready('aliya@student.example.kz', 'Әлия Қасымова', 'law-101', 'Introduction to Law', LAW_MENTOR, 94.5),
          ),
          progressRow(ready('xss@student.example.kz', XSS_NAME, 'law-101', 'Introduction to Law', LAW_MENTOR, 81.2)),
          progressRow({
            ...ready('boris@student.example.kz', 'Борис Ёлкин', 'law-101', 'Introduction to Law', LAW_MENTOR, 88, 41),
            Flags: 'LOW_ENGAGEMENT',
            Status: 'Needs review',
          }),
          progressRow(
            ready('dana@student.example.kz', 'Dana Nurlanova', 'cs-101', 'Python for Everybody', CS_MENTOR, 77.4),
          ),
          progressRow({
            ...ready('erlan@student.example.kz', 'Ерлан Ахметов', 'law-101', 'Introduction to Law', LAW_MENTOR, 90),
            Status: 'Approved',
            Points: 90,
            Letter: 'A-',
            'Approved by': LAW_MENTOR,
            'Approved at': '2026-04-25 10:00',
          }),
          progressRow({
            Email: 'gulnar@student.example.kz',
            'Full name': 'Гульнар Сейткали',
            'Course slug': 'law-101',
            Course: 'Introduction to Law',
            'Engagement %': 35,
            Completed: 'No',
            Status: 'In progress',
          }),
        ],
      };
    }
    if (t.tab === PARTICIPANTS_HISTORY_TAB.name) {
      return {
        ...t,
        appends: [
          rowOf(PARTICIPANTS_HISTORY_TAB, {
            Cohort: '2025-autumn',
            IIN: makeIin('040315', 6, 1000),
            Email: 'a.sarsenova@old.example.kz',
            'Student ID': 'S-100',
            'Full name': 'Айгерім Сәрсенова',
            School: 'School of Law',
          }),
          rowOf(PARTICIPANTS_HISTORY_TAB, {
            Cohort: '2025-autumn',
            IIN: makeIin('031201', 5, 2000),
            Email: 'prior@student.example.kz',
            'Student ID': 'S-200',
            'Full name': 'Нурлан Абаев',
            School: 'School of IT',
          }),
        ],
      };
    }
    if (t.tab === AUDIT_TAB.name) {
      // Erlan's approval as approve writes it, so it verifies against the audit (a typed one would not).
      return seededAudit([
        approvalEntry('erlan@student.example.kz', 'law-101', LAW_MENTOR, 90, 'A-', 3.67, 'Excellent (5)'),
      ]);
    }
    if (t.tab === CANDIDATES_TAB.name) {
      const c = (school: string, id: string, iin: string, name: string, email: string, status = 'Active') =>
        rowOf(CANDIDATES_TAB, {
          School: school,
          'Student ID': id,
          IIN: iin,
          'Full name': name,
          Email: email,
          Group: 'G-1',
          Year: 2,
          'School status': status,
        });
      return {
        ...t,
        appends: [
          c('School of Law', 'S-301', makeIin('050101', 5, 3000), 'Марат Ержанов', 'marat@student.example.kz'),
          c('School of Law', 'S-302', makeIin('050202', 6, 3100), XSS_NAME, 'xss.candidate@student.example.kz'),
          c('School of Law', 'S-303', makeIin('040315', 6, 4000), 'Aigerim Sarsenova', 'aigerim.s@student.example.kz'),
          c('School of IT', 'S-304', makeIin('031201', 5, 2000), 'Нурлан Абаев', 'nurlan.new@student.example.kz'),
          c(
            'School of IT',
            'S-305',
            makeIin('050505', 5, 5000),
            'Expelled Student',
            'gone@student.example.kz',
            'Expelled',
          ),
          c('School of IT', 'S-306', '123456789012', 'Bad Iin', 'badiin@student.example.kz'),
        ],
      };
    }
    return t;
  });
  return { tabs };
}

const SEEDED_APPROVED_AT = '2026-04-25 10:00';

/** An Audit entry exactly as approve writes it, so a seeded approval verifies against the chain. */
function approvalEntry(
  email: string,
  slug: string,
  by: string,
  points: number,
  letter: string,
  gpa: number,
  traditional: string,
): AuditEntry {
  const after = describe({
    Points: points,
    Letter: letter,
    GPA: gpa,
    'Traditional mark': traditional,
    'Approved by': by,
    'Approved at': SEEDED_APPROVED_AT,
  });
  return {
    who: by,
    action: 'Approve',
    email,
    courseSlug: slug,
    before: describe({ Status: 'Ready for approval', Flags: '', Points: null, Letter: null }),
    after,
  };
}

const seededAudit = (entries: readonly AuditEntry[]): TabPlan =>
  auditPlan({}, Date.parse('2026-04-25T05:00:00Z'), 'Asia/Almaty', entries)!;

export async function seed(workbook: Workbook, options: { language?: string } = {}): Promise<void> {
  await workbook.apply(demoPlan(options));
}

const FIRST_NAMES = [
  'Әлия',
  'Нұрлан',
  'Айгерім',
  'Ерлан',
  'Dana',
  'Марат',
  'Гүлнар',
  'Timur',
  'Зарина',
  'Асель',
  'Бауыржан',
  'Madina',
];
const LAST_NAMES = [
  'Қасымова',
  'Абаев',
  'Сәрсенова',
  'Ахметов',
  'Nurlanova',
  'Ержанов',
  'Сейткали',
  'Bekov',
  'Омарова',
  'Жумабаев',
  'Иванова',
  'Tulegenov',
  'Смагулова',
];
export const SCALE_COURSES = [
  { slug: 'law-101', course: 'Introduction to Law' },
  { slug: 'law-201', course: 'Constitutional Law' },
  { slug: 'law-301', course: 'Civil Procedure' },
] as const;
/** Overdue rows' course: its deadline passed before the harness's clock (2026-05-01). */
const OVERDUE_COURSE = { 'Course slug': 'law-099', Course: 'Legal Writing', deadline: '2026-04-15' } as const;
export const SCALE_GROUPS = ['LAW-21-1', 'LAW-21-2', 'LAW-22-1', 'LAW-22-2'] as const;

/**
 * The demo workbook plus `rows` Progress rows for one mentor (LAW_MENTOR by default) over three
 * courses and four groups, in every status: mostly ready, then needs review (low engagement or
 * late), in progress, not started, overdue, removed and approved. Deterministic.
 */
export function mentorAtScalePlan(rows: number, mentor = LAW_MENTOR): Plan {
  const base = demoPlan();
  const extra: Row[] = [];
  const approvals = [approvalEntry('erlan@student.example.kz', 'law-101', LAW_MENTOR, 90, 'A-', 3.67, 'Excellent (5)')];
  for (let i = 0; i < rows; i++) {
    const { slug, course } = SCALE_COURSES[Math.floor(i / 4) % SCALE_COURSES.length];
    const email = `s${String(i).padStart(4, '0')}@student.example.kz`;
    const name = `${FIRST_NAMES[i % FIRST_NAMES.length]} ${LAST_NAMES[(i * 7) % LAST_NAMES.length]} ${i}`;
    const r = {
      ...ready(email, name, slug, course, mentor, 60 + ((i * 13) % 41), 75 + (i % 25)),
      Group: SCALE_GROUPS[i % SCALE_GROUPS.length],
    };
    const kind = i % 10;
    if (kind === 6)
      Object.assign(
        r,
        i % 20 === 6
          ? { 'Engagement %': 40, Flags: 'LOW_ENGAGEMENT', Status: 'Needs review' }
          : { Flags: 'LATE', Status: 'Needs review', 'Completed at': '2026-06-02 09:00' },
      );
    else if (kind === 7)
      Object.assign(r, {
        Completed: 'No',
        'Completed at': null,
        'Course grade %': null,
        'Certificate URL': null,
        'Engagement %': 30,
        Status: 'In progress',
      });
    else if (kind === 8)
      Object.assign(
        r,
        { Completed: 'No', 'Completed at': null, 'Course grade %': null, 'Certificate URL': null, 'Engagement %': 0 },
        // Overdue as the rules see it: a course whose deadline has passed (the others end 2026-05-31).
        i % 20 === 8
          ? { Flags: 'NOT_STARTED', Status: 'Not started' }
          : {
              ...OVERDUE_COURSE,
              Deadline: OVERDUE_COURSE.deadline,
              'Engagement %': 20,
              'Last activity at': '2026-03-01 10:00',
              Flags: 'OVERDUE',
              Status: 'Overdue',
            },
      );
    else if (kind === 9)
      Object.assign(
        r,
        i % 20 === 9
          ? { Removed: 'Yes', Flags: 'REMOVED', Status: 'Removed' }
          : { Status: 'Approved', Points: 80, Letter: 'B', 'Approved by': mentor, 'Approved at': SEEDED_APPROVED_AT },
      );
    if (kind === 9 && i % 20 !== 9) approvals.push(approvalEntry(email, slug, mentor, 80, 'B', 3.0, 'Good (4)'));
    extra.push(progressRow(r));
  }
  return {
    tabs: base.tabs.map((t) => {
      if (t.tab === COURSES_TAB.name) {
        const more = SCALE_COURSES.filter((c) => c.slug !== 'law-101').map((c) =>
          rowOf(COURSES_TAB, {
            'Course slug': c.slug,
            Course: c.course,
            Discipline: 'Law',
            Model: 'partial',
            Mentor: mentor,
            Deadline: '2026-05-31',
            Credits: 5,
          }),
        );
        more.push(
          rowOf(COURSES_TAB, {
            'Course slug': OVERDUE_COURSE['Course slug'],
            Course: OVERDUE_COURSE.Course,
            Discipline: 'Law',
            Model: 'partial',
            Mentor: mentor,
            Deadline: OVERDUE_COURSE.deadline,
            Credits: 3,
          }),
        );
        return { ...t, appends: [...(t.appends ?? []), ...more] };
      }
      if (t.tab === PROGRESS_TAB.name) return { ...t, appends: [...(t.appends ?? []), ...extra] };
      if (t.tab === AUDIT_TAB.name) return seededAudit(approvals);
      return t;
    }),
  };
}
