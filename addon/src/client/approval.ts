/**
 * Grade approval sidebar. It only asks: the server decides from the active user's e-mail what may
 * be approved, re-checks every request and answers per row.
 *
 * The server sends the whole view once (every unapproved row of the user's courses with its real
 * status, plus the approved rows they may revoke); filters, search and paging run here over that
 * list, and only the current page is in the DOM. What the user typed (points, reasons, comments)
 * lives in maps by row key, so a re-render after an answer never puts back a value they replaced.
 */
import { COMMENT_MAX, type ActionResult, type ApprovalView, type ApproveItem } from '../api';
import {
  applyFilter,
  emptyFilter,
  FLAG_LABEL,
  indexRows,
  letterFor,
  options,
  pageOf,
  STATUS_LABEL,
  type Indexed,
} from './approval-model';
import { app, busy, call, el, replace, safeLink, startSidebar, status, t, userLine } from './common';

const PAGE_SIZE = 50;

let view: ApprovalView | null = null;
let indexed: Indexed[] = [];
const filter = emptyFilter();
let page = 0;
const selected = new Set<string>();
const typedPoints = new Map<string, string>();
const typedReason = new Map<string, string>();
const typedComment = new Map<string, string>();
/** The items a bulk approve would send, while the confirm panel is open. */
let pendingBulk: ApproveItem[] | null = null;

const byId = <T extends HTMLElement = HTMLElement>(id: string): T | null => document.getElementById(id) as T | null;

function pointsText(r: Indexed): string {
  const typed = typedPoints.get(r.key);
  if (typed !== undefined) return typed;
  const value = r.row.points ?? r.row.defaultPoints;
  return value === null ? '' : String(value);
}

function badge(r: Indexed): HTMLElement {
  return el(
    'span',
    { className: `badge ${r.kind}`, 'data-testid': 'badge', 'data-kind': r.kind },
    t(STATUS_LABEL[r.kind]),
  );
}

function why(r: Indexed): HTMLElement | null {
  if (!r.row.flags.length || r.kind === 'ready' || r.kind === 'approved') return null;
  const reasons = r.row.flags.map((f) => (FLAG_LABEL[f] ? t(FLAG_LABEL[f]) : f)).join('; ');
  return el('div', { className: 'why', 'data-testid': 'why' }, t('appr.why', { reasons }));
}

function letterText(text: string): string {
  return letterFor(view?.scale ?? [], text) ?? '—';
}

function commentBox(r: Indexed): HTMLElement {
  const area = el('textarea', {
    className: 'wide',
    'data-testid': 'comment',
    maxlength: COMMENT_MAX,
    rows: 2,
    'aria-label': t('appr.comment'),
    value: typedComment.get(r.key) ?? r.row.mentorComment,
  });
  area.addEventListener('input', () => typedComment.set(r.key, area.value));
  return el(
    'details',
    { className: 'comment-box', 'data-testid': 'comment-box', open: typedComment.has(r.key) },
    el('summary', {}, t('appr.comment')),
    area,
    el(
      'button',
      { 'data-testid': 'save-comment', onclick: () => void saveComment(r, area.value) },
      t('appr.saveComment'),
    ),
  );
}

function card(r: Indexed, isAdmin: boolean): HTMLElement {
  const row = r.row;
  const parts: (Node | null)[] = [];
  if (r.kind === 'approved') {
    const reason = el('input', {
      className: 'wide',
      'data-testid': 'reason',
      placeholder: t('appr.reason'),
      value: typedReason.get(r.key) ?? '',
    });
    reason.addEventListener('input', () => typedReason.set(r.key, reason.value));
    parts.push(
      el(
        'div',
        { className: 'success', 'data-testid': 'approved' },
        t('appr.approvedBy', {
          who: row.approvedBy,
          when: row.approvedAt,
          points: row.points ?? '',
          letter: row.letter,
        }),
      ),
      reason,
      el(
        'button',
        { className: 'share', 'data-testid': 'revoke', onclick: () => void revoke(r, reason.value) },
        t('appr.revoke'),
      ),
    );
  } else {
    const canApprove = row.ready || isAdmin;
    if (canApprove) {
      const letter = el(
        'span',
        { className: 'letter', 'data-testid': 'letter', title: t('appr.letter'), 'aria-label': t('appr.letter') },
        letterText(pointsText(r)),
      );
      const points = el('input', {
        type: 'number',
        min: 0,
        max: 100,
        step: 1,
        className: 'points',
        'data-testid': 'points',
        'aria-label': t('appr.points'),
        value: pointsText(r),
        oninput: (ev: Event) => {
          const value = (ev.target as HTMLInputElement).value;
          typedPoints.set(r.key, value);
          letter.textContent = letterText(value);
          (ev.target as HTMLInputElement).classList.remove('invalid');
        },
      });
      const check = row.ready
        ? el(
            'label',
            {},
            el('input', {
              type: 'checkbox',
              'data-testid': 'select',
              checked: selected.has(r.key),
              onchange: (ev: Event) => {
                if ((ev.target as HTMLInputElement).checked) selected.add(r.key);
                else selected.delete(r.key);
                updateBulk();
              },
            }),
            ' ',
            t('appr.select'),
          )
        : null;
      const reason = row.ready
        ? null
        : el('input', {
            className: 'wide',
            'data-testid': 'reason',
            placeholder: t('appr.overrideReason'),
            value: typedReason.get(r.key) ?? '',
          });
      reason?.addEventListener('input', () => typedReason.set(r.key, reason.value));
      parts.push(
        reason,
        el(
          'div',
          { className: 'row' },
          check,
          el('label', {}, t('appr.points'), ' ', points),
          letter,
          el(
            'button',
            { className: 'action', 'data-testid': 'approve', onclick: () => approveOne(r, points, reason) },
            t('appr.approve'),
          ),
        ),
      );
    }
    parts.push(commentBox(r));
  }
  return el(
    'div',
    {
      className: `card ${r.kind}`,
      'data-testid': 'row',
      'data-email': row.email,
      'data-slug': row.slug,
      'data-kind': r.kind,
    },
    el(
      'div',
      { className: 'head' },
      el('span', { className: 'name', 'data-testid': 'name' }, row.fullName || row.email),
      ' ',
      badge(r),
    ),
    el('div', { className: 'secondary' }, row.email),
    el(
      'div',
      { className: 'secondary' },
      row.course || row.slug,
      row.group ? ' · ' : '',
      row.group ? t('appr.group', { group: row.group }) : '',
    ),
    why(r),
    row.mentorComment
      ? el('div', { className: 'comment-text', 'data-testid': 'comment-text' }, row.mentorComment)
      : null,
    el(
      'div',
      { className: 'secondary' },
      row.engagement === null ? '' : t('appr.engagement', { value: row.engagement }),
      row.engagement === null ? '' : ' · ',
      row.certificateUrl
        ? safeLink(row.certificateUrl, t('appr.certificate'))
        : row.certificate
          ? t('appr.certificate')
          : t('appr.noCertificate'),
    ),
    row.completedAt ? el('div', { className: 'secondary' }, t('appr.completedAt', { date: row.completedAt })) : null,
    ...parts,
  );
}

function select(
  testid: string,
  allLabel: string,
  value: string,
  opts: { value: string; label: string; n: number }[],
  onPick: (v: string) => void,
): HTMLSelectElement {
  const s = el(
    'select',
    {
      'data-testid': testid,
      'aria-label': allLabel,
      onchange: (ev: Event) => onPick((ev.target as HTMLSelectElement).value),
    },
    el('option', { value: '' }, allLabel),
    ...opts.map((o) => el('option', { value: o.value }, t('appr.option', { label: o.label, n: o.n }))),
  );
  s.value = opts.some((o) => o.value === value) ? value : '';
  return s;
}

function filters(): HTMLElement {
  const search = el('input', {
    type: 'search',
    className: 'wide',
    'data-testid': 'search',
    placeholder: t('appr.search'),
    'aria-label': t('appr.search'),
    value: filter.query,
  });
  search.addEventListener('input', () => {
    filter.query = search.value;
    page = 0;
    updateList();
  });
  const pick = (key: 'course' | 'group' | 'status') => (value: string) => {
    filter[key] = value;
    page = 0;
    updateList();
  };
  const courses = options(
    indexed,
    (r) => r.row.slug,
    (r) => r.row.course,
  );
  const groups = options(indexed, (r) => r.row.group).sort((a, b) => a.value.localeCompare(b.value));
  const statuses = options(
    indexed,
    (r) => r.kind,
    (r) => t(STATUS_LABEL[r.kind]),
  );
  return el(
    'div',
    { className: 'filters block', role: 'search', 'aria-label': t('appr.filters') },
    search,
    select('filter-course', t('appr.allCourses'), filter.course, courses, pick('course')),
    select('filter-group', t('appr.allGroups'), filter.group, groups, pick('group')),
    select('filter-status', t('appr.allStatuses'), filter.status, statuses, pick('status')),
  );
}

function pager(id: string): HTMLElement {
  return el(
    'div',
    { className: 'pager', id },
    el('button', { 'data-testid': 'prev', 'data-pager': id, onclick: () => turn(-1) }, t('appr.prev')),
    el('span', { className: 'page-text', 'data-testid': 'page' }),
    el('button', { 'data-testid': 'next', 'data-pager': id, onclick: () => turn(1) }, t('appr.next')),
  );
}

function turn(delta: number): void {
  page += delta;
  updateList();
  byId('pager-top')?.scrollIntoView({ block: 'nearest' });
}

function filtered(): Indexed[] {
  return applyFilter(indexed, filter);
}

/** The list, pager and counts for the current filter and page (the controls above stay as they are). */
function updateList(): void {
  const list = byId('rows');
  if (!list || !view) return;
  const rows = filtered();
  const p = pageOf(rows.length, page, PAGE_SIZE);
  page = p.page;
  list.textContent = '';
  if (!view.rows.length) list.appendChild(el('p', { className: 'secondary', 'data-testid': 'empty' }, t('appr.empty')));
  else if (!rows.length)
    list.appendChild(el('p', { className: 'secondary', 'data-testid': 'no-match' }, t('appr.noMatch')));
  const isAdmin = view.isAdmin;
  const frag = document.createDocumentFragment();
  for (const r of rows.slice(p.from ? p.from - 1 : 0, p.to)) frag.appendChild(card(r, isAdmin));
  list.appendChild(frag);
  for (const id of ['pager-top', 'pager-bottom']) {
    const bar = byId(id);
    if (!bar) continue;
    bar.hidden = rows.length <= PAGE_SIZE && id === 'pager-bottom';
    bar.querySelector('[data-testid=page]')!.textContent = t('appr.page', { from: p.from, to: p.to, total: p.total });
    (bar.querySelector('[data-testid=prev]') as HTMLButtonElement).disabled = p.page === 0;
    (bar.querySelector('[data-testid=next]') as HTMLButtonElement).disabled = p.page >= p.pages - 1;
  }
  updateBulk(rows);
}

function readyIn(rows: readonly Indexed[]): Indexed[] {
  return rows.filter((r) => r.kind === 'ready');
}

function updateBulk(rows: readonly Indexed[] = filtered()): void {
  const bulk = byId<HTMLButtonElement>('bulk');
  if (bulk) {
    bulk.textContent = t('appr.approveSelected', { n: selected.size });
    bulk.disabled = selected.size === 0 || pendingBulk !== null;
  }
  const all = byId<HTMLButtonElement>('select-all');
  if (all) {
    const n = readyIn(rows).length;
    all.textContent = t('appr.selectAll', { n });
    all.disabled = n === 0;
  }
  const clear = byId<HTMLButtonElement>('clear');
  if (clear) clear.disabled = selected.size === 0;
}

function render(v: ApprovalView): void {
  view = v;
  indexed = indexRows(v.rows);
  const present = new Set(indexed.filter((r) => r.kind === 'ready').map((r) => r.key));
  for (const k of [...selected]) if (!present.has(k)) selected.delete(k);
  pendingBulk = null;
  replace(
    app(),
    userLine(v.user, v.isAdmin),
    el('p', { className: 'secondary' }, v.isAdmin ? t('appr.adminHint') : t('appr.mentorHint')),
    filters(),
    el(
      'div',
      { className: 'block row' },
      el(
        'button',
        { id: 'select-all', 'data-testid': 'select-all', onclick: selectAll },
        t('appr.selectAll', { n: 0 }),
      ),
      el(
        'button',
        { id: 'clear', 'data-testid': 'clear-selection', onclick: clearSelection },
        t('appr.clearSelection'),
      ),
      el(
        'button',
        { className: 'action', id: 'bulk', 'data-testid': 'approve-selected', onclick: askBulk },
        t('appr.approveSelected', { n: selected.size }),
      ),
      el('button', { 'data-testid': 'refresh', onclick: () => void load() }, t('common.refresh')),
    ),
    el('div', { id: 'confirm', className: 'confirm', 'data-testid': 'confirm', hidden: true, role: 'alertdialog' }),
    el('div', { id: 'status', className: 'status', 'data-testid': 'status' }),
    pager('pager-top'),
    el('div', { id: 'rows', 'data-testid': 'rows' }),
    pager('pager-bottom'),
  );
  updateList();
  // For addon/dev/bench-sidebar.ts: when the list first showed, in the page's clock.
  if (typeof performance !== 'undefined' && performance.mark) performance.mark('approval-rendered');
}

function selectAll(): void {
  for (const r of readyIn(filtered())) selected.add(r.key);
  updateList();
}

function clearSelection(): void {
  selected.clear();
  updateList();
}

function itemFor(r: Indexed, pointsValue: string, override: string | null): ApproveItem | null {
  const text = pointsValue.trim();
  if (text === '') return null;
  return { email: r.row.email, slug: r.row.slug, points: Number(text), override };
}

function approveOne(r: Indexed, input: HTMLInputElement, reason: HTMLInputElement | null): void {
  const item = itemFor(r, input.value, r.row.ready ? null : (reason?.value ?? ''));
  if (!item) {
    input.classList.add('invalid');
    input.focus();
    status('error', t('msg.pointsRequired'));
    return;
  }
  void approve([item]);
}

/** The bulk approve asks first, in the page, naming how many rows it will write. */
function askBulk(): void {
  const items: ApproveItem[] = [];
  const missing: string[] = [];
  for (const r of indexed) {
    if (!selected.has(r.key)) continue;
    const item = itemFor(r, pointsText(r), null);
    if (item) items.push(item);
    else missing.push(`${r.row.email} / ${r.row.slug}: ${t('msg.pointsRequired')}`);
  }
  if (missing.length) {
    status('error', missing.join('\n'));
    return;
  }
  if (!items.length) return;
  pendingBulk = items;
  status('ok', '');
  const panel = byId('confirm')!;
  replace(
    panel,
    el('p', { 'data-testid': 'confirm-text' }, t('appr.confirmBulk', { n: items.length })),
    el(
      'div',
      { className: 'row' },
      el(
        'button',
        { className: 'action', 'data-testid': 'confirm-yes', onclick: () => confirmBulk(true) },
        t('appr.confirmYes', { n: items.length }),
      ),
      el('button', { 'data-testid': 'confirm-no', onclick: () => confirmBulk(false) }, t('common.cancel')),
    ),
  );
  panel.hidden = false;
  updateBulk();
  (panel.querySelector('[data-testid=confirm-no]') as HTMLButtonElement).focus();
}

function confirmBulk(yes: boolean): void {
  const items = pendingBulk;
  pendingBulk = null;
  const panel = byId('confirm');
  if (panel) {
    panel.hidden = true;
    panel.textContent = '';
  }
  updateBulk();
  if (yes && items) void approve(items);
}

function report(result: ActionResult): void {
  render(result.view);
  const failed = result.results.filter((r) => !r.ok);
  const lines = result.results.map((r) => `${r.email} / ${r.slug}: ${r.message}`);
  status(failed.length ? 'error' : 'ok', lines.join('\n'));
}

function forget(key: string): void {
  selected.delete(key);
  typedPoints.delete(key);
  typedReason.delete(key);
}

async function approve(items: ApproveItem[]): Promise<void> {
  if (!items.length) return;
  const result = await busy(() => call('approveRows', items));
  if (result) {
    for (const r of result.results) if (r.ok) forget(`${r.email}\u0000${r.slug}`);
    report(result);
  }
}

async function revoke(r: Indexed, reason: string): Promise<void> {
  const result = await busy(() => call('revokeRow', { email: r.row.email, slug: r.row.slug, reason }));
  if (result) {
    if (result.results[0]?.ok) forget(r.key);
    report(result);
  }
}

async function saveComment(r: Indexed, text: string): Promise<void> {
  if (text.length > COMMENT_MAX) {
    status('error', t('msg.commentTooLong', { max: COMMENT_MAX }));
    return;
  }
  const result = await busy(() => call('saveComment', { email: r.row.email, slug: r.row.slug, text }));
  if (result) {
    if (result.results[0]?.ok) typedComment.delete(r.key);
    report(result);
  }
}

async function load(): Promise<void> {
  const v = await busy(() => call('getApprovalView'));
  if (v) render(v);
}

startSidebar(() => call('getApprovalView'), render);
