// Review queue: completions waiting for review; accept or reject (with a comment), or open the compare view.
import { api, pageData, flash, el } from './api.js';
import { describe, r1 } from './results.js';

const page = pageData('page-data');
const projectId = page.project.id;
const staff = page.role === 'manager' || page.role === 'reviewer';
const rows = document.getElementById('review-rows');
const statusSel = document.getElementById('review-status');
const more = document.getElementById('review-more');
let nextUrl = null;
let cursor = -1;

function row(c) {
  const lines = (c.result || []).flatMap(describe);
  const state = c.review_status || 'pending';
  return el('tr', { 'data-completion': c.id, tabindex: '-1' },
    el('td', { text: `#${c.id}` }),
    el('td', {}, el('a', { href: `/projects/${projectId}/tasks/${c.task}/compare/`, text: `Task #${c.task}`, 'data-open': '' })),
    el('td', { text: page.members?.[c.completed_by] || `user ${c.completed_by}` }),
    el('td', { class: 'result-summary' }, lines.length ? el('ul', {}, lines.slice(0, 6).map((l) => el('li', { text: l })), lines.length > 6 ? el('li', { class: 'muted', text: `… ${lines.length - 6} more` }) : null) : el('span', { class: 'muted', text: c.was_cancelled ? 'skipped' : 'empty' })),
    el('td', { class: 'num', text: c.lead_time != null ? `${r1(c.lead_time)} s` : '' }),
    el('td', {}, el('span', { class: `badge review-${state}`, text: state }), c.review_comment ? el('div', { class: 'small muted', text: c.review_comment }) : null),
    el('td', { class: 'actions' }, staff ? [
      el('a', { class: 'button small', href: `/projects/${projectId}/label/?task=${c.task}&review=${c.id}`, 'data-label': '', text: 'Open', title: 'Open in the labeling view to correct it' }), ' ',
      el('button', { type: 'button', class: 'small primary', 'data-review': 'accept', text: 'Accept', onclick: () => review(c, 'accept') }), ' ',
      el('button', { type: 'button', class: 'small danger', 'data-review': 'reject', text: 'Reject', onclick: () => review(c, 'reject') }),
    ] : el('a', { class: 'button small', href: `/projects/${projectId}/label/?task=${c.task}`, 'data-label': '', text: 'Fix', title: 'Open it in the labeling view with the comment' })));
}

async function load(reset = true) {
  const url = reset ? `/api/projects/${projectId}/review-queue` : nextUrl;
  try {
    const body = await api(url, { query: reset ? { status: statusSel.value || undefined, page_size: 50 } : undefined });
    const items = Array.isArray(body) ? body : body.results || [];
    nextUrl = Array.isArray(body) ? null : body.next;
    more.hidden = !nextUrl;
    const made = items.map(row);
    if (reset) rows.replaceChildren(...(made.length ? made : [el('tr', {}, el('td', { colspan: 7, class: 'empty', text: statusSel.value ? 'Nothing here.' : 'Nothing waiting for review. 🎉' }))]));
    else rows.append(...made);
    cursor = -1;
  } catch (err) {
    rows.replaceChildren(el('tr', {}, el('td', { colspan: 7, class: 'error', text: err.message })));
  }
}

async function review(c, action) {
  let comment = '';
  if (action === 'reject') {
    comment = prompt('Why is it rejected? (the annotator sees this)', '');
    if (comment === null) return;
  }
  try {
    const updated = await api(`/api/annotations/${c.id}/review`, { method: 'POST', json: { action, comment, version: c.version } });
    const tr = rows.querySelector(`tr[data-completion="${c.id}"]`);
    if (statusSel.value === '') tr?.remove(); else tr?.replaceWith(row(updated));
    flash(`Completion #${c.id} ${action === 'accept' ? 'accepted' : 'rejected'}.`, 'ok');
  } catch (err) {
    flash(`Could not review #${c.id}: ${err.message}`, 'error');
  }
}

function focusRow(i) {
  const list = [...rows.querySelectorAll('tr[data-completion]')];
  if (!list.length) return;
  cursor = Math.max(0, Math.min(list.length - 1, i));
  list.forEach((r, j) => r.classList.toggle('cursor', j === cursor));
  list[cursor].focus();
}
document.addEventListener('keydown', (e) => {
  if (e.target.closest('input, select, textarea') || e.metaKey || e.ctrlKey || e.altKey) return;
  const current = rows.querySelectorAll('tr[data-completion]')[cursor];
  if (e.key === 'j') focusRow(cursor + 1);
  else if (e.key === 'k') focusRow(cursor - 1);
  else if (e.key === 'a' && current) current.querySelector('[data-review="accept"]')?.click();
  else if (e.key === 'r' && current) current.querySelector('[data-review="reject"]')?.click();
  else if (e.key === 'Enter' && current) current.querySelector('[data-open]')?.click();
});
statusSel.addEventListener('change', () => load(true));
more.addEventListener('click', () => load(false));
load(true);
