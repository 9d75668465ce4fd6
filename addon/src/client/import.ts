/** Import sidebar (admins): pick a Coursera export, send it, show the sync's summary (as `mooc-desk sync` prints it). */
import { MAX_IMPORT_BYTES, type ImportResult } from '../api';
import type { MessageKey } from '../i18n/en';
import { flagWords, statusWords } from './approval-model';
import { app, base64Of, busy, call, el, replace, status, t } from './common';

const MB = 1024 * 1024;

const counts = (rec: Readonly<Record<string, number>>, label: (k: string) => string): string =>
  Object.entries(rec)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${label(k)} ${n}`)
    .join(' · ') || t('import.none');

function summary(r: ImportResult): HTMLElement {
  const figure = (key: MessageKey, n: number, id: string) =>
    el('tr', { 'data-testid': id }, el('td', {}, t(key)), el('td', { className: 'n' }, n));
  const more = r.rejected - r.rejectedRows.length;
  return el(
    'div',
    { 'data-testid': 'summary' },
    el(
      'p',
      { className: 'success', 'data-testid': 'done' },
      t('import.done', { source: r.source, seconds: (r.durationMs / 1000).toFixed(1) }),
    ),
    el(
      'table',
      { className: 'counts' },
      figure('import.rowsRead', r.rowsRead, 'rows-read'),
      figure('import.inserted', r.inserted, 'inserted'),
      figure('import.updated', r.updated, 'updated'),
      figure('import.unchanged', r.unchanged, 'unchanged'),
      figure('import.rejected', r.rejected, 'rejected'),
    ),
    el('p', { 'data-testid': 'statuses' }, `${t('import.statuses')}: ${counts(r.statuses, (k) => statusWords(k, t))}`),
    el('p', { 'data-testid': 'flags' }, `${t('import.flags')}: ${counts(r.flags, (k) => flagWords(k, t))}`),
    r.rejectedRows.length
      ? el(
          'ul',
          { className: 'error', 'data-testid': 'rejected-rows' },
          ...r.rejectedRows.map((x) => el('li', {}, t('import.rejectedLine', { line: x.line, reason: x.reason }))),
          more > 0 ? el('li', {}, t('import.rejectedMore', { n: more })) : null,
        )
      : null,
    r.rejected && r.rejectedAlreadyLogged ? el('p', { className: 'secondary' }, t('import.alreadyLogged')) : null,
    ...r.duplicateRows.map((d) =>
      el(
        'p',
        { className: 'error', 'data-testid': 'duplicate' },
        t('import.duplicate', { email: d.email, slug: d.slug, rows: d.rows.join(', ') }),
      ),
    ),
    r.coursesWithoutDeadline.length
      ? el('p', { className: 'secondary' }, t('import.noDeadline', { courses: r.coursesWithoutDeadline.join(', ') }))
      : null,
    r.coursesNotInCatalog.length
      ? el('p', { className: 'secondary' }, t('import.notInCatalog', { courses: r.coursesNotInCatalog.join(', ') }))
      : null,
  );
}

async function send(input: HTMLInputElement, out: HTMLElement): Promise<void> {
  const file = input.files?.[0];
  if (!file) return status('error', t('import.noFile'));
  // Refused here before anything is sent; the server checks again.
  if (file.size > MAX_IMPORT_BYTES) return status('error', t('import.tooLarge', { max: MAX_IMPORT_BYTES / MB }));
  replace(out);
  const result = await busy(async () => {
    status('working', t('import.reading', { file: file.name }));
    return call('importExport', { name: file.name, base64: await base64Of(file) });
  });
  if (result) replace(out, summary(result));
}

function render(): void {
  const input = el('input', {
    type: 'file',
    id: 'file',
    'data-testid': 'file',
    accept: '.csv,.zip,.txt,text/csv,application/zip',
  });
  const out = el('div', { id: 'result' });
  replace(
    app(),
    el('p', { className: 'secondary' }, t('import.intro')),
    el(
      'div',
      { className: 'block' },
      el('label', { for: 'file' }, t('import.choose', { max: MAX_IMPORT_BYTES / MB })),
      input,
    ),
    el(
      'div',
      { className: 'block' },
      el(
        'button',
        { className: 'action', 'data-testid': 'import', onclick: () => void send(input, out) },
        t('import.button'),
      ),
    ),
    el('div', { id: 'status', className: 'status', 'data-testid': 'status' }),
    out,
  );
}

render();
