// Pairwise control: pick the left or the right object. Like Label Studio the
// result item's to_name is the control's own name: {selected: "left"|"right"}.
import { h } from '../ui/dom.js';
import { bindControl, controlBox } from './common.js';

export const tags = {
  Pairwise: {
    render(control, app) {
      const [leftName, rightName] = control.toName;
      const left = h('button', { type: 'button', class: 'ls-btn ls-pairwise-left', 'data-value': 'left', disabled: app.readOnly, text: `◀ ${control.attrs.leftLabel || 'Left is better'}` });
      const right = h('button', { type: 'button', class: 'ls-btn ls-pairwise-right', 'data-value': 'right', disabled: app.readOnly, text: `${control.attrs.rightLabel || 'Right is better'} ▶` });
      const binding = bindControl(app, control, (sel) => {
        left.classList.toggle('ls-selected', sel === 'left');
        right.classList.toggle('ls-selected', sel === 'right');
        for (const [name, side] of [[leftName, 'left'], [rightName, 'right']]) {
          const view = app.objects.get(name);
          if (view) view.el.classList.toggle('ls-pairwise-chosen', sel === side);
        }
      }, { toName: control.name });
      const pick = (side) => binding.set(binding.get() === side ? null : side);
      left.addEventListener('click', () => pick('left'));
      right.addEventListener('click', () => pick('right'));
      queueMicrotask(() => {
        for (const [name, side] of [[leftName, 'left'], [rightName, 'right']]) {
          const view = app.objects.get(name);
          if (view && !app.readOnly) {
            view.el.classList.add('ls-pairwise-item');
            view.el.addEventListener('click', (ev) => { if (ev.detail === 2) pick(side); });
          }
        }
        binding.refresh();
      });
      return controlBox(control, 'ls-pairwise', h('div', { class: 'ls-pairwise-buttons' }, left, right));
    },
  },
};
