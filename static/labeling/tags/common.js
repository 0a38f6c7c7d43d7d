// Shared plumbing for classification controls (Choices, TextArea, Rating, ...):
// find the item this control edits (global, or per selected region), write
// payloads back, and re-render when the store changes.
import { buildItem, classificationValue, perRegionItem, payloadOf } from '../result.js';
import { h } from '../ui/dom.js';

export function bindControl(app, control, render, { toName } = {}) {
  const store = app.store;
  const target = () => {
    if (!control.perRegion) return { region: null, item: store.items.find((it) => it.from_name === control.name) || null };
    const region = app.selectedRegion();
    if (!region) return { region: null, item: null };
    return { region, item: store.find(region.id, control.name) };
  };
  const api = {
    get: () => payloadOf(target().item),
    target,
    /** Write a payload; empty (null, '', []) removes the item. */
    set(payload, { history = true } = {}) {
      if (app.readOnly) return;
      const { region, item } = target();
      if (control.perRegion && !region) return;
      const empty = payload == null || payload === '' || (Array.isArray(payload) && !payload.length) || (typeof payload === 'object' && !Array.isArray(payload) && !Object.keys(payload).length);
      if (empty) {
        if (item) store.removeItem(item, { history });
        return;
      }
      if (item) {
        store.update(item.id, item.from_name, (old) => ({ ...old, value: { ...old.value, ...classificationValue(control.type, payload) } }), { history });
      } else if (region) {
        store.add(perRegionItem({ control: control.name, type: control.type, region, payload }), { history });
      } else {
        store.add(buildItem({ from_name: control.name, to_name: toName ?? control.toName[0], type: control.type, value: classificationValue(control.type, payload) }), { history });
      }
    },
    refresh: () => render(api.get()),
  };
  app.on((change) => {
    if (change.type === 'visibility') return;
    if (change.type === 'select' && !control.perRegion) return;
    if (change.item && change.item.from_name !== control.name && !(control.perRegion && change.item.id === app.store.selectedId)) return;
    render(api.get());
  });
  return api;
}

export function controlBox(control, cls, ...children) {
  const title = control.attrs.title || control.attrs.label;
  return h('div', { class: `ls-control ${cls}`, 'data-name': control.name }, title ? h('div', { class: 'ls-control-title', text: title }) : null, ...children);
}
