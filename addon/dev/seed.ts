/**
 * A small CET workbook to try the sidebars on: two courses with mentors, Progress rows in every
 * approval state, candidates covering the eligibility codes (one possible match written in
 * Cyrillic vs Latin), and names that must show as text (`<img src=x onerror=alert(1)>`).
 */
import type { Row } from '../../shared/src/cells';
import { iinCheckDigit } from '../../shared/src/iin';
import { auditPlan, describe } from '../../shared/src/audit';
import { AUDIT_TAB, CANDIDATES_TAB, COURSES_TAB, headersOf, PARTICIPANTS_HISTORY_TAB, PROGRESS_TAB, SETTINGS_TAB, type TabDef } from '../../shared/src/layout';
import { templatePlan } from '../../shared/src/sync-plan';
import type { Plan, Workbook } from '../../shared/src/workbook';

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

const ready = (email: string, name: string, slug: string, course: string, mentor: string, grade: number, engagement = 92): Record<string, string | number | null> => ({
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
          r[0] === 'Admins' ? ['Admins', ADMIN] : r[0] === 'Language' ? ['Language', options.language ?? ''] : r[0] === 'Cohort' ? ['Cohort', '2026-spring'] : r,
        ),
      };
    }
    if (t.tab === COURSES_TAB.name) {
      return {
        ...t,
        appends: [
          rowOf(COURSES_TAB, { 'Course slug': 'law-101', Course: 'Introduction to Law', Discipline: 'Law', Model: 'partial', Mentor: LAW_MENTOR, Deadline: '2026-05-31', Credits: 5 }),
          rowOf(COURSES_TAB, { 'Course slug': 'cs-101', Course: 'Python for Everybody', Discipline: 'Programming', Model: 'full', Mentor: CS_MENTOR, Deadline: '2026-05-31', Credits: 5 }),
        ],
      };
    }
    if (t.tab === PROGRESS_TAB.name) {
      return {
        ...t,
        appends: [
          progressRow(ready('aliya@student.example.kz', 'Әлия Қасымова', 'law-101', 'Introduction to Law', LAW_MENTOR, 94.5)),
          progressRow(ready('xss@student.example.kz', XSS_NAME, 'law-101', 'Introduction to Law', LAW_MENTOR, 81.2)),
          progressRow({
            ...ready('boris@student.example.kz', 'Борис Ёлкин', 'law-101', 'Introduction to Law', LAW_MENTOR, 88, 41),
            Flags: 'LOW_ENGAGEMENT',
            Status: 'Needs review',
          }),
          progressRow(ready('dana@student.example.kz', 'Dana Nurlanova', 'cs-101', 'Python for Everybody', CS_MENTOR, 77.4)),
          progressRow({
            ...ready('erlan@student.example.kz', 'Ерлан Ахметов', 'law-101', 'Introduction to Law', LAW_MENTOR, 90),
            Status: 'Approved',
            Points: 90,
            Letter: 'A-',
            'Approved by': LAW_MENTOR,
            'Approved at': '2026-04-25 10:00',
          }),
          progressRow({ Email: 'gulnar@student.example.kz', 'Full name': 'Гульнар Сейткали', 'Course slug': 'law-101', Course: 'Introduction to Law', 'Engagement %': 35, Completed: 'No', Status: 'In progress' }),
        ],
      };
    }
    if (t.tab === PARTICIPANTS_HISTORY_TAB.name) {
      return {
        ...t,
        appends: [
          rowOf(PARTICIPANTS_HISTORY_TAB, { Cohort: '2025-autumn', IIN: makeIin('040315', 6, 1000), Email: 'a.sarsenova@old.example.kz', 'Student ID': 'S-100', 'Full name': 'Айгерім Сәрсенова', School: 'School of Law' }),
          rowOf(PARTICIPANTS_HISTORY_TAB, { Cohort: '2025-autumn', IIN: makeIin('031201', 5, 2000), Email: 'prior@student.example.kz', 'Student ID': 'S-200', 'Full name': 'Нурлан Абаев', School: 'School of IT' }),
        ],
      };
    }
    if (t.tab === AUDIT_TAB.name) {
      // Erlan's approval as approve writes it, so it verifies against the audit (a typed one would not).
      const after = describe({ Points: 90, Letter: 'A-', GPA: 3.67, 'Traditional mark': 'Excellent (5)', 'Approved by': LAW_MENTOR, 'Approved at': '2026-04-25 10:00' });
      return auditPlan({}, Date.parse('2026-04-25T05:00:00Z'), 'Asia/Almaty', [{ who: LAW_MENTOR, action: 'Approve', email: 'erlan@student.example.kz', courseSlug: 'law-101', before: describe({ Status: 'Ready for approval', Flags: '', Points: null, Letter: null }), after }])!;
    }
    if (t.tab === CANDIDATES_TAB.name) {
      const c = (school: string, id: string, iin: string, name: string, email: string, status = 'Active') =>
        rowOf(CANDIDATES_TAB, { School: school, 'Student ID': id, IIN: iin, 'Full name': name, Email: email, Group: 'G-1', Year: 2, 'School status': status });
      return {
        ...t,
        appends: [
          c('School of Law', 'S-301', makeIin('050101', 5, 3000), 'Марат Ержанов', 'marat@student.example.kz'),
          c('School of Law', 'S-302', makeIin('050202', 6, 3100), XSS_NAME, 'xss.candidate@student.example.kz'),
          c('School of Law', 'S-303', makeIin('040315', 6, 4000), 'Aigerim Sarsenova', 'aigerim.s@student.example.kz'),
          c('School of IT', 'S-304', makeIin('031201', 5, 2000), 'Нурлан Абаев', 'nurlan.new@student.example.kz'),
          c('School of IT', 'S-305', makeIin('050505', 5, 5000), 'Expelled Student', 'gone@student.example.kz', 'Expelled'),
          c('School of IT', 'S-306', '123456789012', 'Bad Iin', 'badiin@student.example.kz'),
        ],
      };
    }
    return t;
  });
  return { tabs };
}

export async function seed(workbook: Workbook, options: { language?: string } = {}): Promise<void> {
  await workbook.apply(demoPlan(options));
}
