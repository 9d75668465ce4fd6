/** Replace or unenroll sidebar (admins; the server checks): a dropped student's place, or a mistaken enrollment undone. */
import type { ReplaceResult } from '../api';
import { app, busy, call, el, replace, status, t } from './common';

const field = (id: string, label: string) => {
  const input = el('input', { className: 'wide', id, 'data-testid': id });
  return { input, nodes: [el('label', { for: id }, label), input] };
};

function downloadLink(result: ReplaceResult): HTMLElement {
  return el(
    'a',
    {
      'data-testid': 'download',
      href: `data:text/csv;charset=utf-8,${encodeURIComponent(result.csv)}`,
      download: result.fileName,
    },
    t('students.download'),
  );
}

function replaceSection(): HTMLElement {
  const out = field('replace-out', t('students.out'));
  const joining = field('replace-in', t('students.in'));
  const reason = field('replace-reason', t('elig.unenrollReason'));
  const done = el('div', { 'data-testid': 'replaced' });
  const submit = async () => {
    if (!out.input.value.trim() || !joining.input.value.trim()) return status('error', t('students.emailsRequired'));
    if (!reason.input.value.trim()) return status('error', t('msg.reasonRequired'));
    const result = await busy(() =>
      call('replaceStudent', out.input.value.trim(), joining.input.value.trim(), reason.input.value.trim()),
    );
    if (!result) return;
    const text = t('students.replaced', { leaving: result.leaving, joining: result.joining, cohort: result.cohort });
    replace(done, el('p', { className: 'success' }, text), downloadLink(result));
    status('ok', text);
  };
  return el(
    'section',
    { 'data-testid': 'replace' },
    el('h2', {}, t('students.replace')),
    el('p', { className: 'secondary' }, t('students.replaceHint')),
    ...out.nodes,
    ...joining.nodes,
    ...reason.nodes,
    el(
      'button',
      { className: 'action', 'data-testid': 'replace-submit', onclick: () => void submit() },
      t('students.replaceButton'),
    ),
    done,
  );
}

function unenrollSection(): HTMLElement {
  const email = field('unenroll-email', t('elig.unenrollEmail'));
  const reason = field('unenroll-reason', t('elig.unenrollReason'));
  const submit = async () => {
    if (!email.input.value.trim() || !reason.input.value.trim()) return status('error', t('msg.reasonRequired'));
    const who = email.input.value.trim();
    const view = await busy(() => call('unenrollStudent', who, reason.input.value.trim()));
    if (view) status('ok', t('elig.unenrolled', { email: who }));
  };
  return el(
    'section',
    { 'data-testid': 'unenroll' },
    el('h2', {}, t('elig.unenroll')),
    el('p', { className: 'secondary' }, t('elig.unenrollHint')),
    ...email.nodes,
    ...reason.nodes,
    el(
      'button',
      { className: 'share', 'data-testid': 'unenroll-submit', onclick: () => void submit() },
      t('elig.unenrollButton'),
    ),
  );
}

replace(
  app(),
  el('p', { className: 'secondary' }, t('students.intro')),
  replaceSection(),
  unenrollSection(),
  el('div', { id: 'status', className: 'status', 'data-testid': 'status' }),
);
