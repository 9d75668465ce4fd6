/** A small facilitated programme in memory: two groups, their participants, a session with marks. */
import type { Cell } from '../../src/cells';
import { headersOf, tabDef } from '../../src/layout';
import { MemoryWorkbook } from '../../src/memory-workbook';
import { templatePlan } from '../../src/sync-plan';
import type { Snapshot } from '../../src/workbook';

export const FACILITATOR = 'f@kazate.kz';
export const ADMIN = 'admin@kazate.kz';
export const NOW = Date.parse('2026-05-01T06:00:00Z'); // 11:00 in Almaty
export const TABS = ['Settings', 'Courses', 'Groups', 'Participants', 'Sessions', 'Attendance', 'Progress'];

type Records = Record<string, Record<string, Cell>[]>;

export const PROGRAMME: Records = {
  Courses: [{ 'Course slug': 'media-literacy', Course: 'English for Media Literacy', Mentor: 'mentor@kazate.kz' }],
  Groups: [
    { Group: 'Almaty 1', Facilitators: `${FACILITATOR}, co@kazate.kz`, Mode: 'online', Courses: 'media-literacy' },
    { Group: 'Aktau-1', Facilitators: 'aktau@kazate.kz', Mode: 'face-to-face', Courses: 'media-literacy, stem' },
  ],
  Participants: [
    { Email: 'a@uni.kz', 'Full name': 'Aigerim', Group: 'Almaty 1', Category: 'school teacher', 'EF SET score': 28 },
    { Email: 'b@uni.kz', 'Full name': 'Bolat', Group: 'almaty 1', Category: 'school teacher', 'EF SET score': 55 },
    { Email: 'c@uni.kz', 'Full name': 'Dana', Group: 'Almaty 1', Category: 'pre-service student' },
    { Email: 'w@uni.kz', 'Full name': 'Erlan', Group: 'Almaty 1', 'Application status': 'withdrawn' },
    { Email: 'g@uni.kz', 'Full name': 'Gani', Group: 'Aktau-1', Category: 'other', 'EF SET score': 71 },
  ],
  Sessions: [{ 'Session ID': 'ALA-W1', Group: 'Almaty 1', Date: '2026-04-24', Mode: 'online' }],
  Attendance: [
    { 'Session ID': 'ala-w1', Email: 'C@uni.kz', Mark: 'excused', Source: 'phone call' },
    { 'Session ID': 'ALA-W1', Email: 'b@uni.kz', Mark: 'present', Minutes: 55, Source: 'Zoom: w1.csv' },
  ],
};

/** The template's tabs, the programme's rows (by header) and an admin in Settings. */
export function programmeWorkbook(extra: Records = {}): MemoryWorkbook {
  const wb = new MemoryWorkbook();
  wb.apply({ tabs: templatePlan({}) });
  const all: Records = { ...PROGRAMME };
  for (const [tab, recs] of Object.entries(extra)) all[tab] = [...(all[tab] ?? []), ...recs];
  wb.apply({
    tabs: [
      ...Object.entries(all).map(([tab, recs]) => ({
        tab,
        appends: recs.map((r) => headersOf(tabDef(tab)).map((h) => r[h] ?? null)),
      })),
      { tab: 'Settings', updates: [{ row: 6, col: 1, value: ADMIN }] },
    ],
  });
  if (wb.tabs.get('Settings')!.rows[6][0] !== 'Admins') throw new Error('Settings row 8 is no longer Admins');
  return wb;
}

/** A tab's rows as records by header. */
export const records = (s: Snapshot, tab: string) =>
  s[tab]!.rows.map((r) => Object.fromEntries(s[tab]!.header.map((h, i) => [h, r[i] ?? null])));
