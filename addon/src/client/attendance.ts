/**
 * Attendance sidebar (a group's facilitators and admins; the server decides): pick the group and a
 * session or start today's, tick who is present, save; or import the meeting's Zoom / Google Meet
 * report. Made for a phone held in one hand: one column, whole rows as tap targets, the Save button
 * always in reach. The server answers with values or typed refusals; each refusal code has its
 * message here, in the user's language.
 */
import {
  MAX_IMPORT_BYTES,
  type AttendanceAnswer,
  type AttendanceError,
  type AttendanceImportResult,
  type AttendanceParticipant,
  type AttendanceView,
} from '../api';
import type { MessageKey } from '../i18n/en';
import { app, base64Of, busy, call, el, replace, startSidebar, status, t, userLine } from './common';

const REFUSALS: Readonly<Record<AttendanceError, MessageKey>> = {
  NO_USER: 'msg.noUser',
  NOT_FACILITATOR: 'att.error.notFacilitator',
  NO_GROUPS: 'att.error.noGroups',
  UNKNOWN_GROUP: 'att.error.unknownGroup',
  UNKNOWN_SESSION: 'att.error.unknownSession',
  NOT_IN_GROUP: 'att.error.notInGroup',
  BAD_REQUEST: 'att.error.badRequest',
  NO_FILE: 'import.noFile',
  FILE_TOO_LARGE: 'att.error.tooLarge',
  BAD_FILE: 'att.error.badFile',
  SHEET_PROBLEM: 'att.error.sheet',
  BUSY: 'msg.busy',
  SHEET_CHANGED: 'att.error.sheetChanged',
  UNAVAILABLE: 'import.unavailable',
};

const MB = 1024 * 1024;

const refusal = (a: { code: AttendanceError; detail: string }) => t(REFUSALS[a.code], { detail: a.detail });

/** A server call with the status line: its value, or null with the refusal (or the error) shown. */
async function ask<T>(work: () => Promise<AttendanceAnswer<T>>): Promise<T | null> {
  const answer = await busy(work);
  if (!answer) return null;
  if (!answer.ok) {
    status('error', refusal(answer));
    return null;
  }
  return answer.value;
}

/** Who is ticked present: what the sheet says, until the user changes it. */
let ticks = new Map<string, boolean>();

function show(view: AttendanceView): void {
  ticks = new Map(view.participants.map((p) => [p.email, p.mark === 'present']));
  replace(
    app(),
    userLine(view.user, view.isAdmin),
    choosers(view),
    view.session ? people(view) : null,
    el('div', { id: 'status', className: 'status', 'data-testid': 'status' }),
    view.session ? importSection(view) : null,
  );
}

function choosers(view: AttendanceView): HTMLElement {
  const group = el(
    'select',
    {
      className: 'wide',
      id: 'group',
      'data-testid': 'group',
      onchange: (e: Event) => void open({ group: (e.target as HTMLSelectElement).value }),
    },
    ...view.groups.map((g) => el('option', { value: g.name, selected: g.name === view.group }, g.name)),
  );
  const session = el(
    'select',
    {
      className: 'wide',
      id: 'session',
      'data-testid': 'session',
      onchange: (e: Event) => void open({ group: view.group, session: (e.target as HTMLSelectElement).value }),
    },
    ...view.sessions.map((s) => {
      const label = t('att.sessionOption', { date: s.date, label: s.topic || s.id });
      const text = s.id === view.todaysSession ? t('att.todayOption', { label }) : label;
      return el('option', { value: s.id, selected: s.id === view.session }, text);
    }),
  );
  return el(
    'div',
    { className: 'block' },
    el('label', { for: 'group' }, t('att.group')),
    group,
    view.sessions.length ? el('label', { for: 'session' }, t('att.session')) : null,
    view.sessions.length ? session : el('p', { className: 'secondary' }, t('att.noSessions')),
    view.todaysSession ? null : startToday(view),
  );
}

function startToday(view: AttendanceView): HTMLElement {
  const topic = el('input', { className: 'wide', id: 'topic', 'data-testid': 'topic' });
  const start = async () => {
    const next = await ask(() => call('startSession', { group: view.group, topic: topic.value }));
    if (!next) return;
    show(next);
    status('ok', t('att.started', { session: next.session }));
  };
  return el(
    'div',
    { className: 'start' },
    el('label', { for: 'topic' }, t('att.topic')),
    topic,
    el(
      'button',
      { className: 'create wide-button', 'data-testid': 'start', onclick: () => void start() },
      t('att.start', { date: view.today }),
    ),
  );
}

async function open(choice: { group?: string; session?: string }): Promise<void> {
  const next = await ask(() => call('getAttendanceView', choice));
  if (next) show(next);
}

function people(view: AttendanceView): HTMLElement {
  if (!view.participants.length) return el('p', { className: 'secondary' }, t('att.noParticipants'));
  const count = el('p', { className: 'count', 'data-testid': 'count' });
  const boxes: HTMLInputElement[] = [];
  const recount = () => {
    const present = view.participants.filter((p) => p.mark !== 'excused' && ticks.get(p.email)).length;
    count.textContent = t('att.count', { present, total: view.participants.length });
  };
  const setAll = (present: boolean) => {
    for (const box of boxes) {
      if (box.disabled) continue;
      box.checked = present;
      ticks.set(box.value, present);
    }
    recount();
  };
  const rows = view.participants.map((p) => personRow(p, boxes, recount));
  recount();
  const save = async () => {
    const marks = view.participants.map((p) => ({ email: p.email, present: !!ticks.get(p.email) }));
    const saved = await ask(() => call('saveAttendance', { session: view.session, marks }));
    if (!saved) return;
    show(saved.view);
    const { present, absent, excused, updated } = saved;
    const lines = [t('att.saved', { present, absent, excused, updated }), ...saved.problems];
    status('ok', lines.map((text, i) => (i ? t('att.warning', { text }) : text)).join('\n'));
  };
  return el(
    'div',
    { 'data-testid': 'people' },
    count,
    el(
      'div',
      { className: 'row' },
      el('button', { 'data-testid': 'all-present', onclick: () => setAll(true) }, t('att.allPresent')),
      el('button', { 'data-testid': 'clear', onclick: () => setAll(false) }, t('att.clear')),
    ),
    el('ul', { className: 'people' }, ...rows),
    el(
      'div',
      { className: 'save-bar' },
      el(
        'button',
        { className: 'action wide-button', 'data-testid': 'save', onclick: () => void save() },
        t('att.save'),
      ),
    ),
  );
}

/** A whole row is the tap target; an `excused` mark is the sheet's and cannot be ticked over here. */
function personRow(p: AttendanceParticipant, boxes: HTMLInputElement[], recount: () => void): HTMLElement {
  const excused = p.mark === 'excused';
  const box = el('input', {
    type: 'checkbox',
    value: p.email,
    'data-testid': 'tick',
    checked: !excused && !!ticks.get(p.email),
    disabled: excused,
    onchange: () => {
      ticks.set(p.email, box.checked);
      recount();
    },
  });
  boxes.push(box);
  const row = el(
    'label',
    { className: 'person' },
    box,
    el(
      'span',
      { className: 'who' },
      el('span', { className: 'name', 'data-testid': 'name' }, p.fullName || p.email),
      el('span', { className: 'email' }, p.email),
    ),
    excused ? el('span', { className: 'badge', 'data-testid': 'excused' }, t('att.excused')) : null,
    p.minutes !== null && !excused ? el('span', { className: 'minutes' }, t('att.minutes', { n: p.minutes })) : null,
  );
  if (excused) row.classList.add('excused');
  return el('li', { 'data-testid': 'person', 'data-email': p.email }, row);
}

function importSection(view: AttendanceView): HTMLElement {
  const input = el('input', { type: 'file', id: 'report', 'data-testid': 'report', accept: '.csv,.txt,text/csv' });
  const out = el('div', { 'data-testid': 'import-result' });
  const send = async () => {
    const file = input.files?.[0];
    if (!file) return status('error', t('import.noFile'));
    if (file.size > MAX_IMPORT_BYTES)
      return status('error', t('att.error.tooLarge', { detail: MAX_IMPORT_BYTES / MB }));
    const result = await ask(async () => {
      status('working', t('import.reading', { file: file.name }));
      return call('importAttendance', { session: view.session, name: file.name, base64: await base64Of(file) });
    });
    if (!result) return;
    show(result.view);
    const section = document.querySelector<HTMLDetailsElement>('[data-testid=import]')!;
    section.open = true;
    replace(section.querySelector<HTMLElement>('[data-testid=import-result]')!, importSummary(result));
  };
  return el(
    'details',
    { className: 'import', 'data-testid': 'import' },
    el('summary', {}, t('att.import')),
    el('p', { className: 'secondary' }, t('att.importHint')),
    el('label', { for: 'report' }, t('att.chooseFile')),
    input,
    el(
      'button',
      { className: 'action', 'data-testid': 'import-button', onclick: () => void send() },
      t('att.importButton'),
    ),
    out,
  );
}

function importSummary(r: AttendanceImportResult): HTMLElement {
  const from = Math.round(r.presentFrom * 10) / 10;
  return el(
    'div',
    {},
    el(
      'p',
      { className: 'success', 'data-testid': 'imported' },
      t('att.imported', {
        format: r.format,
        present: r.present,
        absent: r.absent,
        updated: r.updated,
        minutes: r.sessionMinutes,
        from,
      }),
    ),
    r.unmatched.length ? el('p', { className: 'error' }, t('att.unmatched', { n: r.unmatched.length })) : null,
    r.unmatched.length
      ? el(
          'ul',
          { className: 'error', 'data-testid': 'unmatched' },
          ...r.unmatched.map((u) =>
            el('li', {}, t('att.unmatchedLine', { lines: u.lines.join(', '), reason: u.reason, minutes: u.minutes })),
          ),
        )
      : null,
    ...r.problems.map((text) => el('p', { className: 'secondary' }, t('att.warning', { text }))),
  );
}

startSidebar(
  () => call('getAttendanceView', {}),
  (answer) => {
    if (answer.ok) return show(answer.value);
    replace(app(), el('p', { className: 'error', 'data-testid': 'status' }, refusal(answer)));
  },
);
