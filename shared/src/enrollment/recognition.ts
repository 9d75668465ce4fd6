/**
 * The credit recognition report: every approved Progress row with what the registrar needs to
 * transfer the credits — student, discipline, course, model, credits, points, letter, GPA,
 * traditional mark, mentor and approval date. GPA and traditional mark come from the grade scale
 * by the approved letter (the letter is what was signed off), else by the points.
 */
import { cellNumber, cellText, type Cell, type Row } from '../cells';
import { COURSES_TAB, GRADE_SCALE_TAB, PROGRESS_TAB } from '../layout';
import { readCourses, slugKey } from '../progress-row';
import type { Snapshot } from '../workbook';
import { TableEdit } from '../table-edit';
import { bandByLetter, bandFor, readGradeScale } from '../grade-scale';

export const RECOGNITION_HEADER = [
  'Student',
  'Email',
  'Student ID',
  'IIN',
  'School',
  'Group',
  'Discipline',
  'Course',
  'Course slug',
  'Model',
  'Credits',
  'Points',
  'Letter',
  'GPA',
  'Traditional mark',
  'Mentor',
  'Approved by',
  'Approved at',
] as const;

export function recognitionReport(snapshot: Snapshot): { header: string[]; rows: Row[] } {
  const header = [...RECOGNITION_HEADER];
  if (!snapshot[PROGRESS_TAB.name]) return { header, rows: [] };
  const t = new TableEdit(PROGRESS_TAB, snapshot);
  const courses = readCourses(snapshot[COURSES_TAB.name]);
  const scale = readGradeScale(snapshot[GRADE_SCALE_TAB.name]);
  const rows: Row[] = [];
  t.rows.forEach((_, i) => {
    if (!t.text(i, 'approvedBy') || !t.text(i, 'email')) return;
    const course = courses.get(slugKey(t.get(i, 'slug')));
    const points = cellNumber(t.get(i, 'points'));
    const letter = t.text(i, 'letter');
    const band = bandByLetter(scale, letter) ?? (points !== null && points >= 0 && points <= 100 ? bandFor(scale, points) : undefined);
    const pick = (fromCourse: string | undefined, key: string): Cell => (fromCourse ? fromCourse : t.get(i, key) || null);
    rows.push([
      t.text(i, 'fullName'),
      t.text(i, 'email'),
      t.text(i, 'studentId'),
      t.text(i, 'iin'),
      t.text(i, 'school'),
      t.text(i, 'group'),
      pick(course?.discipline, 'discipline'),
      pick(course?.course, 'course'),
      t.text(i, 'slug'),
      pick(course?.model, 'model'),
      course?.credits ?? null,
      points,
      letter || band?.letter || null,
      band?.gpa ?? null,
      band?.traditional ?? null,
      pick(course?.mentor, 'mentor'),
      t.text(i, 'approvedBy'),
      t.text(i, 'approvedAt'),
    ]);
  });
  rows.sort((a, b) => cellText(a[4]).localeCompare(cellText(b[4])) || cellText(a[5]).localeCompare(cellText(b[5])) || cellText(a[0]).localeCompare(cellText(b[0])) || cellText(a[8]).localeCompare(cellText(b[8])));
  return { header, rows };
}
