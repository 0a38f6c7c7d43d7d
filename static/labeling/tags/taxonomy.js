// Taxonomy control: a collapsible tree of nested Choice; result is a list of paths.
import { h } from '../ui/dom.js';
import { bindControl, controlBox } from './common.js';

const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

export const tags = {
  Taxonomy: {
    render(control, app) {
      const leafsOnly = control.attrs.leafsOnly === 'true';
      const multiple = control.attrs.maxUsages !== '1' && control.attrs.choice !== 'single';
      const boxes = [];
      const chips = h('div', { class: 'ls-taxonomy-selected' });
      const binding = bindControl(app, control, (paths) => {
        paths = paths || [];
        for (const { cb, path } of boxes) cb.checked = paths.some((p) => same(p, path));
        chips.replaceChildren(...paths.map((p) => h('span', { class: 'ls-chip', text: p.join(' / ') })));
      });
      const toggle = (path) => {
        const cur = binding.get() || [];
        const has = cur.some((p) => same(p, path));
        binding.set(has ? cur.filter((p) => !same(p, path)) : multiple ? [...cur, path] : [path]);
      };
      const build = (nodes, depth) => h('ul', { class: 'ls-taxonomy-level' }, nodes.map((n) => {
        const cb = h('input', { type: 'checkbox', disabled: app.readOnly || (leafsOnly && n.children.length > 0) });
        cb.addEventListener('change', () => toggle(n.path));
        boxes.push({ cb, path: n.path });
        const li = h('li', { class: 'ls-taxonomy-item', 'data-value': n.value, 'data-path': n.path.join('/') });
        const label = h('label', { class: 'ls-taxonomy-label' }, cb, h('span', { text: n.value }));
        if (n.children.length) {
          const sub = build(n.children, depth + 1);
          sub.hidden = depth >= 0 && control.attrs.expanded !== 'true';
          const tw = h('button', { type: 'button', class: 'ls-taxonomy-toggle', text: sub.hidden ? '▸' : '▾', 'aria-label': 'expand' });
          tw.addEventListener('click', () => { sub.hidden = !sub.hidden; tw.textContent = sub.hidden ? '▸' : '▾'; });
          li.append(tw, label, sub);
        } else li.append(h('span', { class: 'ls-taxonomy-spacer' }), label);
        return li;
      }));
      const tree = build(control.tree || [], 0);
      binding.refresh();
      return controlBox(control, 'ls-taxonomy', chips, tree);
    },
  },
};
