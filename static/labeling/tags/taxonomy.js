// Taxonomy control: a collapsible tree of nested Choice; result is a list of paths. A search box
// filters the tree; isEditable="true" lets the annotator add items (top level or under an item):
// the host gets them on submit (options.onAddLabels) and passes saved ones back (options.userLabels).
import { h } from '../ui/dom.js';
import { bindControl, controlBox } from './common.js';
import { visiblePaths, addItem, mergePaths, nodeAt, pathKey } from '../taxonomy-tree.js';

const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

export const tags = {
  Taxonomy: {
    render(control, app) {
      const leafsOnly = control.attrs.leafsOnly === 'true';
      const multiple = control.attrs.maxUsages !== '1' && control.attrs.choice !== 'single';
      const editable = control.attrs.isEditable === 'true' && !app.readOnly;
      const allOpen = control.attrs.expanded === 'true';
      const tree = structuredClone(control.tree || []); // user items stay in this task's view
      const saved = app.options.userLabels?.[control.name]; // items saved for the project earlier
      if (saved) try { mergePaths(tree, saved); } catch (e) { /* a malformed saved path: skipped */ }
      const expanded = new Set();
      const boxes = [];
      let query = '';
      let rootList = h('ul', { class: 'ls-taxonomy-level' });
      const chips = h('div', { class: 'ls-taxonomy-selected' });
      const error = h('div', { class: 'ls-taxonomy-error', role: 'alert' });
      const paint = (paths) => {
        for (const { cb, path } of boxes) cb.checked = paths.some((p) => same(p, path));
        chips.replaceChildren(...paths.map((p) => h('span', { class: 'ls-chip', text: p.join(' / ') })));
      };
      const binding = bindControl(app, control, (paths) => {
        paths = paths || [];
        if (paths.some((p) => Array.isArray(p) && !nodeAt(tree, p))) {
          try { mergePaths(tree, paths); draw(); } catch (e) { /* not a valid path list: shown as chips only */ }
        }
        paint(paths);
      });
      const toggle = (path) => {
        const cur = binding.get() || [];
        const has = cur.some((p) => same(p, path));
        binding.set(has ? cur.filter((p) => !same(p, path)) : multiple ? [...cur, path] : [path]);
      };
      const adder = (parentPath) => {
        const input = h('input', { type: 'text', class: 'ls-taxonomy-new', placeholder: parentPath.length ? 'New item' : 'Add item', 'aria-label': `Add item${parentPath.length ? ` under ${parentPath.join(' / ')}` : ''}` });
        input.addEventListener('keydown', (ev) => {
          ev.stopPropagation();
          if (ev.key !== 'Enter') return;
          ev.preventDefault();
          try {
            const node = addItem(tree, parentPath, input.value);
            (app.addedLabels ||= []).push({ from_name: control.name, value: node.path });
          } catch (e) {
            error.textContent = e.message;
            return;
          }
          error.textContent = '';
          if (parentPath.length) expanded.add(pathKey(parentPath));
          draw();
        });
        return input;
      };
      const build = (nodes, depth, show) => h('ul', { class: 'ls-taxonomy-level' }, nodes.filter((n) => !show || show.has(pathKey(n.path))).map((n) => {
        const cb = h('input', { type: 'checkbox', disabled: app.readOnly || (leafsOnly && n.children.length > 0) });
        cb.addEventListener('change', () => toggle(n.path));
        boxes.push({ cb, path: n.path });
        const li = h('li', { class: `ls-taxonomy-item${n.user ? ' ls-taxonomy-user' : ''}`, 'data-value': n.value, 'data-path': n.path.join('/') });
        const label = h('label', { class: 'ls-taxonomy-label' }, cb, h('span', { text: n.value }));
        const plus = editable ? h('button', { type: 'button', class: 'ls-taxonomy-add', text: '+', title: 'Add an item under this one', 'aria-label': `Add under ${n.value}` }) : null;
        const key = pathKey(n.path);
        if (n.children.length) {
          const sub = build(n.children, depth + 1, show);
          sub.hidden = !(allOpen || show || expanded.has(key));
          const tw = h('button', { type: 'button', class: 'ls-taxonomy-toggle', text: sub.hidden ? '▸' : '▾', 'aria-label': 'expand' });
          tw.addEventListener('click', () => {
            sub.hidden = !sub.hidden;
            tw.textContent = sub.hidden ? '▸' : '▾';
            if (sub.hidden) expanded.delete(key); else expanded.add(key);
          });
          li.append(tw, label, plus || '', sub);
        } else li.append(h('span', { class: 'ls-taxonomy-spacer' }), label, plus || '');
        plus?.addEventListener('click', () => {
          const open = li.querySelector(':scope > .ls-taxonomy-new');
          if (open) return open.focus();
          const input = adder(n.path);
          label.after(input);
          input.focus();
        });
        return li;
      }));
      function draw() {
        boxes.length = 0;
        const next = build(tree, 0, visiblePaths(tree, query));
        rootList.replaceWith(next);
        rootList = next;
        paint(binding.get() || []);
      }
      const search = h('input', { type: 'search', class: 'ls-taxonomy-search', placeholder: control.attrs.placeholder || 'Search', 'aria-label': 'Search the taxonomy' });
      search.addEventListener('input', () => { query = search.value; draw(); });
      search.addEventListener('keydown', (ev) => ev.stopPropagation());
      const box = controlBox(control, 'ls-taxonomy', chips, search, rootList, editable ? adder([]) : null, error);
      draw();
      return box;
    },
  },
};
