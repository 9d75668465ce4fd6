/**
 * A facilitated programme on top of the demo workbook (./seed.ts), to try the attendance sidebar
 * and the facilitated charts on: two groups with their facilitators, the CLI test's participants
 * (a Cyrillic name the Zoom report spells in Latin, a withdrawn one, an applicant), a participant
 * whose name must show as text, sessions and marks (one `excused` a human typed). The Zoom fixture
 * worker/test/fixtures/attendance/zoom-week3.csv belongs to session ALA-W3.
 */
import type { Cell, Row } from '../../shared/src/cells';
import {
  ATTENDANCE_TAB,
  COURSES_TAB,
  GROUPS_TAB,
  headersOf,
  PARTICIPANTS_TAB,
  PROGRESS_TAB,
  SESSIONS_TAB,
  type TabDef,
} from '../../shared/src/layout';
import type { Plan } from '../../shared/src/workbook';
import { progressRow, XSS_NAME } from './seed';

export const FACILITATOR = 'gulnara.facilitator@kazate.kz';
export const AKTAU_FACILITATOR = 'aktau.facilitator@kazate.kz';
/** The Zoom fixture's session. */
export const ZOOM_SESSION = 'ALA-W3';

const rows = (tab: TabDef, records: Record<string, Cell>[]): Row[] =>
  records.map((r) => headersOf(tab).map((h) => r[h] ?? null));

const person = (email: string, name: string, group: string, category: string, field: string, score: Cell) => ({
  Email: email,
  'Full name': name,
  Group: group,
  Category: category,
  Field: field,
  'EF SET score': score,
  'Application status': 'selected',
});

const completed = (email: string, slug: string, course: string, certificate: 'Yes' | 'No') =>
  progressRow({
    Email: email,
    'Course slug': slug,
    Course: course,
    'Engagement %': 100,
    Completed: 'Yes',
    'Completed at': '2026-04-20 15:30',
    Certificate: certificate,
    'Certificate URL': certificate === 'Yes' ? `https://coursera.org/verify/${slug.toUpperCase()}` : null,
    Removed: 'No',
  });

/** Appends to the tabs demoPlan() creates. */
export function facilitatedPlan(): Plan {
  return {
    tabs: [
      {
        tab: COURSES_TAB.name,
        appends: rows(COURSES_TAB, [
          { 'Course slug': 'media-literacy', Course: 'English for Media Literacy', Model: 'full' },
          { 'Course slug': 'english-stem', Course: 'English for STEM', Model: 'full' },
        ]),
      },
      {
        tab: GROUPS_TAB.name,
        appends: rows(GROUPS_TAB, [
          {
            Group: 'Almaty-1',
            City: 'Almaty',
            Facilitators: FACILITATOR,
            Mode: 'online',
            Courses: 'media-literacy, english-stem',
            Start: '2026-02-01',
            End: '2026-06-30',
          },
          {
            Group: 'Aktau-1',
            City: 'Aktau',
            Facilitators: AKTAU_FACILITATOR,
            Mode: 'face-to-face',
            Courses: 'media-literacy',
            Start: '2026-02-01',
            End: '2026-06-30',
            'Minimum size': 2,
          },
        ]),
      },
      {
        tab: PARTICIPANTS_TAB.name,
        appends: rows(PARTICIPANTS_TAB, [
          person('aigerim@school.kz', 'Сапарова Айгерим Нурлановна', 'Almaty-1', 'school teacher', 'English', 28),
          person('bolat.nurlanov@uni.kz', 'Bolat Nurlanov', 'Almaty-1', 'university teacher', 'STEM', 55),
          person('dana@uni.kz', 'Dana Ermekova', 'Almaty-1', 'pre-service student', 'English', 0),
          person('xss@uni.kz', XSS_NAME, 'Almaty-1', 'other', 'arts', 45),
          {
            ...person('erlan@uni.kz', 'Erlan Sadykov', 'Almaty-1', 'university teacher', 'STEM', 60),
            'Application status': 'withdrawn',
            'Withdrawal reason': 'attendance is compulsory',
          },
          {
            ...person('farida@uni.kz', 'Farida Omarova', 'Almaty-1', 'school teacher', 'STEM', 62),
            'Application status': 'applied',
          },
          person('gani@uni.kz', 'Gani Tulegenov', 'Aktau-1', 'university teacher', 'humanities', 71),
          person('hana@uni.kz', 'Hana Li', 'Aktau-1', 'other', 'arts', 41),
        ]),
      },
      {
        tab: SESSIONS_TAB.name,
        appends: rows(SESSIONS_TAB, [
          {
            'Session ID': ZOOM_SESSION,
            Group: 'Almaty-1',
            Date: '2026-04-16',
            Mode: 'online',
            Topic: 'Fake news',
            Facilitator: FACILITATOR,
          },
          {
            'Session ID': 'ALA-W4',
            Group: 'Almaty-1',
            Date: '2026-04-23',
            Mode: 'online',
            Topic: 'Lab reports',
            Facilitator: FACILITATOR,
          },
          { 'Session ID': 'AKT-W1', Group: 'Aktau-1', Date: '2026-04-16', Mode: 'face-to-face', Topic: 'Kick-off' },
        ]),
      },
      {
        tab: ATTENDANCE_TAB.name,
        appends: rows(ATTENDANCE_TAB, [
          { 'Session ID': 'ALA-W4', Email: 'dana@uni.kz', Mark: 'excused', Source: 'phone call' },
          { 'Session ID': 'AKT-W1', Email: 'gani@uni.kz', Mark: 'present', Source: 'paper list' },
          { 'Session ID': 'AKT-W1', Email: 'hana@uni.kz', Mark: 'excused', Source: 'paper list' },
        ]),
      },
      {
        tab: PROGRESS_TAB.name,
        appends: [
          completed('aigerim@school.kz', 'media-literacy', 'English for Media Literacy', 'Yes'),
          completed('bolat.nurlanov@uni.kz', 'media-literacy', 'English for Media Literacy', 'No'),
          completed('gani@uni.kz', 'media-literacy', 'English for Media Literacy', 'Yes'),
        ],
      },
    ],
  };
}
