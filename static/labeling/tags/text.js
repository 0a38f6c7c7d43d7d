// Text and HyperText objects with span labeling (Labels / HyperTextLabels).
import { h } from '../ui/dom.js';
import { sanitizeHTML } from '../sanitize.js';
import { textSpanItem, labelsOf, isRegion, payloadKey, makeId } from '../result.js';
import { selectionOffsets, paint, pointAt, resolveXPath, offsetIn, xpathOf } from './spans.js';

function spanView(node, app, { html }) {
  const raw = app.resolve(node.attrs.value);
  const source = raw == null ? '' : typeof raw === 'string' ? raw : JSON.stringify(raw);
  const safe = html ? sanitizeHTML(source) : null;
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
    const off = selectionOffsets(content, { word: active && active.control.attrs.granularity === 'word' });
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
  return el;
}

export const tags = {
  Text: { render: (node, app) => spanView(node, app, { html: false }) },
  HyperText: { render: (node, app) => spanView(node, app, { html: true }) },
};
