// Taxonomy tree logic, DOM-free: search filtering and user-added items (isEditable).
// A tree is [{value, key, path, children}] as config.js builds it.

export const pathKey = (path) => path.join('\u0000');

function* walk(nodes) {
  for (const n of nodes) {
    yield n;
    yield* walk(n.children);
  }
}

/**
 * Path keys to show for a search query: items whose text contains it (case-insensitive), their
 * ancestors (to reach them) and their descendants. null for an empty query (show everything).
 */
export function visiblePaths(tree, query) {
  const q = String(query || '').trim().toLowerCase();
  if (!q) return null;
  const show = new Set();
  for (const n of walk(tree)) {
    if (!String(n.value).toLowerCase().includes(q)) continue;
    for (let i = 1; i <= n.path.length; i++) show.add(pathKey(n.path.slice(0, i)));
    for (const d of walk(n.children)) show.add(pathKey(d.path));
  }
  return show;
}

/** The node at `path` ([] is the root list's owner: returns {children: tree}), or null. */
export function nodeAt(tree, path) {
  let node = { children: tree, path: [] };
  for (const step of path) {
    node = node.children.find((c) => c.key === step);
    if (!node) return null;
  }
  return node;
}

/** Add a user item under `parentPath`; returns the new node. Throws on an empty or duplicate name. */
export function addItem(tree, parentPath, value) {
  const name = String(value ?? '').trim();
  if (!name) throw new Error('The new item needs a name');
  const parent = nodeAt(tree, parentPath);
  if (!parent) throw new Error(`No item at ${parentPath.join(' / ')}`);
  if (parent.children.some((c) => c.key === name)) throw new Error(`${name} is already there`);
  const node = { value: name, key: name, path: [...parentPath, name], children: [], user: true };
  parent.children.push(node);
  return node;
}

/** Add the items of result paths missing from the tree (user items of a loaded annotation). */
export function mergePaths(tree, paths) {
  for (const path of Array.isArray(paths) ? paths : []) {
    if (!Array.isArray(path)) continue;
    for (let i = 0; i < path.length; i++) {
      if (!nodeAt(tree, path.slice(0, i + 1))) addItem(tree, path.slice(0, i), path[i]);
    }
  }
}
