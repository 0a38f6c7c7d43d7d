// Regions panel: list / select / hide / delete / relabel regions, and
// relations between regions (link mode: "Link" on a row, then pick a region).
import { h } from './dom.js';
import { isRegion, labelsOf, withLabels, relationItem } from '../result.js';
import { optionResultValue } from '../config.js';

const DIRS = ['right', 'left', 'bi'];

function describe(it) {
  const v = it.value || {};
  if (typeof v.text === 'string') return `“${v.text.length > 40 ? `${v.text.slice(0, 40)}…` : v.text}”`;
  if (typeof v.start === 'number' && typeof v.end === 'number' && it.type === 'labels' && !('text' in v)) return `${v.start.toFixed(2)}s – ${v.end.toFixed(2)}s`;
  return it.type.replace(/labels$/, '') || it.type;
}

export class RegionsPanel {
  constructor(app) {
    this.app = app;
    this.rows = new Map();
    this.count = h('span', { class: 'ls-count', text: '0' });
    this.list = h('ul', { class: 'ls-regions-list' });
    this.empty = h('div', { class: 'ls-empty', text: 'No regions yet' });
    this.relList = h('ul', { class: 'ls-relations-list' });
    this.relBox = h('div', { class: 'ls-relations' }, h('div', { class: 'ls-panel-title', text: 'Relations' }), this.relList);
    this.hint = h('div', { class: 'ls-link-hint', hidden: true, text: 'Pick the target region (Esc cancels)' });
    this.el = h('div', { class: 'ls-regions' }, h('div', { class: 'ls-panel-title' }, 'Regions ', this.count), this.hint, this.empty, this.list, this.relBox);
    this.linkFrom = null;
    app.on((c) => this.onChange(c));
    this.rebuild();
  }

  setLink(id) {
    this.linkFrom = id;
    this.hint.hidden = !id;
    this.el.classList.toggle('ls-linking', !!id);
  }

  onChange(c) {
    const store = this.app.store;
    if (c.type === 'select' && this.linkFrom && c.id && c.id !== this.linkFrom) {
      const from = this.linkFrom;
      this.setLink(null);
      if (!store.items.some((it) => it.type === 'relation' && it.from_id === from && it.to_id === c.id)) store.add(relationItem({ from_id: from, to_id: c.id }));
    }
    if (c.type === 'reset') return this.rebuild();
    if (c.type === 'select' || c.type === 'visibility') {
      for (const id of [c.prev, c.id]) if (id && this.rows.has(id)) this.fill(id);
      return;
    }
    const it = c.item;
    if (!it) return;
    if (it.type === 'relation') return this.renderRelations();
    if (!isRegion(it)) return;
    if (c.type === 'remove') {
      this.rows.get(it.id)?.remove();
      this.rows.delete(it.id);
    } else if (!this.rows.has(it.id)) {
      this.addRow(it);
    } else this.fill(it.id);
    this.renderRelations();
    this.updateCount();
  }

  updateCount() {
    this.count.textContent = String(this.rows.size);
    this.empty.hidden = this.rows.size > 0;
  }

  rebuild() {
    this.list.replaceChildren();
    this.rows.clear();
    for (const it of this.app.store.items) if (isRegion(it) && !this.rows.has(it.id)) this.addRow(it);
    this.renderRelations();
    this.updateCount();
  }

  addRow(it) {
    const li = h('li', { class: 'ls-region-item', 'data-id': it.id, tabindex: '0' });
    li.addEventListener('click', (ev) => {
      if (ev.target.closest('button')) return;
      const onSelect = !!ev.target.closest('select');
      this.app.store.select(this.app.store.selectedId === it.id && !this.linkFrom && !onSelect ? null : it.id);
    });
    this.rows.set(it.id, li);
    this.list.append(li);
    this.fill(it.id);
  }

  fill(id) {
    const app = this.app;
    const store = app.store;
    const li = this.rows.get(id);
    const it = store.region(id);
    if (!li || !it) return;
    const control = app.config.byName.get(it.from_name);
    const labels = labelsOf(it);
    const hidden = store.isHidden(id);
    li.classList.toggle('ls-selected', store.selectedId === id);
    li.classList.toggle('ls-hidden', hidden);
    li.style.setProperty('--ls-color', app.colorFor(it));
    const parts = [h('span', { class: 'ls-label-dot' }), h('span', { class: 'ls-region-labels', text: labels.join(', ') || '(no label)' }),
      h('span', { class: 'ls-region-desc', text: describe(it) })];
    if (it.origin === 'prediction' || it.origin === 'prediction-changed') parts.push(h('span', { class: 'ls-badge', title: it.origin, text: it.origin === 'prediction' ? 'pred' : 'pred*' }));
    const actions = h('span', { class: 'ls-region-actions' });
    if (!app.readOnly) {
      if (control && control.options.length) {
        const sel = h('select', { class: 'ls-region-label', 'aria-label': 'Change label' },
          control.options.map((o) => h('option', { value: optionResultValue(o), text: o.value, selected: labels[0] === optionResultValue(o) })));
        sel.addEventListener('change', () => store.update(id, it.from_name, (old) => withLabels(old, [sel.value])));
        actions.append(sel);
      }
      actions.append(h('button', { type: 'button', class: 'ls-icon-btn ls-region-link', title: 'Add relation from this region', text: '⇢', onClick: () => { store.select(id); this.setLink(id); } }));
    }
    actions.append(h('button', { type: 'button', class: 'ls-icon-btn ls-region-hide', title: hidden ? 'Show' : 'Hide', text: hidden ? '◌' : '◉', onClick: () => store.setHidden(id, !hidden) }));
    if (!app.readOnly) actions.append(h('button', { type: 'button', class: 'ls-icon-btn ls-region-delete', title: 'Delete (Del)', text: '✕', onClick: () => store.remove(id) }));
    li.replaceChildren(...parts, actions);
  }

  renderRelations() {
    const app = this.app;
    const store = app.store;
    const rels = store.items.filter((it) => it.type === 'relation');
    this.relBox.hidden = !rels.length;
    const opts = app.config.relations ? app.config.relations.options : [];
    const name = (id) => {
      const r = store.region(id);
      return r ? `${labelsOf(r).join(', ') || r.type} ${describe(r)}` : id;
    };
    this.relList.replaceChildren(...rels.map((rel) => {
      const arrow = { right: '→', left: '←', bi: '↔' }[rel.direction] || '→';
      const li = h('li', { class: 'ls-relation-item', 'data-from': rel.from_id, 'data-to': rel.to_id },
        h('span', { class: 'ls-relation-text', text: `${name(rel.from_id)} ${arrow} ${name(rel.to_id)}` }));
      if (!app.readOnly) {
        li.append(h('button', { type: 'button', class: 'ls-icon-btn ls-relation-direction', title: 'Direction', text: '⇄',
          onClick: () => this.replace(rel, { ...rel, direction: DIRS[(DIRS.indexOf(rel.direction) + 1) % DIRS.length] }) }));
        if (opts.length) {
          const sel = h('select', { class: 'ls-relation-label', multiple: app.config.relations.attrs.choice === 'multiple' || null, 'aria-label': 'Relation label' },
            h('option', { value: '', text: '(no label)' }), opts.map((o) => h('option', { value: optionResultValue(o), text: o.value, selected: rel.labels.includes(optionResultValue(o)) })));
          sel.addEventListener('change', () => this.replace(rel, { ...rel, labels: [...sel.selectedOptions].map((o) => o.value).filter(Boolean) }));
          li.append(sel);
        }
        li.append(h('button', { type: 'button', class: 'ls-icon-btn ls-relation-delete', title: 'Delete relation', text: '✕', onClick: () => store.removeItem(rel) }));
      }
      return li;
    }));
  }

  replace(rel, next) {
    const store = this.app.store;
    store.checkpoint();
    store.removeItem(rel, { history: false });
    store.add(next, { history: false });
  }
}
