// Models page: the project's ML backends; connect, check, pre-label, train, remove.
import { api, pollJob, flash, el } from './api.js';

const table = document.getElementById('backends');
const projectId = table.dataset.project;
const manager = table.dataset.manager === '1';
const STATES = { CO: 'connected', DI: 'disconnected', ER: 'error', TR: 'training', PR: 'predicting' };

async function load() {
  const rows = document.getElementById('backend-rows');
  try {
    const page = await api('/api/ml/', { query: { project: projectId } });
    const items = Array.isArray(page) ? page : page.results || [];
    rows.replaceChildren(...(items.length ? items.map((b) => el('tr', { 'data-backend': b.id },
      el('td', { text: b.title }), el('td', { class: 'small' }, el('code', { text: b.url })),
      el('td', {}, el('span', { class: `badge ${b.state === 'CO' ? 'review-accepted' : b.state === 'ER' ? 'review-rejected' : ''}`, text: STATES[b.state] || b.state }),
        b.error_message ? el('div', { class: 'small error', text: b.error_message }) : null),
      el('td', { text: b.model_version || '–' }),
      el('td', { class: 'actions' }, manager ? [
        el('button', { type: 'button', class: 'small', text: 'Check', onclick: () => act(b, 'health') }), ' ',
        el('button', { type: 'button', class: 'small', text: 'Pre-label tasks', onclick: () => act(b, 'predict') }), ' ',
        el('button', { type: 'button', class: 'small', text: 'Train', onclick: () => act(b, 'train') }), ' ',
        el('button', { type: 'button', class: 'small danger', text: 'Remove', onclick: () => remove(b) }),
      ] : null)))
      : [el('tr', {}, el('td', { colspan: 5, class: 'muted', text: 'No backends connected.' }))]));
  } catch (err) {
    rows.replaceChildren(el('tr', {}, el('td', { colspan: 5, class: 'error', text: err.message })));
  }
}

// what the health check found, in words: the state and, when not connected, the reason
const stateMessage = (b) => (b && b.state === 'CO' ? 'connected.'
  : `it is in state "${STATES[b?.state] || b?.state}": ${b?.error_message || 'no answer to /health'}`);

async function act(b, what) {
  try {
    const body = await api(`/api/ml/${b.id}/${what}`, { method: 'POST', json: {} });
    if (body && body.id && body.kind) await follow(body, what);
    else if (what === 'health') flash(`${b.title}: ${stateMessage(body)}`, body?.state === 'CO' ? 'ok' : 'error');
    else flash('Done.', 'ok');
  } catch (err) { flash(`${what} failed: ${err.message}`, 'error'); }
  load();
}

async function follow(job, what) {
  document.getElementById('ml-job').hidden = false;
  document.getElementById('ml-job-title').textContent = `${what === 'train' ? 'Training' : 'Pre-labeling'} job #${job.id}`;
  const done = await pollJob(job.id, (j) => {
    const { done: d = 0, total = 0 } = j.progress || {};
    document.getElementById('ml-job-status').textContent = j.status;
    document.getElementById('ml-job-status').className = `badge status-${j.status}`;
    document.getElementById('ml-job-bar').style.width = `${total ? Math.round((100 * d) / total) : 0}%`;
    document.getElementById('ml-job-text').textContent = total ? `${d} of ${total}` : '';
  });
  document.getElementById('ml-job-text').textContent = done.error || JSON.stringify(done.result || {});
}

async function remove(b) {
  if (!confirm(`Disconnect ${b.title}? Its predictions stay.`)) return;
  try { await api(`/api/ml/${b.id}/`, { method: 'DELETE' }); load(); } catch (err) { flash(err.message, 'error'); }
}

document.getElementById('backend-form')?.addEventListener('submit', async (e) => {
  e.preventDefault();
  const data = new FormData(e.target);
  try {
    const b = await api('/api/ml/', { method: 'POST', json: { project: +projectId, title: data.get('title'), url: data.get('url'), is_interactive: !!data.get('is_interactive') } });
    // the row is saved either way; say what the health check found instead of always "connected"
    if (b && b.state === 'CO') flash('Backend connected.', 'ok');
    else flash(`Backend added, but ${stateMessage(b)}`, 'error');
    e.target.reset();
  } catch (err) { flash(`Could not connect: ${err.message}`, 'error'); }
  load();
});
load();
