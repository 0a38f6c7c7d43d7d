// Import page: drag-and-drop upload, URL and pasted JSON imports; job progress and errors.
import { api, csrfToken, ApiError, pollJob, flash, el } from './api.js';

const root = document.getElementById('import');
const projectId = root.dataset.project;
const input = document.getElementById('file-input');
const zone = document.getElementById('dropzone');
const list = document.getElementById('file-list');
const submit = document.getElementById('upload-submit');
let files = [];

function setFiles(newFiles) {
  files = [...files, ...newFiles];
  list.replaceChildren(...files.map((f, i) => el('li', {},
    el('span', { text: f.name }), el('span', { class: 'muted small', text: ` ${formatSize(f.size)} ` }),
    el('button', { type: 'button', class: 'link small', 'aria-label': `Remove ${f.name}`, text: 'remove',
      onclick: () => { files.splice(i, 1); setFiles([]); } }))));
  submit.disabled = files.length === 0;
}
const formatSize = (n) => (n > 1e6 ? `${(n / 1e6).toFixed(1)} MB` : n > 1e3 ? `${(n / 1e3).toFixed(1)} kB` : `${n} B`);

zone.addEventListener('click', () => input.click());
zone.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); input.click(); } });
input.addEventListener('change', () => { setFiles([...input.files]); input.value = ''; });
for (const ev of ['dragenter', 'dragover']) zone.addEventListener(ev, (e) => { e.preventDefault(); zone.classList.add('over'); });
for (const ev of ['dragleave', 'drop']) zone.addEventListener(ev, (e) => { e.preventDefault(); zone.classList.remove('over'); });
zone.addEventListener('drop', (e) => setFiles([...e.dataTransfer.files]));

async function startImport(body, isJson) {
  const headers = { 'X-CSRFToken': csrfToken(), Accept: 'application/json' };
  if (isJson) headers['Content-Type'] = 'application/json';
  // the one import option the page offers: the server's error hint names it (commit_mode=skip_bad_rows)
  const query = new URLSearchParams();
  if (document.getElementById('skip-bad-rows')?.checked) query.set('commit_mode', 'skip_bad_rows');
  if (document.getElementById('csv-as-tasks')?.checked) query.set('files_as_tasks_list', 'true'); // else: one series per CSV
  const mode = query.size ? `?${query}` : '';
  const res = await fetch(`/api/projects/${projectId}/import${mode}`, { method: 'POST', body: isJson ? JSON.stringify(body) : body, headers, credentials: 'same-origin' });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(res.status, data);
  const jobId = data.import ?? data.id;
  await followJob(jobId);
  loadHistory();
}

async function followJob(jobId) {
  const card = document.getElementById('import-job');
  card.hidden = false;
  document.getElementById('job-id').textContent = `#${jobId}`;
  const job = await pollJob(jobId, (job) => {
    const { done = 0, total = 0 } = job.progress || {};
    const status = document.getElementById('job-status');
    status.textContent = job.status;
    status.className = `badge status-${job.status}`;
    const bar = document.getElementById('job-bar');
    bar.style.width = `${total ? Math.round((100 * done) / total) : job.status === 'succeeded' ? 100 : 0}%`;
    // a failed or cancelled import is red, never a full green bar
    bar.classList.toggle('failed', job.status === 'failed' || job.status === 'cancelled');
    document.getElementById('job-progress').textContent = total ? `${formatSize(done)} of ${formatSize(total)} read` : job.status === 'running' ? 'reading…' : '';
  });
  const result = document.getElementById('job-result');
  if (job.status === 'succeeded') {
    const r = job.result || {};
    const n = r.task_count ?? r.tasks ?? r.created ?? r.imported;
    result.className = 'ok';
    result.replaceChildren(el('span', { text: n !== undefined ? `Imported ${n} task(s). ` : 'Import finished. ' }),
      el('a', { href: `/projects/${projectId}/`, text: 'Open the data manager' }));
  } else {
    result.className = 'error';
    result.textContent = job.error || `Import ${job.status}.`;
  }
  const errors = job.errors || [];
  document.getElementById('job-errors').replaceChildren(...errors.slice(0, 100).map((e) =>
    el('div', { class: 'error-item' },
      el('code', { text: [e.file, e.row != null ? `row ${e.row}` : null, e.key].filter(Boolean).join(' · ') || 'error' }),
      ' ', typeof e === 'string' ? e : e.message || e.detail || JSON.stringify(e))));
  return job;
}

function guard(fn) {
  return async (e) => {
    e.preventDefault();
    const button = e.target.querySelector('button[type=submit]');
    if (button) button.disabled = true;
    flash('');
    try { await fn(e); } catch (err) { flash(`Import failed: ${err.message}`, 'error'); } finally { if (button) button.disabled = e.target.id === 'upload-form' && !files.length; }
  };
}

document.getElementById('upload-form').addEventListener('submit', guard(async () => {
  const form = new FormData();
  for (const f of files) form.append('file', f, f.name);
  await startImport(form, false);
  files = []; setFiles([]);
}));
document.getElementById('url-form').addEventListener('submit', guard(async () => {
  await startImport({ url: document.getElementById('import-url').value }, true);
}));
document.getElementById('paste-form').addEventListener('submit', guard(async () => {
  const text = document.getElementById('import-json').value;
  try { JSON.parse(text); } catch (err) { throw new Error(`that is not valid JSON (${err.message})`); }
  // sent as a file, so pasted tasks get the same streaming parser, limits and row errors as uploads
  const form = new FormData();
  form.append('file', new File([text], 'pasted.json', { type: 'application/json' }));
  await startImport(form, false);
}));

async function loadHistory() {
  const rows = document.getElementById('history-rows');
  try {
    const page = await api('/api/jobs/', { query: { project: projectId, kind: 'import', page_size: 10 } });
    const jobs = page.results || page;
    rows.replaceChildren(...(jobs.length ? jobs.map((j) => el('tr', {},
      el('td', { text: `#${j.id}` }), el('td', {}, el('span', { class: `badge status-${j.job_status || j.status}`, text: j.job_status || j.status })),
      el('td', { text: j.progress ? `${formatSize(j.progress.done)} of ${formatSize(j.progress.total)}` : '' }),
      el('td', { class: j.error ? 'error small' : 'small', text: j.error || summary(j.result) }),
      el('td', { text: j.created_by || '' }), el('td', { class: 'muted small', text: new Date(j.created_at).toLocaleString() })))
      : [el('tr', {}, el('td', { colspan: 6, class: 'muted', text: 'No imports yet.' }))]));
  } catch (err) {
    rows.replaceChildren(el('tr', {}, el('td', { colspan: 6, class: 'error', text: err.message })));
  }
}
const summary = (r) => (r ? Object.entries(r).filter(([, v]) => typeof v !== 'object').map(([k, v]) => `${k.replace(/_/g, ' ')}: ${v}`).join(', ') : '');
loadHistory();
