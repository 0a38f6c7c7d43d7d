// Choices control: single / multiple selection, hotkeys, perRegion, layout="select", and
// allowNested (nested Choice, or task options with `children`: results are paths, as Label Studio writes them).
import { h } from '../ui/dom.js';
import { bindControl, controlBox } from './common.js';
import { formatCombo } from '../hotkeys.js';
import { choiceValue, isNested, keyOf, leaves, toggleChoice } from '../choice-toggle.js';

export const tags = {
  Choices: {
    render(control, app) {
      const multiple = control.attrs.choice === 'multiple';
      const nested = isNested(control);
      const resultOf = (opt) => choiceValue(control, opt);
      if (control.attrs.layout === 'select') return selectBox(control, app, multiple, resultOf);
      const inline = control.attrs.showInline === 'true' || control.attrs.layout === 'inline';
      const list = h('div', { class: `ls-choices-list${inline ? ' ls-inline' : ''}`, role: multiple ? 'group' : 'radiogroup' });
      const buttons = [];
      const binding = bindControl(app, control, (selected) => {
        const set = new Set((selected || []).map(keyOf));
        for (const { btn, opt } of buttons) {
          const on = set.has(keyOf(resultOf(opt))) || (nested && multiple && opt.children.length > 0 && leaves(opt).every((l) => set.has(keyOf(resultOf(l)))));
          btn.classList.toggle('ls-selected', on);
          btn.setAttribute('aria-checked', String(on));
        }
      });
      for (const opt of control.options) {
        const depth = nested ? opt.path.length - 1 : 0;
        const btn = h('button', {
          type: 'button', class: `ls-choice${depth ? ' ls-choice-nested' : ''}`, role: multiple ? 'checkbox' : 'radio', 'aria-checked': 'false',
          'data-value': opt.value, 'data-control': control.name, 'data-path': nested ? opt.path.join('/') : null, disabled: app.readOnly, title: opt.attrs.hint || null,
          style: { '--ls-color': opt.color, ...(depth ? { 'margin-left': `${depth * 18}px` } : {}) },
        }, h('span', { class: `ls-choice-mark${multiple ? ' ls-check' : ''}` }), h('span', { class: 'ls-choice-text', text: opt.value }),
        opt.hotkey ? h('kbd', { class: 'ls-hotkey', text: formatCombo(opt.hotkey) }) : null);
        btn.addEventListener('click', () => binding.set(toggleChoice(control, binding.get(), opt)));
        buttons.push({ btn, opt });
        list.append(btn);
      }
      control.pick = (opt) => binding.set(toggleChoice(control, binding.get(), opt)); // its hotkeys
      binding.refresh();
      return controlBox(control, 'ls-choices', list);
    },
  },
};

// layout="select": a drop-down (a multi-select list with choice="multiple"), as Label Studio draws it.
function selectBox(control, app, multiple, resultOf) {
  const values = control.options.map(resultOf);
  const select = h('select', { class: 'ls-choices-select', 'data-control': control.name, multiple, disabled: app.readOnly, 'aria-label': control.attrs.title || control.name },
    multiple ? null : h('option', { value: '', text: control.attrs.placeholder || '—' }),
    control.options.map((opt, i) => h('option', { value: String(i), text: '\u00a0\u00a0'.repeat(opt.path.length - 1) + opt.value, title: opt.attrs.hint || null })));
  const binding = bindControl(app, control, (selected) => {
    const set = new Set((selected || []).map(keyOf));
    for (const o of select.options) o.selected = o.value !== '' && set.has(keyOf(values[Number(o.value)]));
    if (!multiple && !set.size) select.value = '';
  });
  select.addEventListener('change', () => binding.set([...select.selectedOptions].filter((o) => o.value !== '').map((o) => values[Number(o.value)])));
  select.addEventListener('keydown', (ev) => ev.stopPropagation());
  control.pick = (opt) => binding.set(toggleChoice(control, binding.get(), opt));
  binding.refresh();
  return controlBox(control, 'ls-choices', select);
}
