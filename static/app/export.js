// Export page: formats for this config, options, job progress, download, history and schedules.
import { api, pageData, flash, el } from './api.js';

const form = document.getElementById('export-form');
const projectId = form.dataset.project;
const base = `/api/projects/${projectId}`;
const selectedIds = pageData('selected-ids') || [];
const FINAL = ['completed', 'failed'];

async function loadFormats() {
  const list = document.getElementById('formats');
  try {
    const formats = await api(`${base}/export/formats`);
    let checked = false;
    list.replaceChildren(...formats.map((f) => {
      const on = !f.disabled && !checked;
      if (on) checked = true;
      return el('li', {}, el('label', { class: f.disabled ? 'disabled' : '', title: f.reason || '' },
        el('input', { type: 'radio', name: 'format', value: f.name, disabled: f.disabled, checked: on }),
        el('span', {}, el('span', { class: 'fname', text: f.title || f.name }), ' ',
          el('span', { class: 'muted small', text: f.disabled ? `— ${f.reason || 'not for this config'}` : f.description || '' }))));
    }));
  } catch (err) {
    list.replaceChildren(el('li', { class: 'error', text: `Could not load formats: ${err.message}` }));
  }
}

function options() {
  const data = new FormData(form);
  const opts = {};
  for (const name of ['only_ground_truth', 'only_accepted', 'only_completed', 'include_images', 'archive']) {
    if (data.get(name)) opts[name] = true;
  }
  opts.include_cancelled = !!data.get('include_cancelled');
  opts.include_predictions = !!data.get('include_predictions');
  if (data.get('one_per_task')) opts.one_per_task = data.get('one_per_task');
  if (selectedIds.length && data.get('selection')) opts.task_ids = selectedIds;
  return opts;
}
const selectedFormat = () => new FormData(form).get('format');

async function follow(exportJob) {
  const card = document.getElementById('export-job');
  card.hidden = false;
  document.getElementById('export-id').textContent = `#${exportJob.id}`;
  let job = exportJob;
  for (;;) {
    const { done = 0, total = 0 } = job.progress || {};
    const status = document.getElementById('export-status');
    status.textContent = job.state || job.job_status || job.status;
    status.className = `badge status-${job.completed_with_warnings ? 'warnings' : job.job_status || job.status}`;
    document.getElementById('export-bar').style.width = `${total ? Math.round((100 * done) / total) : job.status === 'completed' ? 100 : 5}%`;
    document.getElementById('export-progress').textContent = total ? `${done} of ${total} tasks` : '';
    if (FINAL.includes(job.status)) break;
    await new Promise((r) => setTimeout(r, 500));
    job = await api(`${base}/exports/${job.id}`);
  }
  const link = document.getElementById('export-download');
  if (job.download_url) {
    link.href = job.download_url;
    link.hidden = false;
    link.textContent = `Download ${job.file_name || ''}`.trim();
  }
  const c = job.counters || {};
  document.getElementById('export-summary').textContent = job.status === 'completed'
    ? `${c.task_number ?? 0} tasks, ${c.annotation_number ?? 0} completions, ${c.prediction_number ?? 0} predictions` : '';
  const more = (job.warning_count || 0) - (job.warnings || []).length;
  document.getElementById('export-errors').replaceChildren(...[job.error, ...(job.warnings || [])].filter(Boolean).map((w) =>
    el('div', { class: 'error-item', text: typeof w === 'string' ? w : `${w.task != null ? `Task #${w.task}: ` : ''}${w.message || JSON.stringify(w)}` })),
  ...(more > 0 ? [el('div', { class: 'muted small', text: `… and ${more} more warnings` })] : []));
  loadHistory();
}

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  const button = document.getElementById('export-submit');
  button.disabled = true;
  flash('');
  try {
    const job = await api(`${base}/exports/`, { method: 'POST', json: { exportType: selectedFormat(), options: options() } });
    await follow(job);
  } catch (err) {
    flash(`Export failed: ${err.message}`, 'error');
  } finally { button.disabled = false; }
});

async function loadHistory() {
  const rows = document.getElementById('export-rows');
  try {
    const jobs = (await api(`${base}/exports/`)).slice(0, 15);
    rows.replaceChildren(...(jobs.length ? jobs.map((j) => el('tr', { 'data-export': j.id },
      el('td', { text: j.title || `#${j.id}` }), el('td', { text: j.exportType || j.format }),
      el('td', {}, el('span', { class: `badge status-${j.completed_with_warnings ? 'warnings' : j.job_status}`, text: j.state || j.job_status, title: j.warning_count ? `${j.warning_count} warnings` : null })),
      el('td', { class: 'num', text: j.counters?.task_number ?? '' }), el('td', { class: 'num', text: j.counters?.annotation_number ?? '' }),
      el('td', { text: j.created_by?.username || '' }), el('td', { class: 'muted small', text: new Date(j.created_at).toLocaleString() }),
      el('td', { class: 'actions' }, j.download_url ? el('a', { class: 'button small', href: j.download_url, text: 'Download' }) : j.error ? el('span', { class: 'error small', text: j.error }) : null)))
      : [el('tr', {}, el('td', { colspan: 8, class: 'muted', text: 'No exports yet.' }))]));
  } catch (err) {
    rows.replaceChildren(el('tr', {}, el('td', { colspan: 8, class: 'error', text: err.message })));
  }
}

async function loadSchedules() {
  const rows = document.getElementById('schedule-rows');
  try {
    const list = await api(`${base}/export-schedules/`);
    const items = Array.isArray(list) ? list : list.results || [];
    rows.replaceChildren(...(items.length ? items.map((s) => el('tr', { 'data-schedule': s.id },
      el('td', { text: s.title || `#${s.id}` }), el('td', { text: s.format }),
      el('td', { text: s.cron ? `cron ${s.cron}` : s.interval_hours ? `every ${s.interval_hours} h` : '' }),
      el('td', { class: 'small', text: s.target === 's3' ? `s3://${s.s3_bucket}/${s.s3_prefix}` : s.local_path || 'local' }),
      el('td', { class: 'small muted', text: s.next_run_at ? new Date(Array.isArray(s.next_run_at) ? s.next_run_at[0] : s.next_run_at).toLocaleString() : (s.enabled ? '' : 'disabled') }),
      el('td', { class: 'small' }, s.last_job ? el('span', { class: `badge status-${s.last_job.job_status}`, text: s.last_job.job_status }) : el('span', { class: 'muted', text: 'never' })),
      el('td', { class: 'actions' },
        el('button', { type: 'button', class: 'small', text: 'Run now', onclick: () => runSchedule(s) }), ' ',
        el('button', { type: 'button', class: 'small danger', text: 'Delete', onclick: () => deleteSchedule(s) }))))
      : [el('tr', {}, el('td', { colspan: 7, class: 'muted', text: 'No schedules.' }))]));
  } catch (err) {
    rows.replaceChildren(el('tr', {}, el('td', { colspan: 7, class: 'error', text: err.message })));
  }
}

async function runSchedule(s) {
  try { await follow(await api(`${base}/export-schedules/${s.id}/run`, { method: 'POST' })); loadSchedules(); } catch (err) { flash(`Could not run: ${err.message}`, 'error'); }
}
async function deleteSchedule(s) {
  if (!confirm(`Delete the schedule "${s.title || s.id}"? Its exports stay.`)) return;
  try { await api(`${base}/export-schedules/${s.id}/`, { method: 'DELETE' }); loadSchedules(); } catch (err) { flash(`Could not delete: ${err.message}`, 'error'); }
}

document.getElementById('schedule-form')?.addEventListener('submit', async (e) => {
  e.preventDefault();
  const data = new FormData(e.target);
  const body = { title: data.get('title'), format: selectedFormat() || 'JSON', options: options(), only_changed: !!data.get('only_changed'), target: 'local' };
  if (data.get('interval_hours')) body.interval_hours = Number(data.get('interval_hours'));
  if (data.get('cron')) body.cron = data.get('cron');
  if (data.get('local_path')) body.local_path = data.get('local_path');
  // errors are shown AT the form (and on the field they name), not in the page-top flash
  const box = document.getElementById('schedule-error');
  for (const input of e.target.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
  box.hidden = true;
  try {
    await api(`${base}/export-schedules/`, { method: 'POST', json: body });
    e.target.reset();
    flash('Schedule added.', 'ok');
    loadSchedules();
  } catch (err) {
    box.textContent = `Could not add the schedule: ${err.message}`;
    box.hidden = false;
    const b = err.body && typeof err.body === 'object' ? err.body : {};
    const fields = [b.field, ...Object.keys(b)].filter((k) => k && k !== 'detail');
    const input = fields.map((k) => e.target.elements.namedItem(k)).find(Boolean);
    if (input) { input.setAttribute('aria-invalid', 'true'); input.focus(); }
  }
});

loadFormats();
loadHistory();
loadSchedules();
