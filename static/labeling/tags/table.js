// Table object: a dict shows as key/value rows, a list of dicts as columns.
import { h } from '../ui/dom.js';

export const tags = {
  Table: {
    render(node, app) {
      const data = app.resolve(node.attrs.value) ?? {};
      const table = h('table', { class: 'ls-table-grid' });
      if (Array.isArray(data)) {
        const cols = [...new Set(data.flatMap((r) => (r && typeof r === 'object' ? Object.keys(r) : [])))];
        table.append(h('thead', null, h('tr', null, cols.map((c) => h('th', { text: c })))),
          h('tbody', null, data.map((r) => h('tr', null, cols.map((c) => h('td', { text: fmt(r?.[c]) }))))));
      } else if (data && typeof data === 'object') {
        table.append(h('thead', null, h('tr', null, h('th', { text: node.attrs.keyColumn || 'Name' }), h('th', { text: node.attrs.valueColumn || 'Value' }))),
          h('tbody', null, Object.entries(data).map(([k, v]) => h('tr', null, h('th', { text: k }), h('td', { text: fmt(v) })))));
      }
      const el = h('div', { class: 'ls-object ls-table', 'data-name': node.name }, table);
      app.objects.set(node.name, { el, name: node.name, node });
      return el;
    },
  },
};

const fmt = (v) => (v == null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
