// Visual tags as Label Studio renders them:
// - Repeater: the groups expanded from `on="$array"` (config.js/repeater.js), all at once
//   (mode="scroll") or one page at a time with a pager (mode="pagination");
// - Collapse: its Panels fold (closed at first; accordion="true", the default, keeps one open);
// - Filter: a search box that hides the options of the control named in toName that do not
//   contain the text (from minlength characters; hotkey focuses it).
import { h } from '../ui/dom.js';

export const tags = {
  Repeater: {
    render(node, app) {
      const el = h('div', { class: 'ls-repeater', 'data-mode': node.attrs.mode || 'scroll' });
      app.renderChildren(node, el);
      const groups = [...el.children];
      if (node.attrs.mode !== 'pagination' || groups.length < 2) return el;
      let page = 0;
      const label = h('span', { class: 'ls-repeater-page' });
      const prev = h('button', { type: 'button', class: 'ls-btn ls-repeater-prev', text: '‹', 'aria-label': 'Previous' });
      const next = h('button', { type: 'button', class: 'ls-btn ls-repeater-next', text: '›', 'aria-label': 'Next' });
      const show = (i) => {
        page = Math.max(0, Math.min(groups.length - 1, i));
        groups.forEach((g, j) => { g.hidden = j !== page; });
        label.textContent = `${page + 1} / ${groups.length}`;
        prev.disabled = page === 0;
        next.disabled = page === groups.length - 1;
      };
      prev.addEventListener('click', () => show(page - 1));
      next.addEventListener('click', () => show(page + 1));
      el.prepend(h('div', { class: 'ls-repeater-pager' }, prev, label, next));
      show(0);
      return el;
    },
  },
  Collapse: {
    render(node, app) {
      const el = h('div', { class: `ls-collapse${node.attrs.bordered === 'true' ? ' ls-bordered' : ''}` });
      app.renderChildren(node, el);
      const panels = [...el.querySelectorAll(':scope > details.ls-panel')];
      const accordion = node.attrs.accordion !== 'false';
      for (const p of panels) {
        p.open = false;
        p.addEventListener('toggle', () => {
          if (accordion && p.open) for (const other of panels) if (other !== p) other.open = false;
        });
      }
      return el;
    },
  },
  Filter: {
    render(node, app) {
      const min = Number(node.attrs.minlength ?? 3);
      const input = h('input', { type: 'search', class: 'ls-input ls-filter', placeholder: node.attrs.placeholder || 'Quick Filter', 'aria-label': node.attrs.placeholder || 'Filter', 'data-name': node.attrs.name || '' });
      const apply = () => {
        const text = input.value.trim().toLowerCase();
        const target = node.attrs.toName;
        if (!app.root || !target) return;
        for (const opt of app.root.querySelectorAll(`[data-control="${CSS.escape(target)}"][data-value]`)) {
          const shown = text.length < min || String(opt.dataset.value).toLowerCase().includes(text) || opt.textContent.toLowerCase().includes(text);
          opt.hidden = !shown;
        }
      };
      input.addEventListener('input', apply);
      if (node.attrs.hotkey && !app.readOnly) app.hotkeys.add(node.attrs.hotkey, () => { input.focus(); return true; }, { description: `Filter "${node.attrs.toName}"` });
      return input;
    },
  },
  Shortcut: { render: () => null }, // drawn by its TextArea
};
