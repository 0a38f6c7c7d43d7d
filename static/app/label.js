// Label stream: "Label all tasks" walks from one next task to the next; submit, update, skip.
// Rejected completions come back first, with the reviewer's comment; a reviewer opening
// ?task=<id>&review=<completion> accepts, rejects or corrects it here. The task lock lives while
// the page is open (heartbeats) and is given back when the page is left (pagehide beacon).
import { api, ApiError, pageData, csrfToken, el } from './api.js';
import { mountLabeling } from './labeling.js';
import { describe } from './results.js';

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
const reviewId = page.review_id; // reviewer mode: the completion under review
let reviewing = reviewId != null;
const deferred = []; // rejected tasks the annotator put off for now (they come back next session)
let held = null; // the task this page holds a lock on
let heartbeat = null;
let waitTimer = null;
const panel = document.getElementById('review-panel');
const note = document.getElementById('review-note');

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
  // opened on this task (a reload, a link, Previous): hold it while the page shows it, if it is open
  if (typeof taskOrId !== 'object' && (!mine || mine.was_cancelled)) hold(task.id, true);
}

async function loadReview(completionId) {
  const completion = await api(`/api/annotations/${completionId}/`);
  const task = await api(`/api/tasks/${completion.task}/`);
  show(task, completion, []);
}

// --- locks: alive while the page shows the task, given back when the page is left -------------
function hold(taskId, now = false) {
  if (held !== taskId) release();
  clearInterval(heartbeat);
  held = taskId;
  const every = Math.max(5, Math.min(30, (project.task_lock_ttl || 90) / 3)) * 1000;
  const beat = () => api(`/api/tasks/${taskId}/lock`, { method: 'POST' }).catch((err) => {
    if (err instanceof ApiError && err.status === 409 && held === taskId) {
      clearInterval(heartbeat);
      held = null;
      say('Someone else is labeling this task right now. You can still submit your answer.', 'warning');
    }
  });
  heartbeat = setInterval(beat, every);
  if (now) beat(); // take it (again): a task opened directly was not handed out by next
}

function release(beacon = false) {
  clearInterval(heartbeat);
  heartbeat = null;
  if (held == null) return;
  const url = `/api/tasks/${held}/lock/release`;
  held = null;
  if (beacon && navigator.sendBeacon) {
    const form = new FormData();
    form.append('csrfmiddlewaretoken', csrfToken());
    navigator.sendBeacon(url, form);
  } else {
    api(url, { method: 'POST' }).catch(() => {});
  }
}
window.addEventListener('pagehide', () => release(true));
// back from the back/forward cache: the lock was given back on pagehide, so ask again
window.addEventListener('pageshow', (e) => { if (e.persisted) location.reload(); });

// --- review: the reviewer's actions, the annotator's rejection note, the history --------------
function who(id) { return page.members?.[id] || (id ? `user ${id}` : ''); }

async function showReview(completion) {
  const rejected = completion?.review_status === 'rejected';
  const mineRejected = rejected && userId(completion) === me.id;
  note.hidden = !mineRejected;
  if (mineRejected) {
    note.replaceChildren(el('strong', { text: `Rejected by ${who(completion.reviewed_by) || 'a reviewer'}: ` }),
      el('span', { id: 'review-comment-text', text: completion.review_comment || '' }),
      el('div', { class: 'small muted', text: 'Fix it and press Update to send it back for review.' }));
  }
  document.getElementById('review-actions').hidden = !reviewing;
  if (reviewing) {
    document.getElementById('review-who').textContent = `Completion #${completion.id} by ${who(userId(completion))}`;
    document.getElementById('review-comment').value = '';
  }
  const history = document.getElementById('review-history');
  const reviewed = completion && (completion.review_status || reviewing);
  history.hidden = !reviewed;
  panel.hidden = !(mineRejected || reviewing || reviewed);
  if (!reviewed) return;
  const steps = await api(`/api/annotations/${completion.id}/history`).catch(() => []);
  document.getElementById('review-history-list').replaceChildren(...steps.map((s) => el('li', { 'data-action': s.action },
    el('strong', { text: s.action }), ` by ${s.username || who(s.user)} · ${new Date(s.created_at).toLocaleString()}`,
    s.comment ? el('div', { class: 'review-comment', text: `“${s.comment}”` }) : null,
    s.correction ? el('div', { class: 'small', text: `correction: completion #${s.correction}` }) : null,
    el('div', { class: 'small muted', text: (s.result || []).flatMap(describe).slice(0, 4).join(' · ') || 'empty' }))));
}

async function reviewAction(action) {
  const { completion } = current;
  const comment = document.getElementById('review-comment').value.trim();
  if (action === 'reject' && !comment) { say('Write what the annotator should fix before rejecting.', 'error'); return; }
  await guarded(async () => {
    const updated = await api(`/api/annotations/${completion.id}/review`, { method: 'POST', json: { action, comment, version: completion.version } });
    current.completion = updated;
    say(`Completion #${completion.id} ${action === 'accept' ? 'accepted' : 'rejected'}.`, 'ok');
    showState(updated);
    await showReview(updated);
  }, 'review');
}
document.getElementById('review-accept').addEventListener('click', () => reviewAction('accept'));
document.getElementById('review-reject').addEventListener('click', () => reviewAction('reject'));

function showState(completion) {
  const state = document.getElementById('task-state');
  state.hidden = !completion;
  if (!completion) return;
  const review = completion.review_status;
  state.textContent = completion.was_cancelled ? 'skipped' : review || 'completed';
  state.className = `badge ${completion.was_cancelled ? 'review-pending' : review === 'rejected' ? 'review-rejected' : 'review-accepted'}`;
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

// <Chat llm=...>: the next assistant message comes from the project's first ML backend (its /predict).
const chatBackend = api('/api/ml/', { query: { project: project.id } })
  .then((body) => (Array.isArray(body) ? body : body.results || [])[0] || null)
  .catch(() => null);

function chatHook(task) {
  return {
    complete: async ({ name, messages }) => {
      const backend = await chatBackend;
      if (!backend) throw new Error('this project has no ML backend');
      return api(`/api/ml/${backend.id}/chat`, { method: 'POST', json: { task: task.id, chat: name, messages } });
    },
  };
}

// Drafts autosave: a pause in editing saves the result as the user's draft (never a completion).
let draftTimer = null;
function autosave(result) {
  clearTimeout(draftTimer);
  if (!current || result === null || reviewing) return; // a reviewer's edit is a correction, not a draft
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
  document.getElementById('stream-waiting').hidden = true;
  const title = document.getElementById('task-title');
  title.textContent = `Task #${task.id}`;
  showState(completion);
  if (held != null && held !== task.id) release();
  panel.hidden = true;
  showReview(completion);
  area.dataset.task = task.id;
  current = { task, completion, predictions };
  const url = new URL(location.href);
  url.searchParams.set('task', task.id);
  history.replaceState(null, '', url);
  if (!session.history.includes(task.id)) session.history.push(task.id);
  saveSession();
  let usable = completion && !completion.was_cancelled ? [completion] : [];
  if (draft && !reviewing && (!completion || new Date(draft.updated_at) > new Date(completion.updated_at))) {
    usable = [{ ...(usable[0] || {}), result: draft.result }]; // resume where the annotator left off
  }
  savedLabels().then((userLabels) => mountLabeling(area, {
    config: project.label_config,
    task: { id: task.id, data: task.data },
    completions: usable,
    predictions: usable.length ? [] : predictions,
    user: me,
    customHotkeys: me.hotkeys || {},
    onSubmit: (result, meta) => save(result, meta, false),
    onUpdate: (result, meta) => save(result, meta, false),
    onSkip: project.show_skip_button ? (meta) => skip(meta) : undefined,
    onChange: (result) => autosave(result),
    interactive: interactiveHook(task),
    chat: chatHook(task),
    userLabels,
    onAddLabels: saveLabels,
  })).then((ui) => {
    if (current && current.task.id === task.id) current.ui = ui;
    area.querySelector('.ls-root')?.focus?.({ preventScroll: true });
  });
}

// Items annotators added to a Taxonomy (isEditable) are saved for the project, as Label Studio does
// (/api/labels, /api/label_links): read before each task, so the next task shows what others added.
let labelsSaving = Promise.resolve(); // the last POST of added items: the next task reads after it

async function savedLabels() {
  await labelsSaving;
  try {
    const links = asList(await api(`/api/label_links?project=${project.id}&expand=label&page_size=1000`));
    const out = {};
    for (const { from_name: name, label } of links) if (label && Array.isArray(label.value)) (out[name] ||= []).push(label.value);
    return out;
  } catch { return {}; } // without them the task still works: the config's items
}

function saveLabels(items) {
  const body = items.map(({ from_name: name, value }) => ({ value, title: `${name}:${JSON.stringify(value)}`, from_name: name, project: project.id }));
  labelsSaving = api('/api/labels', { method: 'POST', json: body }).catch((err) => say(`Could not save the added items for the project: ${err.message}`, 'warning'));
  return labelsSaving;
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
    if (reviewing) { // a reviewer's edit of someone's completion is a correction, linked to it
      const reviewed = await api(`/api/annotations/${completion.id}/review`, { method: 'POST', json: { action: 'correct', result, version: completion.version } });
      reviewing = false;
      say(`Correction saved as completion #${reviewed.correction.id} (linked to #${completion.id}).`, 'ok');
      show(task, reviewed.correction, []);
      await showReview(reviewed);
      return;
    }
    if (completion && completion.review_status === 'rejected' && userId(completion) === me.id) {
      await api(`/api/annotations/${completion.id}/`, { method: 'PATCH', json: { ...body, version: completion.version } });
      say(`Task #${task.id} resubmitted for review.`, 'ok');
      session.submitted += 1;
      saveSession();
      if (single) await loadTask(task.id); else await next();
      return;
    }
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
  reviewing = false;
  clearTimeout(waitTimer);
  let task;
  let empty = null;
  try {
    task = await api(`/api/projects/${project.id}/next`, { query: { defer: deferred.join(',') } });
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 204)) { task = null; empty = err.body; }
    else throw err;
  }
  if (task && task.id) {
    if (task.rejected) release(); else hold(task.id);
  }
  if (!task || !task.id) {
    release();
    current?.ui?.destroy?.();
    current = null;
    area.hidden = true;
    panel.hidden = true;
    const locked = empty?.locked_by_others || 0;
    doneEl.hidden = locked > 0;
    document.getElementById('stream-waiting').hidden = !locked;
    if (locked) { // others hold the rest: say so and ask again shortly
      document.getElementById('stream-waiting-text').textContent = empty.detail;
      document.getElementById('task-title').textContent = 'Waiting for tasks';
      waitTimer = setTimeout(() => guarded(next, 'load the next task'), 1000 * (empty.retry_after || 5));
    } else document.getElementById('task-title').textContent = 'All done';
    document.getElementById('task-state').hidden = true;
    const url = new URL(location.href);
    url.searchParams.delete('task');
    history.replaceState(null, '', url);
    return;
  }
  await loadTask(task);
}

document.getElementById('next-task').addEventListener('click', () => guarded(async () => {
  const c = current?.completion;
  if (c && c.review_status === 'rejected' && userId(c) === me.id && !deferred.includes(current.task.id)) deferred.push(current.task.id);
  say('');
  await next();
}));
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
guarded(() => (reviewId != null ? loadReview(reviewId) : page.task_id != null ? loadTask(page.task_id) : next()), 'load the task');
