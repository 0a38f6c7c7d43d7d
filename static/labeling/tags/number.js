// Number and DateTime controls.
import { h } from '../ui/dom.js';
import { bindControl, controlBox } from './common.js';

function inputControl(control, app, cls, type, parse) {
  const input = h('input', { type, class: 'ls-input', disabled: app.readOnly, 'aria-label': control.name });
  for (const k of ['min', 'max', 'step']) if (control.attrs[k] != null) input.setAttribute(k, control.attrs[k]);
  const binding = bindControl(app, control, (v) => {
    const s = v == null ? '' : String(v);
    if (input.value !== s && document.activeElement !== input) input.value = s;
  });
  input.addEventListener('change', () => binding.set(input.value === '' ? null : parse(input.value)));
  binding.refresh();
  return controlBox(control, cls, input);
}

export const tags = {
  Number: {
    render: (control, app) => inputControl(control, app, 'ls-number', 'number', (v) => Number(v)),
  },
  DateTime: {
    render(control, app) {
      const only = control.attrs.only || '';
      const type = /date/.test(only) && /time/.test(only) ? 'datetime-local' : only === 'date' ? 'date' : only === 'time' ? 'time' : only === 'month' ? 'month' : only === 'year' ? 'number' : 'datetime-local';
      return inputControl(control, app, 'ls-datetime', type, (v) => v);
    },
  },
};
