// Label palettes (Labels, RectangleLabels, PolygonLabels, KeyPointLabels,
// EllipseLabels, ParagraphLabels, HyperTextLabels) and the plain shape tools
// (Rectangle, Polygon, KeyPoint, Ellipse). A clicked label (or its key) becomes
// the active drawing label for the connected object; only a region the user
// selected explicitly (new regions are never auto-selected) is relabeled
// instead. The rules live in labelkeys.js.
import { h } from '../ui/dom.js';
import { optionResultValue } from '../config.js';
import { labelsOf, withLabels } from '../result.js';
import { labelAction } from '../labelkeys.js';
import { formatCombo } from '../hotkeys.js';

function palette(control, app) {
  const multiple = control.attrs.choice === 'multiple';
  const list = h('div', { class: 'ls-labels-list' });
  const buttons = [];
  const objectName = control.toName[0];
  const refresh = () => {
    const active = app.getActive(objectName);
    const on = active && active.control === control ? active.labels : [];
    for (const { btn, value } of buttons) btn.classList.toggle('ls-selected', on.includes(value));
    const sel = app.selectedRegion();
    const regionLabels = sel && sel.from_name === control.name ? labelsOf(sel) : [];
    for (const { btn, value } of buttons) btn.classList.toggle('ls-region-has', regionLabels.includes(value));
  };
  for (const opt of control.options) {
    const value = optionResultValue(opt);
    const btn = h('button', {
      type: 'button', class: 'ls-label', 'data-value': opt.value, 'data-control': control.name, style: { '--ls-color': opt.color },
      disabled: app.readOnly, title: opt.attrs.hint || null,
    }, h('span', { class: 'ls-label-dot' }), h('span', { text: opt.value }), opt.hotkey ? h('kbd', { class: 'ls-hotkey', text: formatCombo(opt.hotkey) }) : null);
    btn.addEventListener('click', () => {
      const sel = app.selectedRegion();
      const action = labelAction({ control, value, multiple, selected: sel, active: app.getActive(objectName) });
      if (action.kind === 'relabel') app.store.update(sel.id, sel.from_name, (old) => withLabels(old, action.labels));
      else if (action.kind === 'activate') app.setActive(control, action.labels);
    });
    buttons.push({ btn, value });
    list.append(btn);
  }
  app.onTool(refresh);
  app.on((c) => { if (c.type === 'select' || c.type === 'reset' || c.type === 'update') refresh(); });
  refresh();
  const title = control.attrs.title;
  return h('div', { class: `ls-control ls-labels ls-${control.type}`, 'data-name': control.name }, title ? h('div', { class: 'ls-control-title', text: title }) : null, list);
}

function tool(control, app) {
  const shape = control.tag.toLowerCase();
  const btn = h('button', { type: 'button', class: 'ls-btn ls-tool', 'data-tool': shape, 'data-control': control.name, disabled: app.readOnly, text: `${control.tag} tool` });
  // like a label key: pressing the tool (or its key) again keeps it; Esc clears it
  btn.addEventListener('click', () => app.setActive(control, true));
  app.onTool(() => {
    const active = app.getActive(control.toName[0]);
    btn.classList.toggle('ls-selected', !!(active && active.control === control));
  });
  if (control.attrs.hotkey && !app.readOnly) app.hotkeys.add(control.attrs.hotkey, () => btn.click(), { description: `${control.tag} tool`, group: control.name });
  return h('div', { class: 'ls-control ls-tools', 'data-name': control.name }, btn);
}

const paletteTag = { render: palette };
const toolTag = { render: tool };

export const tags = {
  Labels: paletteTag,
  RectangleLabels: paletteTag,
  PolygonLabels: paletteTag,
  KeyPointLabels: paletteTag,
  EllipseLabels: paletteTag,
  ParagraphLabels: paletteTag,
  HyperTextLabels: paletteTag,
  OcrLabels: paletteTag,
  Rectangle: toolTag,
  Polygon: toolTag,
  KeyPoint: toolTag,
  Ellipse: toolTag,
};
