/** Eligibility sidebar (admins): run the check, settle possible matches, enroll, download the list. */
import type { EligibilityView, EnrollResult } from '../api';
import type { MessageKey } from '../i18n/en';
import { app, busy, call, el, replace, startSidebar, status, t, userLine } from './common';

let lastEnroll: EnrollResult | null = null;
let currentView: EligibilityView | null = null;

function render(view: EligibilityView): void {
  currentView = view;
  const root = app();
  if (!view.isAdmin) {
    replace(
      root,
      userLine(view.user, false),
      el('p', { className: 'error', 'data-testid': 'admins-only' }, t('elig.adminsOnly')),
    );
    return;
  }
  const counts = el('table', { className: 'counts', 'data-testid': 'counts' });
  for (const [code, n] of Object.entries(view.counts)) {
    counts.appendChild(
      el('tr', { 'data-code': code }, el('td', {}, t(`code.${code}` as MessageKey)), el('td', { className: 'n' }, n)),
    );
  }
  const matches = el('div', { 'data-testid': 'matches' });
  if (!view.possibleMatches.length) matches.appendChild(el('p', { className: 'secondary' }, t('elig.noMatches')));
  for (const m of view.possibleMatches) {
    matches.appendChild(
      el(
        'div',
        { className: 'card', 'data-testid': 'match', 'data-email': m.email },
        el('div', { className: 'name' }, m.fullName),
        el('div', { className: 'secondary' }, m.email, ' · ', m.school),
        el('div', { className: 'gray' }, m.detail),
        el(
          'div',
          { className: 'row' },
          el(
            'button',
            { className: 'action', 'data-testid': 'same', onclick: () => decide(m.row, m.email, true) },
            t('elig.confirm'),
          ),
          el('button', { 'data-testid': 'different', onclick: () => decide(m.row, m.email, false) }, t('elig.reject')),
        ),
      ),
    );
  }
  const cohort = el('input', {
    className: 'wide',
    id: 'cohort',
    'data-testid': 'cohort',
    value: lastEnroll?.cohort ?? view.cohort,
  });
  const download = lastEnroll
    ? el(
        'a',
        {
          'data-testid': 'download',
          href: `data:text/csv;charset=utf-8,${encodeURIComponent(lastEnroll.csv)}`,
          download: lastEnroll.fileName,
        },
        t('elig.download'),
      )
    : null;
  replace(
    root,
    userLine(view.user, true),
    el(
      'div',
      { className: 'block' },
      el('div', { 'data-testid': 'candidates' }, t('elig.candidates', { n: view.candidates })),
      el(
        'div',
        { 'data-testid': 'unchecked', className: view.unchecked ? 'error' : 'secondary' },
        t('elig.unchecked', { n: view.unchecked }),
      ),
      el(
        'button',
        { className: 'action', 'data-testid': 'run', onclick: () => void act(() => call('runEligibilityCheck')) },
        t('elig.run'),
      ),
    ),
    el('h2', {}, t('elig.counts')),
    counts,
    el('h2', {}, t('elig.matches')),
    matches,
    el('h2', {}, t('elig.enroll')),
    el(
      'div',
      { className: 'block' },
      el('label', { for: 'cohort' }, t('elig.cohort')),
      cohort,
      el(
        'button',
        { className: 'create', 'data-testid': 'enroll', onclick: () => void enroll(cohort.value) },
        t('elig.enroll'),
      ),
      el('div', { id: 'new-cohort' }),
      lastEnroll
        ? el(
            'p',
            { className: 'success', 'data-testid': 'enrolled' },
            t('elig.enrolled', { added: lastEnroll.added, skipped: lastEnroll.skipped, cohort: lastEnroll.cohort }),
          )
        : null,
      download,
    ),
    unenrollSection(),
    el('div', { id: 'status', className: 'status', 'data-testid': 'status' }),
  );
}

/** Undo an enrollment made by mistake: e-mail and reason; the server checks admin, cohort and status. */
function unenrollSection(): HTMLElement {
  const email = el('input', { className: 'wide', id: 'unenroll-email', 'data-testid': 'unenroll-email' });
  const reason = el('input', { className: 'wide', id: 'unenroll-reason', 'data-testid': 'unenroll-reason' });
  const submit = async () => {
    if (!email.value.trim() || !reason.value.trim()) {
      status('error', t('msg.reasonRequired'));
      return;
    }
    const who = email.value.trim();
    const view = await busy(() => call('unenrollStudent', who, reason.value.trim()));
    if (view) {
      render(view);
      status('ok', t('elig.unenrolled', { email: who }));
    }
  };
  return el(
    'details',
    { 'data-testid': 'unenroll' },
    el('summary', {}, t('elig.unenroll')),
    el('p', { className: 'secondary' }, t('elig.unenrollHint')),
    el('label', { for: 'unenroll-email' }, t('elig.unenrollEmail')),
    email,
    el('label', { for: 'unenroll-reason' }, t('elig.unenrollReason')),
    reason,
    el(
      'button',
      { className: 'share', 'data-testid': 'unenroll-submit', onclick: () => void submit() },
      t('elig.unenrollButton'),
    ),
  );
}

async function act(work: () => Promise<EligibilityView>): Promise<void> {
  const view = await busy(work);
  if (view) {
    render(view);
    status('ok', t('common.done'));
  }
}

function decide(row: number, email: string, same: boolean): void {
  void act(() => call('resolvePossibleMatch', row, email, same));
}

const sameCohort = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

async function enroll(cohort: string, confirmed = false): Promise<void> {
  const name = cohort.trim();
  if (!name) {
    status('error', t('elig.cohortRequired'));
    return;
  }
  const current = currentView?.cohort ?? '';
  if (!confirmed && !sameCohort(name, current)) {
    askNewCohort(name, current);
    return;
  }
  const result = await busy(() => call('enrollEligible', name, confirmed));
  if (result) {
    lastEnroll = result;
    render(result.view); // shows the result and the download link
  }
}

/**
 * A cohort other than Settings `Cohort` is a typo more often than a new cohort: ask in the page
 * (window.confirm is blocked in the add-on's sandboxed iframe) and tell the server only after a yes.
 */
function askNewCohort(cohort: string, current: string): void {
  const slot = document.getElementById('new-cohort');
  if (!slot) return;
  replace(
    slot,
    el(
      'div',
      { className: 'card', 'data-testid': 'new-cohort-confirm', role: 'alertdialog' },
      el('p', {}, t('elig.newCohortQuestion', { cohort, current: current || '—' })),
      el(
        'div',
        { className: 'row' },
        el(
          'button',
          { className: 'create', 'data-testid': 'new-cohort-yes', onclick: () => void enroll(cohort, true) },
          t('elig.newCohortYes', { cohort }),
        ),
        el('button', { 'data-testid': 'new-cohort-cancel', onclick: () => replace(slot) }, t('common.cancel')),
      ),
    ),
  );
}

startSidebar(() => call('getEligibilityView'), render);
