// Result store: an ordered list of immutable result items plus selection and
// hidden flags, with snapshot undo/redo. DOM-free; listeners get fine-grained
// change events so views can update single SVG/DOM nodes in place.

export const itemKey = (it) => (it.type === 'relation' ? `rel|${it.from_id}|${it.to_id}` : `${it.id}|${it.from_name}`);

export class Store {
  constructor({ historyLimit = 200 } = {}) {
    this.items = [];
    this.undoStack = [];
    this.redoStack = [];
    this.historyLimit = historyLimit;
    this.hidden = new Set();
    this.selectedId = null;
    this.listeners = new Set();
    this.version = 0;
  }

  subscribe(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  emit(change) {
    this.version++;
    for (const fn of [...this.listeners]) fn(change, this);
  }

  /** Replace everything (loading a completion); clears history. */
  load(items) {
    this.items = items.map((it) => Object.freeze({ ...it }));
    this.undoStack = [];
    this.redoStack = [];
    this.hidden.clear();
    this.selectedId = null;
    this.emit({ type: 'reset' });
  }

  /** Push the current state to the undo stack (call before a change or at the start of a drag). */
  checkpoint() {
    this.undoStack.push(this.items);
    if (this.undoStack.length > this.historyLimit) this.undoStack.shift();
    this.redoStack = [];
  }

  get canUndo() { return this.undoStack.length > 0; }
  get canRedo() { return this.redoStack.length > 0; }

  undo() {
    if (!this.canUndo) return false;
    this.redoStack.push(this.items);
    this.items = this.undoStack.pop();
    this.fixSelection();
    this.emit({ type: 'reset', reason: 'undo' });
    return true;
  }

  redo() {
    if (!this.canRedo) return false;
    this.undoStack.push(this.items);
    this.items = this.redoStack.pop();
    this.fixSelection();
    this.emit({ type: 'reset', reason: 'redo' });
    return true;
  }

  fixSelection() {
    if (this.selectedId && !this.items.some((it) => it.id === this.selectedId)) this.selectedId = null;
  }

  find(id, fromName) {
    return this.items.find((it) => it.id === id && (fromName == null || it.from_name === fromName)) || null;
  }

  byControl(name) {
    return this.items.filter((it) => it.from_name === name);
  }

  /** The region item for an id (the first item carrying that id). */
  region(id) {
    return this.items.find((it) => it.id === id && it.type !== 'relation') || null;
  }

  add(item, { history = true } = {}) {
    if (history) this.checkpoint();
    const frozen = Object.freeze({ ...item });
    this.items = [...this.items, frozen];
    this.emit({ type: 'add', item: frozen });
    return frozen;
  }

  /**
   * Update one item: patch is an object merged into the item, or fn(item) -> new item.
   * history:false is for continuous drags (call checkpoint() once at drag start).
   */
  update(id, fromName, patch, { history = true, keepOrigin = false } = {}) {
    const idx = this.items.findIndex((it) => it.id === id && it.from_name === fromName);
    if (idx < 0) return null;
    if (history) this.checkpoint();
    const old = this.items[idx];
    let next = typeof patch === 'function' ? patch(old) : { ...old, ...patch };
    if (!keepOrigin && old.origin === 'prediction') next = { ...next, origin: 'prediction-changed' };
    next = Object.freeze(next);
    const items = this.items.slice();
    items[idx] = next;
    this.items = items;
    this.emit({ type: 'update', item: next, old });
    return next;
  }

  /** Insert or replace an item by key (id + from_name). */
  upsert(item, opts = {}) {
    if (this.find(item.id, item.from_name)) return this.update(item.id, item.from_name, () => item, opts);
    return this.add(item, opts);
  }

  /** Remove a region: all items with this id and relations touching it. */
  remove(id, { history = true } = {}) {
    const gone = this.items.filter((it) => it.id === id || (it.type === 'relation' && (it.from_id === id || it.to_id === id)));
    if (!gone.length) return false;
    if (history) this.checkpoint();
    this.items = this.items.filter((it) => !gone.includes(it));
    if (this.selectedId === id) this.selectedId = null;
    this.hidden.delete(id);
    for (const item of gone) this.emit({ type: 'remove', item });
    return true;
  }

  /** Remove a single item by key (e.g. unsetting a per-region choice or a relation). */
  removeItem(item, { history = true } = {}) {
    const key = itemKey(item);
    const found = this.items.find((it) => itemKey(it) === key);
    if (!found) return false;
    if (history) this.checkpoint();
    this.items = this.items.filter((it) => it !== found);
    this.emit({ type: 'remove', item: found });
    return true;
  }

  select(id) {
    if (this.selectedId === id) return;
    const prev = this.selectedId;
    this.selectedId = id;
    this.emit({ type: 'select', id, prev });
  }

  setHidden(id, hidden) {
    if (hidden) this.hidden.add(id);
    else this.hidden.delete(id);
    this.emit({ type: 'visibility', id, hidden });
  }

  isHidden(id) {
    return this.hidden.has(id);
  }
}
