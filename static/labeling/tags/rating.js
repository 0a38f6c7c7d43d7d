// Rating control: stars 1..maxRating; clicking the current value clears it.
import { h } from '../ui/dom.js';
import { bindControl, controlBox } from './common.js';

export const tags = {
  Rating: {
    render(control, app) {
      const max = Math.max(1, Math.min(20, Number(control.attrs.maxRating) || 5));
      const stars = [];
      const icon = { heart: '♥', fire: '🔥', smile: '☺' }[control.attrs.icon] || '★';
      const binding = bindControl(app, control, (value) => {
        stars.forEach((s, i) => {
          s.classList.toggle('ls-selected', value != null && i < value);
          s.setAttribute('aria-checked', String(value === i + 1));
        });
      });
      const el = h('div', { class: `ls-rating-stars ls-size-${control.attrs.size || 'medium'}`, role: 'radiogroup' });
      for (let i = 1; i <= max; i++) {
        const star = h('button', { type: 'button', class: 'ls-rating-star', 'data-value': String(i), role: 'radio', 'aria-label': `${i} of ${max}`, disabled: app.readOnly, text: icon });
        star.addEventListener('click', () => binding.set(binding.get() === i ? null : i));
        stars.push(star);
        el.append(star);
      }
      if (control.attrs.hotkey && !app.readOnly) {
        app.hotkeys.add(control.attrs.hotkey, () => binding.set(((binding.get() || 0) % max) + 1), { description: `Rating "${control.name}" +1`, group: control.name });
      }
      if (control.attrs.defaultValue && Number(control.attrs.defaultValue) > 0 && !app.readOnly) {
        queueMicrotask(() => binding.get() == null && !control.perRegion && binding.set(Number(control.attrs.defaultValue), { history: false }));
      }
      binding.refresh();
      return controlBox(control, 'ls-rating', el);
    },
  },
};
