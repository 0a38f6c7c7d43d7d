// List object + Ranker control. Without Buckets: reorder the list, result
// {ranker: {<list name>: [ids...]}}. With Buckets: {ranker: {<bucket>: [ids]}}.
import { h } from '../ui/dom.js';
import { sanitizeHTML } from '../sanitize.js';
import { bindControl, controlBox } from './common.js';

function listItems(app, listNode) {
  const data = app.resolve(listNode.attrs.value);
  return Array.isArray(data) ? data.map((it, i) => (typeof it === 'object' && it ? { ...it, id: String(it.id ?? i) } : { id: String(i), title: String(it) })) : [];
}

function itemEl(it) {
  const body = h('div', { class: 'ls-ranker-body' });
  if (it.html) body.innerHTML = sanitizeHTML(it.html);
  else if (it.body) body.textContent = it.body;
  return h('div', { class: 'ls-ranker-item htx-ranker-item', 'data-id': it.id, draggable: 'true' },
    h('div', { class: 'ls-ranker-title', text: it.title ?? it.id }), body);
}

export const tags = {
  List: {
    render(node, app) {
      const el = h('div', { class: 'ls-list', 'data-name': node.name }, node.attrs.title ? h('div', { class: 'ls-control-title', text: node.attrs.title }) : null);
      const view = { el, name: node.name, node, items: listItems(app, node), body: h('div', { class: 'ls-list-body' }) };
      for (const it of view.items) view.body.append(itemEl(it));
      el.append(view.body);
      app.objects.set(node.name, view);
      return el;
    },
  },
  Ranker: {
    render(control, app) {
      const box = controlBox(control, 'ls-ranker');
      queueMicrotask(() => {
        const list = app.objects.get(control.toName[0]);
        if (!list) return;
        const buckets = control.children.filter((c) => c.tag === 'Bucket').map((b) => ({ name: b.attrs.name, title: b.attrs.title || b.attrs.name, isDefault: b.attrs.default === 'true' }));
        const cols = buckets.length ? buckets : [{ name: list.name, title: list.node.attrs.title || 'Ranking', isDefault: true }];
        const hasDefault = cols.some((c) => c.isDefault);
        if (!hasDefault) cols.unshift({ name: '_', title: list.node.attrs.title || 'Items', isDefault: true, internal: true });
        const byId = new Map(list.items.map((it) => [it.id, it]));
        const defaultState = () => Object.fromEntries(cols.map((c) => [c.name, c.isDefault ? list.items.map((it) => it.id) : []]));
        const colEls = new Map();
        list.body.hidden = true;
        const board = h('div', { class: 'ls-ranker-board' });
        let dragging = null;
        const state = () => {
          const v = binding.get();
          const st = defaultState();
          if (!v) return st;
          const placed = new Set(Object.values(v).flat());
          for (const c of cols) st[c.name] = c.isDefault && !(c.name in v) ? list.items.map((i) => i.id).filter((id) => !placed.has(id)) : (v[c.name] || []).filter((id) => byId.has(id));
          return st;
        };
        const write = (st) => {
          const out = {};
          for (const c of cols) if (!c.internal || st[c.name].length) out[c.name] = st[c.name];
          binding.set(out);
        };
        const move = (id, to, index) => {
          const st = state();
          for (const k of Object.keys(st)) st[k] = st[k].filter((x) => x !== id);
          st[to].splice(index == null ? st[to].length : index, 0, id);
          write(st);
        };
        const binding = bindControl(app, control, () => {
          const st = state();
          for (const c of cols) {
            const ids = st[c.name];
            colEls.get(c.name).replaceChildren(...ids.map((id, i) => {
              const el = itemEl(byId.get(id));
              if (!app.readOnly) {
                el.addEventListener('dragstart', () => { dragging = id; });
                const up = h('button', { type: 'button', class: 'ls-icon-btn ls-ranker-up', title: 'Move up', text: '↑', onClick: () => move(id, c.name, Math.max(0, i - 1)) });
                const down = h('button', { type: 'button', class: 'ls-icon-btn ls-ranker-down', title: 'Move down', text: '↓', onClick: () => move(id, c.name, i + 1) });
                const actions = h('div', { class: 'ls-ranker-actions' }, up, down);
                if (cols.length > 1) {
                  const sel = h('select', { class: 'ls-ranker-bucket', 'aria-label': 'bucket' }, cols.map((b) => h('option', { value: b.name, text: b.title, selected: b.name === c.name })));
                  sel.addEventListener('change', () => move(id, sel.value));
                  actions.append(sel);
                }
                el.append(actions);
              }
              return el;
            }));
          }
        });
        for (const c of cols) {
          const body = h('div', { class: 'ls-ranker-column-body', 'data-bucket': c.name });
          body.addEventListener('dragover', (ev) => ev.preventDefault());
          body.addEventListener('drop', (ev) => {
            ev.preventDefault();
            if (!dragging) return;
            const target = ev.target.closest('.ls-ranker-item');
            const ids = state()[c.name].filter((x) => x !== dragging);
            const idx = target ? ids.indexOf(target.dataset.id) : ids.length;
            move(dragging, c.name, idx < 0 ? ids.length : idx);
            dragging = null;
          });
          colEls.set(c.name, body);
          board.append(h('div', { class: 'ls-ranker-column htx-ranker-column' }, h('div', { class: 'ls-ranker-column-title', text: c.title }), body));
        }
        box.append(board);
        binding.refresh();
      });
      return box;
    },
  },
  Bucket: { render: () => null },
};
