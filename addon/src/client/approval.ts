/**
 * Grade approval sidebar. It only asks: the server decides from the active user's e-mail what may
 * be approved, re-checks every request and answers per row.
 */
import type { ActionResult, ApprovalRow, ApprovalView, ApproveItem } from '../api';
import { app, busy, call, el, errorText, replace, safeLink, status, t, userLine } from './common';

const selected = new Set<string>();
const keyOf = (r: { email: string; slug: string }) => `${r.email}\u0000${r.slug}`;
let current: ApprovalView | null = null;

function badge(row: ApprovalRow): HTMLElement {
  const kind = row.approvedBy ? 'approved' : row.ready ? 'ready' : 'review';
  const text = row.approvedBy ? t('status.approved') : row.ready ? t('status.ready') : t('status.review');
  return el('span', { className: `badge ${kind}`, 'data-testid': 'badge' }, text);
}

function card(row: ApprovalRow, isAdmin: boolean): HTMLElement {
  const points = el('input', { type: 'number', min: 0, max: 100, step: 1, className: 'points', 'data-testid': 'points', value: row.points ?? row.defaultPoints ?? '' });
  const reason = el('input', { className: 'wide', 'data-testid': 'reason', placeholder: row.approvedBy ? t('appr.reason') : t('appr.overrideReason') });
  const parts: (Node | null)[] = [];
  if (row.approvedBy) {
    parts.push(
      el('div', { className: 'success', 'data-testid': 'approved' }, t('appr.approvedBy', { who: row.approvedBy, when: row.approvedAt, points: row.points ?? '', letter: row.letter })),
      reason,
      el('button', { className: 'share', 'data-testid': 'revoke', onclick: () => revoke(row, reason.value) }, t('appr.revoke')),
    );
  } else {
    const check = el('input', {
      type: 'checkbox',
      'data-testid': 'select',
      checked: selected.has(keyOf(row)),
      disabled: !row.ready,
      onchange: (ev: Event) => {
        if ((ev.target as HTMLInputElement).checked) selected.add(keyOf(row));
        else selected.delete(keyOf(row));
        updateBulk();
      },
    });
    parts.push(
      el('div', { className: 'row' }, el('label', {}, check, ' ', t('appr.select')), el('label', {}, t('appr.points'), ' ', points)),
      !row.ready && isAdmin ? reason : null,
      el(
        'button',
        {
          className: 'action',
          'data-testid': 'approve',
          onclick: () => approve([{ email: row.email, slug: row.slug, points: readPoints(points), override: row.ready ? null : reason.value }]),
        },
        t('appr.approve'),
      ),
    );
  }
  return el(
    'div',
    { className: 'card', 'data-testid': 'row', 'data-email': row.email, 'data-slug': row.slug },
    el('div', { className: 'name', 'data-testid': 'name' }, row.fullName || row.email),
    el('div', { className: 'secondary' }, row.email),
    el('div', {}, row.course || row.slug, ' ', badge(row)),
    el('div', { className: 'secondary' }, row.engagement === null ? '' : t('appr.engagement', { value: row.engagement })),
    el('div', { className: 'secondary' }, row.certificateUrl ? safeLink(row.certificateUrl, t('appr.certificate')) : t('appr.noCertificate')),
    row.completedAt ? el('div', { className: 'secondary' }, t('appr.completedAt', { date: row.completedAt })) : null,
    ...parts,
  );
}

function readPoints(input: HTMLInputElement): number | null {
  const text = input.value.trim();
  return text === '' ? null : Number(text);
}

function updateBulk(): void {
  const button = document.getElementById('bulk') as HTMLButtonElement | null;
  if (button) {
    button.textContent = t('appr.approveSelected', { n: selected.size });
    button.disabled = selected.size === 0;
  }
}

function render(view: ApprovalView): void {
  current = view;
  const visible = new Set(view.rows.map(keyOf));
  for (const k of [...selected]) if (!visible.has(k)) selected.delete(k);
  const list = el('div', { 'data-testid': 'rows' });
  for (const row of view.rows) list.appendChild(card(row, view.isAdmin));
  if (!view.rows.length) list.appendChild(el('p', { className: 'secondary', 'data-testid': 'empty' }, t('appr.empty')));
  replace(
    app(),
    userLine(view.user, view.isAdmin),
    el('p', { className: 'secondary' }, view.isAdmin ? t('appr.adminHint') : t('appr.mentorHint')),
    el(
      'div',
      { className: 'block row' },
      el('button', { 'data-testid': 'select-all', onclick: selectAll }, t('appr.selectAll')),
      el('button', { className: 'action', id: 'bulk', 'data-testid': 'approve-selected', onclick: approveSelected }, t('appr.approveSelected', { n: selected.size })),
      el('button', { 'data-testid': 'refresh', onclick: () => void load() }, t('common.refresh')),
    ),
    el('div', { id: 'status', className: 'status', 'data-testid': 'status' }),
    list,
  );
  updateBulk();
}

function selectAll(): void {
  for (const r of current?.rows ?? []) if (r.ready && !r.approvedBy) selected.add(keyOf(r));
  if (current) render(current);
}

function approveSelected(): void {
  const items: ApproveItem[] = [];
  document.querySelectorAll<HTMLElement>('[data-testid=row]').forEach((card) => {
    const key = `${card.dataset.email}\u0000${card.dataset.slug}`;
    if (!selected.has(key)) return;
    const points = card.querySelector<HTMLInputElement>('[data-testid=points]');
    items.push({ email: card.dataset.email!, slug: card.dataset.slug!, points: points ? readPoints(points) : null });
  });
  void approve(items);
}

function report(result: ActionResult): void {
  render(result.view);
  const failed = result.results.filter((r) => !r.ok);
  const lines = result.results.map((r) => `${r.email} / ${r.slug}: ${r.message}`);
  status(failed.length ? 'error' : 'ok', lines.join('\n'));
}

async function approve(items: ApproveItem[]): Promise<void> {
  if (!items.length) return;
  const result = await busy(() => call('approveRows', items));
  if (result) {
    for (const r of result.results) if (r.ok) selected.delete(keyOf(r));
    report(result);
  }
}

async function revoke(row: ApprovalRow, reason: string): Promise<void> {
  const result = await busy(() => call('revokeRow', { email: row.email, slug: row.slug, reason }));
  if (result) report(result);
}

async function load(): Promise<void> {
  const view = await busy(() => call('getApprovalView'));
  if (view) render(view);
}

replace(app(), el('p', { className: 'secondary' }, t('common.loading')), el('div', { id: 'status', className: 'status' }));
call('getApprovalView').then(render, (e) => replace(app(), el('p', { className: 'error', 'data-testid': 'status' }, errorText(e))));
