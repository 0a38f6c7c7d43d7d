// Keyboard-first labeling rules, DOM-free (unit-tested with node --test).
//
// - A label key (or a click on a label) sets the active label for the NEXT region of its object.
// - A region just drawn is not selected, so label keys never relabel it by accident; a region is
//   relabeled only after the user selected it explicitly (clicked it on the object or in the
//   regions list), and the UI shows that selection.
// - Pressing the active label's key again keeps it active (single-choice palettes); with
//   choice="multiple" a key toggles its label, and an empty set is shown as a reason, never silent.
import { labelsOf } from './result.js';

const toggle = (list, value) => (list.includes(value) ? list.filter((v) => v !== value) : [...list, value]);

/**
 * What pressing/clicking label `value` of `control` does.
 *   selected: the selected region item (or null), active: {control, labels} for the control's object.
 * Returns {kind: 'relabel', labels} | {kind: 'activate', labels} | {kind: 'keep', reason}.
 */
export function labelAction({ control, value, multiple = false, selected = null, active = null }) {
  if (selected && selected.from_name === control.name) {
    const cur = labelsOf(selected);
    const next = multiple ? toggle(cur, value) : [value];
    if (!next.length) return { kind: 'keep', reason: 'A region keeps at least one label: pick another label first.' };
    return { kind: 'relabel', labels: next };
  }
  const cur = active && active.control === control ? active.labels : [];
  if (!multiple) return { kind: 'activate', labels: [value] };
  return { kind: 'activate', labels: toggle(cur, value) };
}

const keyHint = (keys, what = 'a label') => {
  const k = keys.filter(Boolean);
  if (!k.length) return `click ${what}`;
  if (k.length === 1) return `press ${k[0]} or click ${what}`;
  return `press ${k[0]}–${k[k.length - 1]} or click ${what}`;
};
const pick = (controls) => (controls.length && controls.every((c) => c.tool) ? 'a tool' : 'a label');

/**
 * The status line: what the next drag/selection will create, or why it creates nothing.
 *   objects: [{name, controls: [{name, keys: [...], tool?}]}] — objects that have label palettes or tools
 *   active:  Map/obj object name -> {control: {name, tag}, labels}
 *   selected: {id, from_name, labels} or null (an explicitly selected region)
 * Returns {state: 'selected'|'active'|'none', text}.
 */
export function labelStatus({ objects, active, selected = null }) {
  const get = (name) => (active instanceof Map ? active.get(name) : active[name]) || null;
  if (selected) {
    const labels = selected.labels && selected.labels.length ? selected.labels.join(', ') : '(no label)';
    return { state: 'selected', text: `Selected region: ${labels}. Label keys relabel it; Esc deselects.` };
  }
  const parts = [];
  let missing = null;
  for (const obj of objects) {
    const a = get(obj.name);
    if (a && a.labels && a.labels.length) parts.push(objects.length > 1 ? `${obj.name}: ${a.labels.join(', ')}` : a.labels.join(', '));
    else if (a && a.control && !/labels$/i.test(a.control.tag || '')) parts.push(objects.length > 1 ? `${obj.name}: ${a.control.tag} tool` : `${a.control.tag} tool`);
    else if (!missing) missing = obj;
  }
  if (parts.length && !missing) return { state: 'active', text: `Active label: ${parts.join('; ')}` };
  if (parts.length) return { state: 'active', text: `Active label: ${parts.join('; ')} (no label for ${missing.name})` };
  if (!objects.length) return { state: 'none', text: '' };
  const controls = objects.flatMap((o) => o.controls);
  const keys = controls.flatMap((c) => c.keys);
  return { state: 'none', text: `No active label: ${keyHint(keys, pick(controls))} before drawing or selecting.` };
}

/** The visible reason shown when a drag or text selection created nothing. */
export function nothingCreatedReason({ keys = [], controls = [] } = {}) {
  return `Nothing was created: no active label — ${keyHint(keys, pick(controls))} first.`;
}
