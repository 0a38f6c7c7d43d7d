// Choices control: single / multiple selection, hotkeys, perRegion.
import { h } from '../ui/dom.js';
import { optionResultValue } from '../config.js';
import { bindControl, controlBox } from './common.js';
import { formatCombo } from '../hotkeys.js';

export const tags = {
  Choices: {
    render(control, app) {
      const multiple = control.attrs.choice === 'multiple';
      if (control.attrs.layout === 'select') return selectBox(control, app, multiple);
      const inline = control.attrs.showInline === 'true' || control.attrs.layout === 'inline';
      const list = h('div', { class: `ls-choices-list${inline ? ' ls-inline' : ''}`, role: multiple ? 'group' : 'radiogroup' });
      const buttons = [];
      const binding = bindControl(app, control, (selected) => {
        const set = new Set(selected || []);
        for (const { btn, value } of buttons) {
          const on = set.has(value);
          btn.classList.toggle('ls-selected', on);
          btn.setAttribute('aria-checked', String(on));
        }
      });
      for (const opt of control.options) {
        const value = optionResultValue(opt);
        const btn = h('button', {
          type: 'button', class: 'ls-choice', role: multiple ? 'checkbox' : 'radio', 'aria-checked': 'false',
          'data-value': opt.value, 'data-control': control.name, disabled: app.readOnly, title: opt.attrs.hint || null,
          style: { '--ls-color': opt.color },
        }, h('span', { class: `ls-choice-mark${multiple ? ' ls-check' : ''}` }), h('span', { class: 'ls-choice-text', text: opt.value }),
        opt.hotkey ? h('kbd', { class: 'ls-hotkey', text: formatCombo(opt.hotkey) }) : null);
        btn.addEventListener('click', () => {
          const cur = binding.get() || [];
          let next;
          if (multiple) next = cur.includes(value) ? cur.filter((v) => v !== value) : [...cur, value];
          else next = cur.includes(value) && cur.length === 1 ? [] : [value];
          binding.set(next);
        });
        buttons.push({ btn, value });
        list.append(btn);
      }
      binding.refresh();
      return controlBox(control, 'ls-choices', list);
    },
  },
};

// layout="select": a drop-down (a multi-select list with choice="multiple"), as Label Studio draws it.
function selectBox(control, app, multiple) {
  const values = control.options.map(optionResultValue);
  const select = h('select', { class: 'ls-choices-select', 'data-control': control.name, multiple, disabled: app.readOnly, 'aria-label': control.attrs.title || control.name },
    multiple ? null : h('option', { value: '', text: control.attrs.placeholder || '—' }),
    control.options.map((opt, i) => h('option', { value: String(i), text: opt.value, title: opt.attrs.hint || null })));
  const binding = bindControl(app, control, (selected) => {
    const set = new Set(selected || []);
    for (const o of select.options) o.selected = o.value !== '' && set.has(values[Number(o.value)]);
    if (!multiple && !set.size) select.value = '';
  });
  select.addEventListener('change', () => binding.set([...select.selectedOptions].filter((o) => o.value !== '').map((o) => values[Number(o.value)])));
  select.addEventListener('keydown', (ev) => ev.stopPropagation());
  binding.refresh();
  return controlBox(control, 'ls-choices', select);
}
