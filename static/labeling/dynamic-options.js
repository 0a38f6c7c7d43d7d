// Options from the task (Label Studio's "dynamic labels"): <Choices value="$options">, the
// *Labels controls and <Taxonomy> with value="$field" take their Choice/Label items from a task data
// list — objects {value, alias?, hint?, background?, selected?, html?} or plain strings — after those
// written in the config. Taxonomy (and Choices allowNested) items nest: {value, children: [...]}.
// DOM-free; a config parsed once and reused keeps its own items apart.
import { resolveValue } from './config.js';

const DYNAMIC = /^\s*\$[A-Za-z_]\w*\s*$/;
const applies = (c) => c.tag === 'Choices' || c.tag === 'Taxonomy' || /Labels$/.test(c.tag);

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
    const nested = c.tag === 'Taxonomy' || (c.tag === 'Choices' && [c.attrs.allowNested, c.attrs.allownested].includes('true'));
    const extra = [];
    const add = (list, parent) => {
      for (const o of Array.isArray(list) ? list : []) {
        const opt = toOption(o);
        if (!opt) continue;
        if (parent) { opt.path = [...parent.path, ...opt.path]; parent.children.push(opt); }
        extra.push(opt);
        if (nested) add(o.children, opt); // allowNested: {value, children: [...]}
      }
    };
    add(raw, null);
    const key = (o) => (nested ? o.path.join('\u0000') : o.value);
    const seen = new Set(c.staticOptions.map(key));
    c.options = [...c.staticOptions, ...extra.filter((o) => !seen.has(key(o)) && seen.add(key(o)))];
    if (c.tag === 'Taxonomy') c.tree = taxonomyWithData(c, raw);
    changed.push(c);
  }
  return changed;
}

/** The config's Taxonomy tree with the task's items merged in (same path = same node). */
function taxonomyWithData(c, raw) {
  if (!c.staticTree) c.staticTree = c.tree || [];
  const tree = structuredClone(c.staticTree);
  const merge = (nodes, list, parentPath) => {
    for (const o of Array.isArray(list) ? list : []) {
      const opt = toOption(o);
      if (!opt) continue;
      const key = opt.alias ?? opt.value;
      let node = nodes.find((n) => n.key === key);
      if (!node) {
        node = { value: opt.value, key, path: [...parentPath, key], children: [] };
        nodes.push(node);
      }
      merge(node.children, o.children, node.path);
    }
  };
  merge(tree, raw, []);
  return tree;
}
