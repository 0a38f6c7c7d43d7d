// Text and HyperText objects with span labeling (Labels / HyperTextLabels).
import { h } from '../ui/dom.js';
import { sanitizeHTML } from '../sanitize.js';
import { textSpanItem, labelsOf, isRegion, payloadKey, makeId } from '../result.js';
import { selectionOffsets, paint, pointAt, resolveXPath, offsetIn, xpathOf } from './spans.js';

function spanView(node, app, { html }) {
  const raw = app.resolve(node.attrs.value);
  let source = raw == null ? '' : typeof raw === 'string' ? raw : JSON.stringify(raw);
  let safe = html ? sanitizeHTML(source) : null;
  const remote = node.attrs.valueType === 'url' && source ? textSource(app, node, source) : null;
  if (remote) source = safe = '';
  const content = h('div', { class: html ? 'ls-hypertext' : 'ls-text', 'data-name': node.name });
  const el = h('div', { class: `ls-object ${html ? 'ls-hypertext-object' : 'ls-text-object'}` }, content);
  const view = { el, content, name: node.name, node };
  app.objects.set(node.name, view);

  const clean = () => {
    if (html) content.innerHTML = safe;
    else content.textContent = source;
  };
  const cleanDom = () => {
    const d = document.createElement('div');
    d.innerHTML = safe;
    return d;
  };
  // Offsets of a stored item (HyperText items may only carry xpaths).
  const offsetsOf = (it) => {
    const v = it.value || {};
    if (!html) return typeof v.start === 'number' ? { start: v.start, end: v.end } : null;
    if (v.globalOffsets) return v.globalOffsets;
    const d = cleanDom();
    const s = resolveXPath(d, v.start);
    const e = resolveXPath(d, v.end);
    if (!s || !e) return null;
    return { start: offsetIn(d, s, 0) + (v.startOffset || 0), end: offsetIn(d, e, 0) + (v.endOffset || 0) };
  };
  const redraw = () => {
    clean();
    const regions = [];
    for (const it of app.store.items) {
      if (it.to_name !== node.name || !isRegion(it) || !it.value) continue;
      const off = offsetsOf(it);
      if (!off) continue;
      regions.push({ ...off, id: it.id, color: app.colorFor(it), label: labelsOf(it).join(', '), selected: app.store.selectedId === it.id, hidden: app.store.isHidden(it.id) });
    }
    paint(content, regions);
  };
  view.redraw = redraw;
  app.on((change) => {
    if (change.type === 'reset' || change.type === 'select' || change.type === 'visibility' || (change.item && change.item.to_name === node.name)) redraw();
  });

  content.addEventListener('mouseup', () => {
    if (app.readOnly) return;
    const active = app.getActive(node.name);
    const off = selectionOffsets(content, { granularity: (active && active.control.attrs.granularity) || node.attrs.granularity || 'symbol' });
    if (!off) return;
    if (!active) return app.nothingCreated(node.name);
    const type = active.control.type;
    let item;
    if (html) {
      const d = cleanDom();
      const s = pointAt(d, off.start);
      const e = pointAt(d, off.end, true);
      item = {
        id: makeId(), from_name: active.control.name, to_name: node.name, type,
        value: { start: xpathOf(s.el, d), startOffset: s.offset, end: xpathOf(e.el, d), endOffset: e.offset,
          globalOffsets: { start: off.start, end: off.end }, text: off.text, [payloadKey(type)]: [...active.labels] },
        origin: 'manual',
      };
    } else {
      item = textSpanItem({ control: active.control.name, toName: node.name, type, ...off, labels: active.labels });
    }
    content.ownerDocument.getSelection().removeAllRanges();
    app.addRegion(item);
  });
  content.addEventListener('click', (ev) => {
    const sel = content.ownerDocument.getSelection();
    if (sel && !sel.isCollapsed) return;
    const span = ev.target.closest && ev.target.closest('.ls-region');
    if (span) app.store.select(app.store.selectedId === span.dataset.id ? null : span.dataset.id);
  });
  redraw();
  if (remote) {
    el.classList.add('ls-loading');
    fetch(remote, { credentials: 'same-origin' })
      .then((r) => (r.ok ? r.text() : r.text().then((body) => Promise.reject(new Error(errorText(body, r.status))))))
      .then((body) => {
        source = body;
        safe = html ? sanitizeHTML(body) : null;
        redraw();
      })
      .catch((err) => {
        el.classList.add('ls-image-error');
        el.prepend(h('div', { class: 'ls-text-error', text: `Could not load the text: ${err.message}` }));
      })
      .finally(() => el.classList.remove('ls-loading'));
  }
  return el;
}

/** Where to read a `valueType="url"` text: same-origin URLs directly, others through the server
 * (GET /api/tasks/<id>/data-text?key=<key>, or options.dataTextUrl with {task} and {key}). */
export function textSource(app, node, url, base = globalThis.location ? globalThis.location.href : 'http://localhost/') {
  const abs = new URL(url, base);
  const key = (String(node.attrs.value).match(/^\$([A-Za-z_][\w]*)$/) || [])[1];
  if (abs.origin === new URL(base).origin || abs.protocol === 'data:' || !key || app.task.id == null) return abs.href;
  const tpl = app.options.dataTextUrl || '/api/tasks/{task}/data-text?key={key}';
  return tpl.replace('{task}', encodeURIComponent(app.task.id)).replace('{key}', encodeURIComponent(key));
}

function errorText(body, status) {
  try {
    const j = JSON.parse(body);
    return j.detail || j.message || JSON.stringify(j);
  } catch {
    return `HTTP ${status}`;
  }
}

export const tags = {
  Text: { render: (node, app) => spanView(node, app, { html: false }) },
  HyperText: { render: (node, app) => spanView(node, app, { html: true }) },
};
