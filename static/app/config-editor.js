// Config editor: template gallery, line-numbered XML editor, errors at their line, live preview.
import { api, pageData } from './api.js';
import { mountLabeling } from './labeling.js';

const root = document.querySelector('[data-config-editor]');
if (root) setup(root);

function setup(root) {
  const templates = pageData('templates-data') || [];
  const textarea = root.querySelector('#label-config');
  const gutter = root.querySelector('#config-gutter');
  const errorEl = root.querySelector('#config-error');
  const statusEl = root.querySelector('#config-status');
  const preview = root.querySelector('#config-preview');
  const sampleEl = root.querySelector('#sample-data');
  const select = root.querySelector('#template-select');
  const filter = root.querySelector('.gallery-filter');
  let errorLines = new Set();
  let timer = null;
  let seq = 0;
  let current = null;
  let serverError = !errorEl.hidden; // a refusal from the server (e.g. labels in use) stays until the next edit

  const renderGutter = () => {
    const n = textarea.value.split('\n').length;
    const lines = [];
    for (let i = 1; i <= n; i++) lines.push(errorLines.has(i) ? `<span class="err" data-line="${i}">${i}</span>` : `<span>${i}</span>`);
    gutter.innerHTML = lines.join('');
    gutter.scrollTop = textarea.scrollTop;
  };
  textarea.addEventListener('scroll', () => { gutter.scrollTop = textarea.scrollTop; });

  const showErrors = (errors) => {
    errorLines = new Set(errors.map((e) => e.line).filter(Boolean));
    errorEl.replaceChildren(...errors.map((e) => {
      const div = document.createElement('div');
      div.className = 'config-error-item';
      if (e.line) div.dataset.line = e.line;
      div.textContent = e.detail || e.message;
      if (e.line) {
        const jump = document.createElement('button');
        jump.type = 'button';
        jump.className = 'link small';
        jump.textContent = `go to line ${e.line}`;
        jump.addEventListener('click', () => goToLine(e.line));
        div.append(' ', jump);
      }
      return div;
    }));
    errorEl.hidden = !errors.length;
    if (errors[0]?.line) errorEl.dataset.line = errors[0].line; else delete errorEl.dataset.line;
    textarea.classList.toggle('invalid', errors.length > 0);
    textarea.setAttribute('aria-invalid', errors.length ? 'true' : 'false');
    renderGutter();
  };

  const goToLine = (line) => {
    const lines = textarea.value.split('\n');
    const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
    textarea.focus();
    textarea.setSelectionRange(start, start + (lines[line - 1] || '').length);
    const lh = parseFloat(getComputedStyle(textarea).lineHeight) || 18;
    textarea.scrollTop = Math.max(0, (line - 4) * lh);
  };

  const refresh = async () => {
    const mine = ++seq;
    statusEl.textContent = 'checking…';
    statusEl.className = 'config-status';
    let body;
    try {
      body = await api('/projects/config/preview', { method: 'POST', json: { label_config: textarea.value } });
    } catch (err) {
      if (mine === seq) { statusEl.textContent = `preview failed: ${err.message}`; statusEl.className = 'config-status bad'; }
      return;
    }
    if (mine !== seq) return;
    if (!body.valid) {
      statusEl.textContent = 'invalid';
      statusEl.className = 'config-status bad';
      showErrors(body.errors || []);
      preview.classList.add('stale');
      return;
    }
    statusEl.textContent = 'valid';
    statusEl.className = 'config-status ok';
    if (!serverError) showErrors([]);
    preview.classList.remove('stale');
    sampleEl.textContent = JSON.stringify(body.sample_task, null, 2);
    current?.destroy?.();
    current = await mountLabeling(preview, {
      config: textarea.value,
      task: { id: 0, data: body.sample_task },
      onSubmit: (result) => { sampleEl.textContent = JSON.stringify({ data: body.sample_task, result }, null, 2); },
    });
  };
  const schedule = () => { serverError = false; renderGutter(); clearTimeout(timer); timer = setTimeout(refresh, 350); };
  textarea.addEventListener('input', schedule);

  const choose = (index) => {
    const t = templates[index];
    if (!t) return;
    textarea.value = t.config;
    if (select) select.value = String(index);
    for (const b of root.querySelectorAll('.template')) b.classList.toggle('selected', b.dataset.template === String(index));
    const title = document.querySelector('#project-title');
    if (title && !title.value) title.placeholder = t.title;
    schedule();
  };
  root.querySelectorAll('.template').forEach((b) => b.addEventListener('click', () => choose(+b.dataset.template)));
  select?.addEventListener('change', () => choose(+select.value));
  filter?.addEventListener('input', () => {
    const q = filter.value.trim().toLowerCase();
    for (const li of root.querySelectorAll('.gallery-list li')) li.hidden = q && !li.textContent.toLowerCase().includes(q);
  });
  // Mark the template that matches the current text, if any.
  const match = templates.findIndex((t) => t.config.trim() === textarea.value.trim());
  if (match >= 0) root.querySelector(`.template[data-template="${match}"]`)?.classList.add('selected');
  if (errorEl.dataset.line) errorLines = new Set([+errorEl.dataset.line]);
  renderGutter();
  refresh();
}
