// Data manager: row selection, bulk actions through the REST API, keyboard navigation.
import { api, flash, pollJob } from './api.js';

const table = document.getElementById('tasks');
const projectId = table?.dataset.project;
const boxes = () => [...document.querySelectorAll('.select-task')];
const selected = () => boxes().filter((b) => b.checked).map((b) => +b.value);
const countEl = document.getElementById('selected-count');
const selectPage = document.getElementById('select-page');

function refreshSelection() {
  const ids = selected();
  countEl.textContent = ids.length;
  for (const b of document.querySelectorAll('[data-action]')) b.disabled = ids.length === 0;
  for (const b of boxes()) b.closest('tr').classList.toggle('selected', b.checked);
  if (selectPage) {
    selectPage.checked = ids.length > 0 && ids.length === boxes().length;
    selectPage.indeterminate = ids.length > 0 && ids.length < boxes().length;
  }
}
table?.addEventListener('change', (e) => { if (e.target.matches('.select-task')) refreshSelection(); });
selectPage?.addEventListener('change', () => { for (const b of boxes()) b.checked = selectPage.checked; refreshSelection(); });

async function eachTask(ids, fn) {
  const failures = [];
  for (const id of ids) {
    try { await fn(id); } catch (err) { failures.push(`#${id}: ${err.message}`); }
  }
  return failures;
}

const actions = {
  async delete(ids) {
    if (!confirm(`Delete ${ids.length} task(s) with their completions and predictions?`)) return;
    const failures = await eachTask(ids, (id) => api(`/api/tasks/${id}/`, { method: 'DELETE' }));
    done(failures, `Deleted ${ids.length - failures.length} task(s).`);
  },
  async export(ids) {
    location.href = `/projects/${projectId}/export/?ids=${ids.join(',')}`;
  },
  async predict(ids) {
    const page = await api('/api/ml/', { query: { project: projectId } });
    const backends = Array.isArray(page) ? page : page.results || [];
    if (!backends.length) { flash('This project has no ML backend: connect one on the Models tab.', 'error'); return; }
    flash(`Asking ${backends[0].title || 'the model'} for ${ids.length} task(s)…`);
    const job = await api(`/api/ml/${backends[0].id}/predict`, { method: 'POST', json: { task_ids: ids } });
    const done = job.id ? await pollJob(job.id, (j) => flash(`Pre-labeling: ${j.progress?.done ?? 0} / ${j.progress?.total ?? ids.length}`)) : job;
    if (done.status === 'failed') flash(`Pre-labeling failed: ${done.error}`, 'error');
    else { flash(`Predictions retrieved for ${ids.length} task(s).`, 'ok'); setTimeout(() => location.reload(), 600); }
  },
  async 'ground-truth'(ids) {
    const skipped = [];
    const failures = await eachTask(ids, async (id) => {
      const list = await api(`/api/tasks/${id}/annotations/`);
      const items = (Array.isArray(list) ? list : list.results || []).filter((c) => !c.was_cancelled);
      if (items.length !== 1) { skipped.push(id); return; }
      await api(`/api/annotations/${items[0].id}/ground-truth`, { method: 'POST', json: { value: true } });
    });
    const note = skipped.length ? ` ${skipped.length} task(s) have none or several completions: pick one in the compare view (${skipped.map((i) => '#' + i).join(', ')}).` : '';
    done(failures, `Marked ground truth on ${ids.length - skipped.length - failures.length} task(s).${note}`, !skipped.length);
  },
};

function done(failures, message, reload = true) {
  if (failures.length) flash(`${message} Failed: ${failures.join('; ')}`, 'error');
  else flash(message, 'ok');
  if (reload && !failures.length) setTimeout(() => location.reload(), 600);
}

for (const b of document.querySelectorAll('[data-action]')) {
  b.addEventListener('click', async () => {
    const ids = selected();
    if (!ids.length) return;
    b.disabled = true;
    try { await actions[b.dataset.action](ids); } finally { refreshSelection(); }
  });
}

// Keyboard: j/k move, x toggles selection, Enter opens, / focuses the text filter.
const rows = () => [...table.querySelectorAll('tbody tr[data-task]')];
let cursor = -1;
function focusRow(i) {
  const list = rows();
  if (!list.length) return;
  cursor = Math.max(0, Math.min(list.length - 1, i));
  list.forEach((r, j) => r.classList.toggle('cursor', j === cursor));
  list[cursor].focus({ preventScroll: false });
}
document.addEventListener('keydown', (e) => {
  if (e.target.closest('input, select, textarea') || e.metaKey || e.ctrlKey || e.altKey) return;
  if (e.key === 'j') focusRow(cursor + 1);
  else if (e.key === 'k') focusRow(cursor - 1);
  else if (e.key === 'x' && cursor >= 0) { const b = rows()[cursor].querySelector('.select-task'); b.checked = !b.checked; refreshSelection(); }
  else if (e.key === 'Enter' && cursor >= 0) rows()[cursor].querySelector('[data-open]')?.click();
  else if (e.key === '/') { e.preventDefault(); document.getElementById('filter-text')?.focus(); }
  else if (e.key === 'ArrowRight' && e.shiftKey) document.getElementById('next-page')?.click();
  else if (e.key === 'ArrowLeft' && e.shiftKey) document.getElementById('prev-page')?.click();
  else return;
});
refreshSelection();
