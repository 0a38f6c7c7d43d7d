// What a click on a Choice, or its hotkey, does to the Choices control's value — DOM-free, so the
// button, the drop-down and the hotkey write the same thing. With allowNested the value is a list
// of paths from the top ([["Parent", "Child"]]), as Label Studio writes it: an option is known by
// its path, never by its bare value (the same leaf may sit under two parents).
import { optionResultValue } from './config.js';

export const isNested = (control) => [control.attrs.allowNested, control.attrs.allownested].includes('true');
export const keyOf = (v) => (Array.isArray(v) ? JSON.stringify(v) : v);
export const leaves = (opt) => (opt.children.length ? opt.children.flatMap(leaves) : [opt]);

/** The result value of one option: its path under allowNested, else its alias or value. */
export const choiceValue = (control, opt) => (isNested(control) ? opt.path : optionResultValue(opt));

/** The control's value after picking `opt`, given its value now (`current`, a list or null). */
export function toggleChoice(control, current, opt) {
  const multiple = control.attrs.choice === 'multiple';
  const cur = current || [];
  const has = (v) => cur.some((c) => keyOf(c) === keyOf(v));
  const value = choiceValue(control, opt);
  if (multiple && isNested(control) && opt.children.length) { // a parent toggles all its leaves
    const ls = leaves(opt).map((l) => choiceValue(control, l));
    const keys = new Set(ls.map(keyOf));
    return ls.every(has) ? cur.filter((c) => !keys.has(keyOf(c))) : [...cur, ...ls.filter((l) => !has(l))];
  }
  if (multiple) return has(value) ? cur.filter((v) => keyOf(v) !== keyOf(value)) : [...cur, value];
  return has(value) && cur.length === 1 ? [] : [value];
}
