// Label stream: "Label all tasks" walks from one next task to the next; submit, update, skip.
import { api, ApiError, pageData } from './api.js';
import { mountLabeling } from './labeling.js';

const page = pageData('page-data');
const project = page.project;
const me = page.user;
const area = document.getElementById('labeling');
const msg = document.getElementById('stream-message');
const doneEl = document.getElementById('stream-done');
const sessionKey = `ls-session-${project.id}`;
const session = JSON.parse(sessionStorage.getItem(sessionKey) || '{"submitted":0,"skipped":0,"history":[]}');
let single = page.task_id != null; // opened on one task (?task=)
let current = null; // {task, completion, predictions, ui}
let busy = false;

const asList = (body) => (Array.isArray(body) ? body : body?.results || body?.annotations || []);
const userId = (c) => (c.completed_by && typeof c.completed_by === 'object' ? c.completed_by.id : c.completed_by);

function say(text, kind = 'info') {
  msg.textContent = text;
  msg.className = `message ${kind}`;
  msg.hidden = !text;
}

function saveSession() {
  session.history = session.history.slice(-200);
  sessionStorage.setItem(sessionKey, JSON.stringify(session));
  document.getElementById('session-submitted').textContent = session.submitted;
  document.getElementById('session-skipped').textContent = session.skipped;
  document.getElementById('prev-task').disabled = !previousId();
}

function previousId() {
  const id = current?.task.id;
  const i = session.history.lastIndexOf(id);
  const before = i >= 0 ? session.history.slice(0, i) : session.history;
  return before.length ? before[before.length - 1] : null;
}

async function refreshProgress() {
  try {
    const p = await api(`/api/projects/${project.id}/`);
    const total = p.task_number || 0;
    const done = p.finished_task_number || 0;
    document.getElementById('project-progress').textContent = `${done} / ${total} labeled`;
    document.getElementById('project-bar').style.width = `${total ? Math.round((100 * done) / total) : 0}%`;
  } catch { /* progress is a nicety */ }
}

async function loadTask(taskOrId) {
  const task = typeof taskOrId === 'object' ? taskOrId : await api(`/api/tasks/${taskOrId}/`);
  const [completions, predictions] = await Promise.all([
    api(`/api/tasks/${task.id}/annotations/`).then(asList).catch(() => task.annotations || []),
    task.predictions ? Promise.resolve(task.predictions) : api('/api/predictions/', { query: { task: task.id } }).then(asList).catch(() => []),
  ]);
  const mine = completions.find((c) => userId(c) === me.id) || null;
  const drafts = task.drafts || (await api(`/api/tasks/${task.id}/drafts`).catch(() => []));
  show(task, mine, predictions, drafts[0] || null);
}

// Interactive pre-annotation: a region the annotator draws is sent as context to the project's
// interactive ML backend; the regions it returns appear as editable pre-annotations.
const interactiveBackend = api('/api/ml/', { query: { project: project.id } })
  .then((body) => (Array.isArray(body) ? body : body.results || []).find((b) => b.is_interactive) || null)
  .catch(() => null);

function interactiveHook(task) {
  return {
    onRegionSeed: async (item) => {
      const backend = await interactiveBackend;
      if (!backend) return [];
      return api(`/api/ml/${backend.id}/interactive-annotating`, {
        method: 'POST', json: { task: task.id, context: { result: [item] } },
      });
    },
  };
}

// Drafts autosave: a pause in editing saves the result as the user's draft (never a completion).
let draftTimer = null;
function autosave(result) {
  clearTimeout(draftTimer);
  if (!current || result === null) return;
  const taskId = current.task.id;
  draftTimer = setTimeout(async () => {
    if (!current || current.task.id !== taskId) return;
    try {
      await api(`/api/tasks/${taskId}/drafts`, { method: 'POST', json: { result } });
      document.getElementById('draft-state')?.replaceChildren(`Draft saved ${new Date().toLocaleTimeString()}`);
    } catch { /* a lost draft is not worth interrupting the annotator for */ }
  }, 1500);
}

function show(task, completion, predictions, draft = null) {
  clearTimeout(draftTimer);
  current?.ui?.destroy?.();
  doneEl.hidden = true;
  area.hidden = false;
  const title = document.getElementById('task-title');
  title.textContent = `Task #${task.id}`;
  const state = document.getElementById('task-state');
  state.hidden = !completion;
  if (completion) {
    state.textContent = completion.was_cancelled ? 'skipped' : 'completed';
    state.className = `badge ${completion.was_cancelled ? 'review-pending' : 'review-accepted'}`;
  }
  area.dataset.task = task.id;
  current = { task, completion, predictions };
  const url = new URL(location.href);
  url.searchParams.set('task', task.id);
  history.replaceState(null, '', url);
  if (!session.history.includes(task.id)) session.history.push(task.id);
  saveSession();
  let usable = completion && !completion.was_cancelled ? [completion] : [];
  if (draft && (!completion || new Date(draft.updated_at) > new Date(completion.updated_at))) {
    usable = [{ ...(usable[0] || {}), result: draft.result }]; // resume where the annotator left off
  }
  mountLabeling(area, {
    config: project.label_config,
    task: { id: task.id, data: task.data },
    completions: usable,
    predictions: usable.length ? [] : predictions,
    user: me,
    onSubmit: (result, meta) => save(result, meta, false),
    onUpdate: (result, meta) => save(result, meta, false),
    onSkip: project.show_skip_button ? (meta) => skip(meta) : undefined,
    onChange: (result) => autosave(result),
    interactive: interactiveHook(task),
  }).then((ui) => {
    if (current && current.task.id === task.id) current.ui = ui;
    area.querySelector('.ls-root')?.focus?.({ preventScroll: true });
  });
}

async function guarded(fn, doing = 'save') {
  if (busy) return;
  busy = true;
  try { await fn(); } catch (err) {
    if (err instanceof ApiError && err.status === 409) say('This completion was changed elsewhere since you opened it. Reload the task to see the latest version.', 'error');
    else say(`Could not ${doing}: ${err.message}`, 'error');
  } finally { busy = false; }
}

function save(result, meta) {
  clearTimeout(draftTimer);
  return guarded(async () => {
    const { task, completion } = current;
    const body = { result, lead_time: meta?.lead_time };
    if (completion && !completion.was_cancelled) {
      const updated = await api(`/api/annotations/${completion.id}/`, { method: 'PATCH', json: { ...body, version: completion.version } });
      current.completion = updated;
      current.ui?.loadCompletion?.(updated);
      say(`Task #${task.id} updated.`, 'ok');
      return;
    }
    const created = completion
      ? await api(`/api/annotations/${completion.id}/`, { method: 'PATCH', json: { ...body, was_cancelled: false, version: completion.version } })
      : await api(`/api/tasks/${task.id}/annotations/`, { method: 'POST', json: body });
    session.submitted += 1;
    saveSession();
    refreshProgress();
    if (single) {
      say(`Task #${task.id} submitted.`, 'ok');
      show(task, created, []);
    } else {
      say(`Task #${task.id} submitted.`, 'ok');
      await next();
    }
  });
}

function skip(meta) {
  return guarded(async () => {
    const { task, completion } = current;
    if (completion) {
      await api(`/api/annotations/${completion.id}/`, { method: 'PATCH', json: { was_cancelled: true, result: [], lead_time: meta?.lead_time, version: completion.version } });
    } else {
      await api(`/api/tasks/${task.id}/annotations/`, { method: 'POST', json: { was_cancelled: true, result: [], lead_time: meta?.lead_time } });
    }
    session.skipped += 1;
    saveSession();
    refreshProgress();
    say(`Task #${task.id} skipped.`, 'info');
    single = false;
    await next();
  });
}

async function next() {
  single = false;
  let task;
  try {
    task = await api(`/api/projects/${project.id}/next`);
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 204)) task = null;
    else throw err;
  }
  if (!task || !task.id) {
    current?.ui?.destroy?.();
    current = null;
    area.hidden = true;
    doneEl.hidden = false;
    document.getElementById('task-title').textContent = 'All done';
    document.getElementById('task-state').hidden = true;
    const url = new URL(location.href);
    url.searchParams.delete('task');
    history.replaceState(null, '', url);
    return;
  }
  await loadTask(task);
}

document.getElementById('next-task').addEventListener('click', () => guarded(async () => { say(''); await next(); }));
document.getElementById('prev-task').addEventListener('click', () => guarded(async () => {
  const id = previousId();
  if (id) { single = true; say(''); await loadTask(id); }
}));
document.addEventListener('keydown', (e) => {
  if (e.altKey && e.key === 'ArrowRight') { e.preventDefault(); document.getElementById('next-task').click(); }
  else if (e.altKey && e.key === 'ArrowLeft') { e.preventDefault(); document.getElementById('prev-task').click(); }
  else if (e.ctrlKey && e.code === 'Space' && project.show_skip_button && current) { e.preventDefault(); current.ui?.skip?.(); }
});

saveSession();
refreshProgress();
guarded(() => (page.task_id != null ? loadTask(page.task_id) : next()), 'load the task');
