// <Repeater on="$array" indexFlag="{{idx}}" mode="scroll|pagination">: its children are repeated
// once per element of the task's array, with indexFlag replaced by the index (0-based) in every
// attribute and text ("page_{{idx}}", "$images[{{idx}}].url"). DOM-free, on the parsed tag tree.

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function cloneWith(node, parent, flag, index) {
  const sub = (v) => (typeof v === 'string' ? v.replace(flag, String(index)) : v);
  const copy = { ...node, parent, attrs: {}, text: sub(node.text), children: [] };
  for (const [k, v] of Object.entries(node.attrs)) copy.attrs[k] = sub(v);
  copy.children = node.children.map((c) => cloneWith(c, copy, flag, index));
  return copy;
}

/** The array a Repeater runs over: `on="$key"` or a path `$key.sub[0]` in the task data. */
export function repeaterItems(node, resolve) {
  const got = resolve(node.attrs.on);
  return Array.isArray(got) ? got : [];
}

/** Replace each Repeater's children by one View per array element (nested Repeaters too). */
export function expandRepeaters(node, resolve) {
  for (const child of node.children) expandRepeaters(child, resolve);
  if (node.tag !== 'Repeater') return node;
  const flag = new RegExp(escapeRe(node.attrs.indexFlag || '{{idx}}'), 'g');
  const template = node.children;
  node.children = repeaterItems(node, resolve).map((_, i) => {
    const group = { tag: 'View', attrs: { className: 'ls-repeater-item' }, children: [], parent: node, line: node.line, text: '', repeatIndex: i };
    group.children = template.map((c) => cloneWith(c, group, flag, i));
    return group;
  });
  return node;
}
