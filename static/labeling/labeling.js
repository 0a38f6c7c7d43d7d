// Entry point: new LabelingInterface(element, {config, task, completions, predictions, onSubmit, ...}).
import { parseConfig, resolveValue, isVisible, perRegionApplies, optionResultValue } from './config.js';
import { Store } from './store.js';
import { readResult, serialize, validate, isRegion, labelsOf, regionGeometry } from './result.js';
import { Hotkeys, formatCombo, resolveHotkey } from './hotkeys.js';
import { labelStatus, nothingCreatedReason } from './labelkeys.js';
import { getTag } from './registry.js';
import { h, paletteColor, cssColor } from './ui/dom.js';
import { RegionsPanel } from './ui/regions-panel.js';
import { RelationArrows } from './ui/relation-arrows.js';
import { HelpOverlay } from './ui/help.js';
import { applyDynamicOptions } from './dynamic-options.js';

const now = () => (globalThis.performance ? performance.now() : Date.now());

export class LabelingInterface {
  constructor(element, options = {}) {
    if (!element) throw new Error('LabelingInterface needs a container element');
    this.el = element;
    this.options = options;
    this.readOnly = !!options.readOnly;
    this.store = new Store();
    this.hotkeys = new Hotkeys();
    this.cleanups = [];
    this.conditionals = [];
    this.objects = new Map();
    this.active = new Map(); // object name -> {control, labels}
    this.toolListeners = new Set();
    this.task = options.task || { id: null, data: {} };
    this.data = this.task.data || {};
    this.user = options.user || null;
    this.completion = null;
    this.startedAt = now();
    try {
      this.config = typeof options.config === 'string' || options.config == null ? parseConfig(options.config || '<View/>', { data: this.data }) : options.config;
    } catch (err) {
      this.el.replaceChildren(h('div', { class: 'ls-root' }, h('div', { class: 'ls-error', role: 'alert', text: `Labeling config error: ${err.message}` })));
      this.error = err;
      return;
    }
    applyDynamicOptions(this.config, this.data);
    this.assignColors();
    this.build();
    const completions = options.completions || [];
    const predictions = options.predictions || [];
    if (completions.length) this.loadCompletion(completions[0]);
    else if (predictions.length) this.loadPrediction(predictions[0]);
    else this.store.emit({ type: 'reset' });
    this.cleanups.push(this.store.subscribe((change) => this.onChange(change)));
    this.updateConditionals(); // the first state too (no region selected yet)
    this.updateStatus();
  }

  // ---------- public API ----------

  /** Current result items in Label Studio's shape. */
  getResult() {
    return serialize(this.store.items);
  }

  /** Load a completion ({id, result} or a bare result array) for editing. */
  loadCompletion(c) {
    const result = Array.isArray(c) ? c : (c && c.result) || [];
    this.completion = Array.isArray(c) ? null : c || null;
    this.store.load(readResult(result));
    this.startedAt = now();
    this.updateButtons();
  }

  /** Load a prediction as editable pre-annotations (origin "prediction"). */
  loadPrediction(p) {
    const result = Array.isArray(p) ? p : (p && p.result) || [];
    this.completion = null;
    this.store.load(readResult(result, { fromPrediction: true }));
    this.startedAt = now();
    this.updateButtons();
  }

  validate() {
    const extra = (this.checks || []).map((check) => check()).filter(Boolean); // tags' own checks (Chat minMessages)
    return [...validate(this.config, this.store.items, { isActive: (c) => this.controlVisible(c) }), ...extra];
  }

  submit() {
    return this.finish(this.completion && this.completion.id != null ? 'onUpdate' : 'onSubmit');
  }

  skip() {
    this.options.onSkip?.({ lead_time: this.leadTime(), task: this.task });
  }

  undo() { if (!this.readOnly) this.store.undo(); }
  redo() { if (!this.readOnly) this.store.redo(); }

  destroy() {
    for (const fn of this.cleanups.splice(0)) fn();
    this.hotkeys.detach();
    this.el.replaceChildren();
    this.destroyed = true;
  }

  // ---------- internals used by tag modules ----------

  leadTime() {
    return Math.round((now() - this.startedAt)) / 1000;
  }

  finish(cb) {
    const errors = this.validate();
    this.showErrors(errors);
    if (errors.length) return false;
    const result = this.getResult();
    const meta = { lead_time: this.leadTime(), task: this.task, completion: this.completion };
    this.options[cb]?.(result, meta);
    return true;
  }

  showErrors(errors) {
    this.errorsEl.replaceChildren(...errors.map((e) => h('div', { class: 'ls-error', 'data-control': e.control, text: e.message })));
  }

  resolve(value) {
    return resolveValue(value, this.data);
  }

  controlsFor(objectName) {
    return this.config.controls.filter((c) => c.toName.includes(objectName));
  }

  assignColors() {
    const used = new Set();
    for (const c of this.config.controls) for (const o of c.options) if (o.hotkey) used.add(o.hotkey);
    let digit = 1;
    let i = 0;
    for (const c of this.config.controls) {
      const isLabels = /labels$/i.test(c.tag) || c.tag === 'Labels';
      for (const o of c.options) {
        o.color = cssColor(o.background, paletteColor(i++));
        if (isLabels && !o.hotkey && digit <= 9) {
          while (used.has(String(digit)) && digit <= 9) digit++;
          if (digit <= 9) o.hotkey = String(digit++);
        }
      }
    }
  }

  colorFor(item) {
    const control = this.config.byName.get(item.from_name);
    const label = labelsOf(item)[0];
    const opt = control && control.options && control.options.find((o) => optionResultValue(o) === label);
    return opt ? opt.color : control && control.attrs.strokeColor ? cssColor(control.attrs.strokeColor) : '#f59e0b';
  }

  // Drawing tool state per object.
  getActive(objectName) {
    return this.active.get(objectName) || null;
  }

  setActive(control, labels) {
    for (const name of control.toName) {
      if (!labels || (Array.isArray(labels) && !labels.length)) this.active.delete(name);
      else this.active.set(name, { control, labels: labels === true ? [] : labels });
    }
    for (const fn of this.toolListeners) fn(control);
    this.updateStatus();
  }

  /** Objects that have label palettes or drawing tools, with their label keys (for the status line). */
  labelObjects() {
    const drawing = (c) => /labels$/i.test(c.tag) || /^(Rectangle|Polygon|KeyPoint|Ellipse|Brush)$/.test(c.tag);
    const out = new Map();
    for (const c of this.config.controls.filter(drawing)) {
      for (const name of c.toName) {
        if (!out.has(name)) out.set(name, { name, controls: [] });
        const tool = !/labels$/i.test(c.tag);
        const keys = tool ? [c.attrs.hotkey].filter(Boolean) : c.options.filter((o) => o.hotkey).map((o) => o.hotkey);
        out.get(name).controls.push({ name: c.name, tool, keys: keys.map((k) => formatCombo(k)) });
      }
    }
    return [...out.values()];
  }

  /** Refresh the status line: active label, explicitly selected region, or why nothing is drawn. */
  updateStatus() {
    if (!this.statusEl) return;
    if (this.readOnly) {
      this.statusEl.hidden = true;
      return;
    }
    const objects = this.labelObjects();
    const sel = this.selectedRegion();
    const selected = sel && objects.some((o) => o.name === sel.to_name) ? { id: sel.id, labels: labelsOf(sel) } : null;
    const { state, text } = labelStatus({ objects, active: this.active, selected });
    this.statusEl.dataset.state = state;
    this.statusEl.textContent = text;
    this.statusEl.hidden = !text;
  }

  /** Say why a drag or a text selection on `objectName` created nothing (no active label). */
  nothingCreated(objectName) {
    if (!this.statusEl || this.readOnly) return;
    const obj = this.labelObjects().find((o) => o.name === objectName);
    if (!obj) return;
    this.statusEl.dataset.state = 'warning';
    this.statusEl.textContent = nothingCreatedReason({ keys: obj.controls.flatMap((c) => c.keys), controls: obj.controls });
    this.statusEl.hidden = false;
  }

  onTool(fn) {
    this.toolListeners.add(fn);
    return () => this.toolListeners.delete(fn);
  }

  selectedRegion() {
    const id = this.store.selectedId;
    return id ? this.store.region(id) || this.virtualRegions?.get(id) || null : null; // virtual: a Chat's data messages
  }

  /**
   * Add a new region made by the user and ask the interactive hook. The new region is NOT selected
   * (and any selection is dropped): label keys then set the label of the next region instead of
   * relabeling this one. Selecting a region for relabeling is an explicit click.
   */
  addRegion(item) {
    const added = this.store.add(item);
    this.store.select(null);
    const hook = this.options.interactive && this.options.interactive.onRegionSeed;
    if (hook) {
      Promise.resolve(hook(serialize([added])[0])).then((extra) => {
        const items = readResult(Array.isArray(extra) ? extra : (extra && extra.result) || [], { fromPrediction: true });
        if (items.length && !this.destroyed) {
          this.store.checkpoint();
          for (const it of items) this.store.upsert(it, { history: false, keepOrigin: true });
        }
      }).catch((err) => console.warn('interactive pre-annotation failed', err));
    }
    return added;
  }

  /** Update a region item in one undo step and keep per-region items' copied geometry in sync. */
  updateRegion(id, fromName, fn) {
    const store = this.store;
    store.checkpoint();
    const next = store.update(id, fromName, fn, { history: false });
    if (!next) return null;
    const geom = regionGeometry(next);
    for (const it of store.items) {
      if (it.id === id && it.from_name !== fromName && !isRegion(it)) {
        store.update(it.id, it.from_name, (old) => ({ ...old, value: { ...old.value, ...geom } }), { history: false, keepOrigin: true });
      }
    }
    return next;
  }

  on(fn) {
    const off = this.store.subscribe(fn);
    this.cleanups.push(off);
    return off;
  }

  // ---------- rendering ----------

  build() {
    const root = h('div', { class: `ls-root${this.readOnly ? ' ls-readonly' : ''}`, tabindex: '-1' });
    this.root = root;
    this.mainEl = h('div', { class: 'ls-main' });
    this.errorsEl = h('div', { class: 'ls-errors', role: 'alert' });
    this.sideEl = h('aside', { class: 'ls-side' });
    const bar = h('div', { class: 'ls-controls' });
    this.undoBtn = h('button', { type: 'button', class: 'ls-btn ls-undo', title: 'Undo (Ctrl+Z)', onClick: () => this.undo() }, '↶ Undo');
    this.redoBtn = h('button', { type: 'button', class: 'ls-btn ls-redo', title: 'Redo (Ctrl+Shift+Z)', onClick: () => this.redo() }, '↷ Redo');
    const helpBtn = h('button', { type: 'button', class: 'ls-btn ls-help-button', title: 'Keyboard shortcuts (?)', onClick: () => this.help.toggle() }, '?');
    this.skipBtn = h('button', { type: 'button', class: 'ls-btn ls-skip', onClick: () => this.skip() }, 'Skip');
    this.submitBtn = h('button', { type: 'button', class: 'ls-btn ls-primary ls-submit', onClick: () => this.submit() }, 'Submit');
    this.updateBtn = h('button', { type: 'button', class: 'ls-btn ls-primary ls-update', onClick: () => this.submit() }, 'Update');
    this.statusEl = h('div', { class: 'ls-status', role: 'status', 'aria-live': 'polite' });
    bar.append(this.undoBtn, this.redoBtn, helpBtn, this.statusEl, h('span', { class: 'ls-spacer' }));
    if (!this.readOnly) {
      if (this.options.onSkip) bar.append(this.skipBtn);
      bar.append(this.submitBtn, this.updateBtn);
    }
    const layout = h('div', { class: 'ls-layout' }, h('div', { class: 'ls-content' }, this.mainEl, this.errorsEl), this.sideEl);
    this.sideEl.hidden = !this.config.controls.some((c) => /labels$|^(rectangle|polygon|keypoint|ellipse|brush)$/.test(c.type));
    root.append(bar, layout);
    for (const css of this.config.styles) root.append(h('style', { text: css }));
    this.el.replaceChildren(root);
    this.renderChildren(this.config.root, this.mainEl, true);
    this.panel = new RegionsPanel(this);
    this.sideEl.append(this.panel.el);
    this.arrows = new RelationArrows(this);
    this.help = new HelpOverlay(this);
    root.append(this.help.el);
    this.bindHotkeys();
  }

  renderChildren(node, parentEl, self = false) {
    const nodes = self ? [node] : node.children;
    for (const child of nodes) {
      const el = this.renderNode(child);
      if (el) parentEl.append(el);
    }
  }

  renderNode(node) {
    const mod = getTag(node.tag);
    let el;
    if (mod) el = mod.render(node, this);
    else if (node.children.length) {
      el = h('div', { class: `ls-unknown ls-tag-${node.tag}` });
      this.renderChildren(node, el);
    }
    if (el && (node.attrs.visibleWhen || node.perRegion)) {
      this.conditionals.push({ node, el });
      el.classList.add('ls-conditional');
    }
    return el || null;
  }

  controlVisible(node) {
    const cond = this.conditionals.find((c) => c.node === node);
    return !cond || !cond.el.hidden;
  }

  visibilityCtx() {
    const items = this.store.items;
    const region = this.selectedRegion();
    const choicesOf = (it) => (it.type === 'choices' && !isRegion(it) ? it.value.choices || [] : []);
    return {
      choices: (name) => items.filter((it) => it.from_name === name).flatMap(choicesOf),
      allChoices: () => items.flatMap(choicesOf),
      selectedRegion: region ? { from_name: region.from_name, to_name: region.to_name, labels: labelsOf(region), role: region.value?.chatmessage?.role } : null,
    };
  }

  updateConditionals() {
    const ctx = this.visibilityCtx();
    const region = this.selectedRegion();
    for (const { node, el } of this.conditionals) {
      let show = isVisible(node, ctx);
      if (show && node.perRegion) show = perRegionApplies(node, region);
      if (el.hidden === show) el.hidden = !show;
    }
  }

  updateButtons() {
    if (!this.undoBtn) return;
    this.undoBtn.disabled = this.readOnly || !this.store.canUndo;
    this.redoBtn.disabled = this.readOnly || !this.store.canRedo;
    const editing = !!(this.completion && this.completion.id != null);
    this.submitBtn.hidden = editing;
    this.updateBtn.hidden = !editing;
  }

  onChange(change) {
    if (change.type !== 'visibility') this.updateConditionals();
    if (change.type === 'select' || change.type === 'reset' || change.type === 'add' || (change.item && change.item.id === this.store.selectedId)) this.updateStatus();
    this.updateButtons();
    this.options.onChange?.(change.type === 'select' ? null : this.getResult(), change);
  }

  bindHotkeys() {
    if (this.readOnly) return;
    const hk = this.hotkeys;
    // personal hotkeys (options.customHotkeys, Label Studio's action names) replace the defaults
    const key = (action, fallback) => resolveHotkey(this.options.customHotkeys, action, fallback);
    hk.add(key('annotation:undo', 'ctrl+z'), () => this.undo(), { description: 'Undo', allowInInputs: false });
    hk.add(key('annotation:redo', 'ctrl+shift+z'), () => this.redo(), { description: 'Redo' });
    hk.add('ctrl+y', () => this.redo(), { description: 'Redo' });
    hk.add(key('annotation:submit', 'ctrl+enter'), () => this.submit(), { description: 'Submit / update', allowInInputs: true });
    hk.add(key('help', '?'), () => this.help.toggle(), { description: 'Show / hide this help' });
    hk.add('escape', () => {
      if (this.panel.linkFrom) this.panel.setLink(null);
      else if ([...this.objects.values()].some((v) => v.cancel && v.cancel())) return true;
      else if (this.help.open) this.help.toggle(false);
      else if (this.store.selectedId) this.store.select(null);
      else if (this.active.size) {
        for (const { control } of [...this.active.values()]) this.setActive(control, null);
      } else return false;
      return true;
    }, { description: 'Close help / deselect region / clear the active label' });
    const del = () => {
      const id = this.store.selectedId;
      if (!id) return false;
      this.store.remove(id);
      return true;
    };
    hk.add(key('region:delete', 'delete'), del, { description: 'Delete selected region' });
    hk.add('backspace', del);
    for (const c of this.config.controls) {
      for (const o of c.options) {
        if (!o.hotkey) continue;
        hk.add(o.hotkey, () => {
          if (c.tag === 'Choices' && c.pick) { // by the option itself: a nested one writes its path
            const box = this.root.querySelector(`.ls-control[data-name="${CSS.escape(c.name)}"]`);
            if (!box || box.closest('[hidden]')) return false;
            c.pick(o);
            return true;
          }
          const btn = this.root.querySelector(`[data-control="${CSS.escape(c.name)}"][data-value="${CSS.escape(o.value)}"]`);
          if (!btn || btn.closest('[hidden]')) return false;
          btn.click();
          return true;
        },
          { description: `${c.tag === 'Choices' ? 'Choice' : 'Label'} "${o.value}"`, group: c.name });
      }
    }
    hk.attach(this.el.ownerDocument);
  }
}

if (typeof window !== 'undefined') window.LabelingInterface = LabelingInterface;
