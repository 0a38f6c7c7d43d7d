// Compare view: a task's completions (and predictions) side by side, a table of what differs,
// and "mark as ground truth" for managers and reviewers.
import { api, pageData, flash, el } from './api.js';
import { mountLabeling } from './labeling.js';
import { describe, r1 } from './results.js';

const page = pageData('page-data');
const { project, task } = page;
const staff = page.role === 'manager' || page.role === 'reviewer';
const grid = document.getElementById('compare');
const asList = (body) => (Array.isArray(body) ? body : body?.results || []);
let columns = [];
let uis = [];

function render() {
  uis.forEach((ui) => ui?.destroy?.());
  uis = [];
  const showPred = document.getElementById('show-predictions').checked;
  const shown = columns.filter((c) => showPred || c.kind === 'completion');
  document.getElementById('compare-empty').hidden = shown.length > 0;
  grid.style.setProperty('--cols', Math.min(Math.max(shown.length, 1), 3));
  grid.replaceChildren(...shown.map((col) => {
    const body = el('div', { class: 'compare-body' });
    const head = el('div', { class: 'compare-head' },
      el('div', { class: 'who' },
        el('strong', { text: col.title }),
        col.gt ? el('span', { class: 'badge gt', text: 'ground truth' }) : null,
        col.cancelled ? el('span', { class: 'badge review-pending', text: 'skipped' }) : null,
        col.review ? el('span', { class: `badge review-${col.review}`, text: col.review }) : null),
      el('div', { class: 'meta muted small', text: col.meta }),
      staff && col.kind === 'completion' && !col.gt && !col.cancelled
        ? el('button', { type: 'button', class: 'small primary mark-gt', 'data-completion': col.id, text: 'Mark as ground truth', onclick: () => markGroundTruth(col) })
        : null);
    const card = el('section', { class: `compare-col ${col.kind}${col.gt ? ' is-gt' : ''}`, 'data-completion': col.kind === 'completion' ? col.id : null, 'data-prediction': col.kind === 'prediction' ? col.id : null }, head, body);
    mountLabeling(body, { config: project.label_config, task, completions: [{ id: col.id, result: col.result }], readOnly: true }).then((ui) => uis.push(ui));
    return card;
  }));
  renderDiff(shown);
}

function renderDiff(shown) {
  const table = document.getElementById('diff-table');
  const onlyDiff = document.getElementById('only-diff').checked;
  const sets = shown.map((c) => new Set(c.result.flatMap(describe)));
  const keys = [...new Set(sets.flatMap((s) => [...s]))].sort();
  const counted = shown.filter((c) => !c.cancelled);
  let differing = 0;
  const rows = keys.map((key) => {
    const inAll = shown.every((c, i) => c.cancelled || sets[i].has(key));
    if (!inAll) differing++;
    if (onlyDiff && inAll) return null;
    return el('tr', { class: inAll ? 'same' : 'diff' }, el('td', { class: 'key', text: key }),
      ...shown.map((c, i) => el('td', { class: 'mark', text: sets[i].has(key) ? '✓' : '–', title: sets[i].has(key) ? `${c.title} has this` : `${c.title} does not` })));
  }).filter(Boolean);
  table.tHead.replaceChildren(el('tr', {}, el('th', { text: 'Result' }), ...shown.map((c) => el('th', { text: c.title }))));
  table.tBodies[0].replaceChildren(...(rows.length ? rows : [el('tr', {}, el('td', { colspan: shown.length + 1, class: 'muted', text: keys.length ? 'All shown answers agree.' : 'Nothing to compare yet.' }))]));
  document.getElementById('agreement-summary').textContent = counted.length > 1
    ? `${differing} of ${keys.length} answer${keys.length === 1 ? '' : 's'} differ between ${counted.length} columns` : '';
}

async function markGroundTruth(col) {
  try {
    await api(`/api/annotations/${col.id}/ground-truth`, { method: 'POST', json: { value: true } });
    for (const c of columns) c.gt = c.kind === 'completion' && c.id === col.id;
    flash(`${col.title}'s completion is now the ground truth of task #${task.id}.`, 'ok');
    render();
  } catch (err) {
    flash(`Could not mark ground truth: ${err.message}`, 'error');
  }
}

async function load() {
  const [completions, predictions] = await Promise.all([
    api(`/api/tasks/${task.id}/annotations/`).then(asList),
    api('/api/predictions/', { query: { task: task.id } }).then(asList).catch(() => []),
  ]);
  columns = [
    ...completions.map((c) => ({
      kind: 'completion', id: c.id, result: c.result || [], gt: !!c.ground_truth, cancelled: !!c.was_cancelled,
      review: c.review_status || '',
      title: page.members?.[c.completed_by] || (typeof c.completed_by === 'object' ? c.completed_by?.username : null) || `user ${c.completed_by}`,
      meta: [c.lead_time != null ? `${r1(c.lead_time)} s` : null, c.updated_at ? new Date(c.updated_at).toLocaleString() : null].filter(Boolean).join(' · '),
    })),
    ...predictions.map((p) => ({
      kind: 'prediction', id: p.id, result: p.result || [], title: `model ${p.model_version || p.id}`,
      meta: p.score != null ? `score ${r1(p.score)}` : '',
    })),
  ];
  render();
}

document.getElementById('show-predictions').addEventListener('change', render);
document.getElementById('only-diff').addEventListener('change', () => renderDiff(columns.filter((c) => document.getElementById('show-predictions').checked || c.kind === 'completion')));
load().catch((err) => flash(`Could not load completions: ${err.message}`, 'error'));
