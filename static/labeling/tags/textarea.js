// TextArea control: the textarea is bound live to the last (draft) entry of
// value.text; Enter (without Shift) or "Add" commits it and starts a new one.
import { h } from '../ui/dom.js';
import { bindControl, controlBox } from './common.js';

export const tags = {
  TextArea: {
    render(control, app) {
      const max = Number(control.attrs.maxSubmissions) || Infinity;
      const rows = Number(control.attrs.rows) || 2;
      const ta = h('textarea', { class: 'ls-input', rows: String(rows), placeholder: control.attrs.placeholder || '', disabled: app.readOnly, 'aria-label': control.name });
      const list = h('ul', { class: 'ls-textarea-entries' });
      const addBtn = h('button', { type: 'button', class: 'ls-btn ls-textarea-add', text: 'Add', disabled: app.readOnly });
      let drafting = false;
      const binding = bindControl(app, control, (entries) => {
        entries = entries || [];
        if (!drafting && document.activeElement !== ta) ta.value = '';
        const shown = drafting ? entries.slice(0, -1) : entries;
        list.replaceChildren(...shown.map((text, i) => h('li', { class: 'ls-textarea-entry' },
          h('span', { text }),
          app.readOnly ? null : h('button', { type: 'button', class: 'ls-icon-btn ls-textarea-delete', title: 'Delete', text: '×',
            onClick: () => binding.set(entries.filter((_, j) => j !== i)) }))));
        ta.disabled = app.readOnly || (!drafting && entries.length >= max);
      });
      app.on((change) => {
        if (change.type === 'reset' || (change.type === 'select' && control.perRegion)) {
          drafting = false;
          ta.value = '';
          binding.refresh();
        }
      });
      ta.addEventListener('input', () => {
        const entries = binding.get() || [];
        const text = ta.value;
        if (!drafting) {
          if (!text) return;
          drafting = true;
          binding.set([...entries, text]);
        } else if (!text) {
          drafting = false;
          binding.set(entries.slice(0, -1), { history: false });
        } else {
          binding.set([...entries.slice(0, -1), text], { history: false });
        }
      });
      const commit = () => {
        if (!drafting) return;
        drafting = false;
        ta.value = '';
        binding.refresh();
      };
      ta.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter' && !ev.shiftKey && !ev.ctrlKey && !ev.metaKey && rows <= 1 || (ev.key === 'Enter' && ev.altKey)) {
          ev.preventDefault();
          commit();
        }
      });
      addBtn.addEventListener('click', commit);
      binding.refresh();
      const shortcuts = shortcutButtons(control, app, ta);
      return controlBox(control, 'ls-textarea', list, shortcuts, h('div', { class: 'ls-textarea-row' }, ta, addBtn));
    },
  },
};

// <Shortcut value alias hotkey> children: buttons (and hotkeys) that insert their value at the cursor.
function shortcutButtons(control, app, ta) {
  const items = control.children.filter((c) => c.tag === 'Shortcut' && c.attrs.value != null);
  if (!items.length || app.readOnly) return null;
  const insert = (text) => {
    const at = ta.selectionStart ?? ta.value.length;
    ta.value = ta.value.slice(0, at) + text + ta.value.slice(ta.selectionEnd ?? at);
    ta.selectionStart = ta.selectionEnd = at + text.length;
    ta.dispatchEvent(new Event('input'));
    ta.focus();
  };
  return h('div', { class: 'ls-shortcuts' }, ...items.map((c) => {
    const value = c.attrs.value;
    if (c.attrs.hotkey) app.hotkeys.add(c.attrs.hotkey, () => { insert(value); return true; }, { description: `Insert "${value}"`, group: control.name, allowInInputs: true });
    return h('button', { type: 'button', class: 'ls-btn ls-shortcut', 'data-value': value, title: c.attrs.hotkey ? `${value} (${c.attrs.hotkey})` : value, text: c.attrs.alias || value,
      onMouseDown: (ev) => ev.preventDefault(), onClick: () => insert(value) });
  }));
}
