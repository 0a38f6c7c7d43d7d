// Hotkeys: parse "ctrl+shift+z"-style combos, match keyboard events, keep a
// list for the help overlay. The matching core is DOM-free.

const ALIASES = { cmd: 'meta', command: 'meta', control: 'ctrl', option: 'alt', esc: 'escape', del: 'delete', space: ' ', plus: '+' };

export function parseCombo(str) {
  const parts = String(str).toLowerCase().split('+').map((p) => p.trim());
  // "ctrl++" -> key "+"
  if (parts.length > 1 && parts[parts.length - 1] === '' && parts[parts.length - 2] === '') parts.splice(-2, 2, '+');
  const combo = { ctrl: false, shift: false, alt: false, meta: false, key: '' };
  for (const p0 of parts) {
    const p = ALIASES[p0] || p0;
    if (p === 'ctrl' || p === 'mod') combo.ctrl = true;
    else if (p === 'shift') combo.shift = true;
    else if (p === 'alt') combo.alt = true;
    else if (p === 'meta') combo.meta = true;
    else combo.key = p;
  }
  return combo;
}

export function formatCombo(str) {
  const c = parseCombo(str);
  const mods = [c.ctrl && 'Ctrl', c.meta && 'Meta', c.alt && 'Alt', c.shift && 'Shift'].filter(Boolean);
  const key = c.key === ' ' ? 'Space' : c.key.length === 1 ? c.key.toUpperCase() : c.key[0].toUpperCase() + c.key.slice(1);
  return [...mods, key].join('+');
}

/** Does a keyboard event (or {key, ctrlKey, shiftKey, altKey, metaKey}) match the combo? */
export function eventMatches(combo, ev) {
  const c = typeof combo === 'string' ? parseCombo(combo) : combo;
  const key = String(ev.key || '').toLowerCase();
  if (key !== c.key) return false;
  const ctrl = !!(ev.ctrlKey || ev.metaKey);
  if (ctrl !== (c.ctrl || c.meta)) return false;
  if (!!ev.altKey !== c.alt) return false;
  // Shift matters for letters/named keys; for symbols ("?", "!") it is part of the key itself.
  const symbol = c.key.length === 1 && !/[a-z0-9]/.test(c.key);
  if (!symbol && !!ev.shiftKey !== c.shift) return false;
  return true;
}

const isTyping = (target) => {
  if (!target || !target.tagName) return false;
  const t = target.tagName.toLowerCase();
  return t === 'input' || t === 'textarea' || t === 'select' || target.isContentEditable;
};

/** The combo for an action, with a user's personal hotkeys (Label Studio's ``custom_hotkeys``:
 * ``{"annotation:submit": "ctrl+s"}`` or ``{"annotation:submit": {"key": "ctrl+s", "active": true}}``)
 * over the default; null when the user turned the action's key off (``active: false``). */
export function resolveHotkey(custom, action, fallback) {
  const spec = custom && typeof custom === 'object' ? custom[action] : undefined;
  if (typeof spec === 'string' && spec.trim()) return spec.trim();
  if (spec && typeof spec === 'object') {
    if (spec.active === false) return null;
    if (typeof spec.key === 'string' && spec.key.trim()) return spec.key.trim();
  }
  return fallback;
}

export class Hotkeys {
  constructor() {
    this.bindings = [];
    this.onKey = (ev) => this.handle(ev);
  }

  /** Register; returns an unregister function. group/description feed the help overlay. */
  add(combo, handler, { description = '', group = 'General', allowInInputs = false } = {}) {
    if (!combo) return () => {};
    const b = { combo: String(combo), parsed: parseCombo(combo), handler, description, group, allowInInputs };
    this.bindings.push(b);
    return () => {
      this.bindings = this.bindings.filter((x) => x !== b);
    };
  }

  handle(ev) {
    const typing = isTyping(ev.target);
    for (let i = this.bindings.length - 1; i >= 0; i--) {
      const b = this.bindings[i];
      if (typing && !b.allowInInputs && !b.parsed.ctrl) continue;
      if (eventMatches(b.parsed, ev)) {
        if (b.handler(ev) !== false) {
          ev.preventDefault?.();
          return true;
        }
      }
    }
    return false;
  }

  list() {
    return this.bindings.filter((b) => b.description).map((b) => ({ combo: formatCombo(b.combo), description: b.description, group: b.group }));
  }

  attach(target) {
    this.target = target;
    target.addEventListener('keydown', this.onKey);
  }

  detach() {
    if (this.target) this.target.removeEventListener('keydown', this.onKey);
    this.target = null;
    this.bindings = [];
  }
}
