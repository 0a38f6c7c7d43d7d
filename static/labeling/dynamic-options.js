// Options from the task (Label Studio's "dynamic labels"): <Choices value="$options"> and the
// *Labels controls with value="$field" take their Choice/Label items from a task data list —
// objects {value, alias?, hint?, background?, selected?, html?} or plain strings — after those
// written in the config. DOM-free; a config parsed once and reused keeps its own items apart.
import { resolveValue } from './config.js';

const DYNAMIC = /^\s*\$[A-Za-z_]\w*\s*$/;
const applies = (c) => c.tag === 'Choices' || /Labels$/.test(c.tag);

function toOption(o) {
  const src = typeof o === 'string' || typeof o === 'number' ? { value: String(o) } : o && typeof o === 'object' && o.value != null ? o : null;
  if (!src) return null;
  const value = String(src.value);
  const alias = src.alias != null ? String(src.alias) : null;
  const attrs = { value };
  for (const k of ['alias', 'hint', 'background', 'hotkey']) if (src[k] != null) attrs[k] = String(src[k]);
  return {
    value, alias, hotkey: attrs.hotkey ?? null, background: attrs.background ?? null, selected: src.selected === true || src.selected === 'true',
    attrs, node: null, path: [alias ?? value], children: [], dynamic: true,
  };
}

/** Add the task's options to every control whose `value` names a task field; returns the controls changed. */
export function applyDynamicOptions(config, data) {
  const changed = [];
  for (const c of config.controls) {
    if (!applies(c) || typeof c.attrs.value !== 'string' || !DYNAMIC.test(c.attrs.value)) continue;
    if (!c.staticOptions) c.staticOptions = c.options;
    const raw = resolveValue(c.attrs.value.trim(), data);
    const extra = (Array.isArray(raw) ? raw : []).map(toOption).filter(Boolean);
    const seen = new Set(c.staticOptions.map((o) => o.value));
    c.options = [...c.staticOptions, ...extra.filter((o) => !seen.has(o.value) && seen.add(o.value))];
    changed.push(c);
  }
  return changed;
}
