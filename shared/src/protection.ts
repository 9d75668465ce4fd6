/**
 * Who may edit what, where the platform can enforce it (Google Sheets): the `Audit` and `Sync log`
 * tabs and the approval columns of `Progress` (Points, Letter, Approved by, Approved at) only by
 * the admins (Settings `Admins`) and the mentors (Courses `Mentor`) — plus the account a backend
 * writes as, which every backend adds itself; the sync-owned columns of `Progress` warn anyone
 * who edits them (the next sync overwrites such edits). Pure: editors come from the snapshot.
 */
import { AUDIT_TAB, COURSES_TAB, PROGRESS_TAB, SETTINGS_TAB, SYNC_LOG_TAB } from './layout';
import { isValidEmail, mentorsOf, normalizeEmail } from './people';
import { readSettings } from './settings';
import { TableEdit } from './table-edit';
import { PROTECTION_PREFIX, type Plan, type Protection, type Snapshot, type TabPlan } from './workbook';

/** The approval columns of Progress: what a mentor or an admin signs. */
export const APPROVAL_COLUMNS = ['points', 'letter', 'approvedBy', 'approvedAt'] as const;

const headerOf = (key: string) => PROGRESS_TAB.columns.find((c) => c.key === key)!.header;

/** Admins and mentors, lower-cased, valid addresses only, sorted. */
export function protectionEditors(snapshot: Snapshot): string[] {
  const settings = readSettings(snapshot[SETTINGS_TAB.name]);
  const out = new Set(settings.admins.map((a) => normalizeEmail(a)));
  if (snapshot[COURSES_TAB.name]) {
    const courses = new TableEdit(COURSES_TAB, snapshot);
    courses.rows.forEach((_, i) => mentorsOf(courses.text(i, 'mentor')).forEach((m) => out.add(m)));
  }
  return [...out].filter(isValidEmail).sort();
}

/** Protections by tab name. */
export function protectionPlan(snapshot: Snapshot): Map<string, Protection[]> {
  const editors = protectionEditors(snapshot);
  return new Map<string, Protection[]>([
    [
      AUDIT_TAB.name,
      [
        {
          description: `${PROTECTION_PREFIX} ${AUDIT_TAB.name} is an append-only record (admins, mentors and the sync)`,
          editors,
        },
      ],
    ],
    [SYNC_LOG_TAB.name, [{ description: `${PROTECTION_PREFIX} ${SYNC_LOG_TAB.name} is written by the sync`, editors }]],
    [
      PROGRESS_TAB.name,
      [
        {
          description: `${PROTECTION_PREFIX} approval columns (mentors and admins)`,
          columns: APPROVAL_COLUMNS.map(headerOf),
          editors,
        },
        {
          description: `${PROTECTION_PREFIX} sync-owned columns (the next sync overwrites edits)`,
          columns: PROGRESS_TAB.columns.filter((c) => c.owner === 'sync').map((c) => c.header),
          warningOnly: true,
        },
      ],
    ],
  ]);
}

/**
 * The plan with the protections added: onto the plan's own tab plan where it has one (a tab it
 * creates included), else as a tab plan of their own for a tab the workbook has.
 */
export function withProtections(plan: Plan, snapshot: Snapshot): Plan {
  const wanted = protectionPlan(snapshot);
  const tabs: TabPlan[] = plan.tabs.map((t) => {
    const protections = wanted.get(t.tab);
    if (!protections) return t;
    wanted.delete(t.tab);
    return { ...t, protections };
  });
  for (const [tab, protections] of wanted) if (snapshot[tab]) tabs.push({ tab, protections });
  return { tabs };
}
