// Label Studio's embedding entry point over our LabelingInterface, so a page written for Label
// Studio's front end switches by changing its script tag:
//   new LabelStudio(elementOrId, {config, task, interfaces, user, onLabelStudioLoad,
//                                 onSubmitAnnotation, onUpdateAnnotation, onSkipTask, ...})
// Callbacks get Label Studio's arguments: (ls, annotation[, extra]) where ls.annotationStore,
// ls.task, ls.user mirror its app store and annotation.serializeAnnotation() returns the result
// list. Shapes as Label Studio 1.23's front end calls them (docs/embed.md, "Label Studio's entry point").
import { LabelingInterface } from './labeling.js';

const ALL_INTERFACES = ['panel', 'update', 'submit', 'skip', 'controls', 'side-column', 'annotations:menu', 'annotations:add-new', 'predictions:menu'];
const EVENTS = {
  labelStudioLoad: 'onLabelStudioLoad',
  submitAnnotation: 'onSubmitAnnotation',
  updateAnnotation: 'onUpdateAnnotation',
  skipTask: 'onSkipTask',
  selectAnnotation: 'onSelectAnnotation',
};

let counter = 0;
const localId = () => `ls-${Date.now().toString(36)}-${(counter += 1)}`;
const copy = (value) => (value === undefined ? value : JSON.parse(JSON.stringify(value)));

/** One annotation (or prediction) as Label Studio's front end hands it to callbacks. */
export class Annotation {
  constructor(app, source = {}, { prediction = false } = {}) {
    this.app = app;
    this.id = source.id != null && !source.userGenerate ? String(source.id) : localId();
    this.pk = source.id != null && !source.userGenerate && !prediction ? String(source.id) : null;
    this.type = prediction ? 'prediction' : 'annotation';
    this.userGenerate = !!source.userGenerate;
    this.sentUserGenerate = false;
    this.leadTime = source.lead_time || 0;
    this.createdBy = source.createdBy || source.created_username || '';
    this.user = source.user || app.user || null;
    this.ground_truth = !!source.ground_truth;
    this.was_cancelled = !!source.was_cancelled;
    this.draftId = source.draft_id || 0;
    this.result = copy(source.result || []);
  }

  /** Label Studio's name: saved on the server (has a primary key), so Submit becomes Update. */
  get exists() {
    return this.pk != null;
  }

  get selected() {
    return this.app.annotationStore.selected === this;
  }

  /** The result list in Label Studio's JSON shape (the live one while it is being edited). */
  serializeAnnotation() {
    return this.selected ? this.app.ls.ui.getResult() : copy(this.result);
  }

  /** Set after the host saved it (Label Studio's `annotation.updatePersonalKey(pk)`). */
  updatePersonalKey(pk) {
    this.pk = pk == null ? null : String(pk);
    if (this.selected) this.app.ls.syncCompletion();
  }

  toJSON() {
    return { id: this.id, pk: this.pk, result: this.serializeAnnotation(), leadTime: this.leadTime, userGenerate: this.userGenerate };
  }
}

/** The store of annotations and predictions (Label Studio's `ls.annotationStore`). */
class AnnotationStore {
  constructor(app) {
    this.app = app;
    this.annotations = [];
    this.predictions = [];
    this.selected = null;
  }

  /** A new annotation; `{userGenerate: true}` is an empty one made for the user. */
  addAnnotation(options = {}) {
    const annotation = new Annotation(this.app, { ...options, userGenerate: options.userGenerate ?? options.id == null });
    this.annotations.unshift(annotation);
    return annotation;
  }

  addPrediction(options = {}) {
    const prediction = new Annotation(this.app, options, { prediction: true });
    this.predictions.push(prediction);
    return prediction;
  }

  /** Show one annotation (by its id) for editing; the one shown before keeps its current result. */
  selectAnnotation(id) {
    const next = this.annotations.find((a) => a.id === String(id) || a.pk === String(id));
    if (!next) return null;
    this.app.ls.show(next);
    return next;
  }

  /** Start a new annotation from a prediction (Label Studio's "copy prediction"). */
  addAnnotationFromPrediction(prediction) {
    const annotation = this.addAnnotation({ userGenerate: true });
    annotation.result = copy(prediction.result || []);
    annotation.fromPrediction = true;
    return annotation;
  }
}

/** What Label Studio passes as `ls` to every callback (its app store). */
class AppStore {
  constructor(ls, options) {
    this.ls = ls;
    const task = options.task || {};
    const data = typeof task.data === 'string' ? JSON.parse(task.data) : task.data || {};
    this.task = { ...task, dataObj: data, data: JSON.stringify(data) };
    this.user = options.user || null;
    this.interfaces = [...(options.interfaces || ALL_INTERFACES)];
    this.settings = options.settings || {};
    this.annotationStore = new AnnotationStore(this);
  }

  hasInterface(name) {
    return this.interfaces.includes(name);
  }

  submitAnnotation() {
    return this.ls.ui.submit();
  }

  updateAnnotation(extra) {
    this.ls.pendingExtra = extra;
    return this.ls.ui.submit();
  }

  skipTask(extra) {
    this.ls.skip(extra || {});
  }
}

/** `new LabelStudio(element | "element-id", options)`: Label Studio's embedding entry point. */
export class LabelStudio {
  constructor(root, options = {}) {
    const element = typeof root === 'string' ? document.getElementById(root) : root;
    if (!element) throw new Error(`LabelStudio: no element ${typeof root === 'string' ? `#${root}` : 'given'}`);
    this.root = element;
    this.options = options;
    this.listeners = new Map();
    this.store = new AppStore(this, options);
    const store = this.store;
    const task = options.task || {};
    for (const p of task.predictions || []) store.annotationStore.addPrediction(p);
    for (const a of task.annotations || task.completions || []) store.annotationStore.annotations.push(new Annotation(store, a));
    const has = (name) => store.hasInterface(name);
    this.ui = new LabelingInterface(element, {
      config: options.config,
      task: { id: task.id ?? null, data: store.task.dataObj },
      user: options.user,
      readOnly: options.readOnly === true,
      onSubmit: (result, meta) => this.finished('submitAnnotation', result, meta),
      onUpdate: (result, meta) => this.finished('updateAnnotation', result, meta),
      onSkip: has('skip') ? () => this.skip({}) : undefined,
    });
    if (this.ui.error) return;
    if (!has('controls') || !has('submit')) this.ui.submitBtn.remove();
    if (!has('controls') || !has('update')) this.ui.updateBtn.remove();
    if (!has('controls')) this.ui.skipBtn.remove();
    // Label Studio shows the latest annotation; with none, the host (or we) make one
    const annotations = store.annotationStore.annotations;
    const quiet = { quiet: true }; // no onSelectAnnotation before onLabelStudioLoad
    if (annotations.length) this.show(annotations[annotations.length - 1], quiet);
    else if (store.annotationStore.predictions.length) this.show(store.annotationStore.addAnnotationFromPrediction(store.annotationStore.predictions[0]), quiet);
    else this.show(new Annotation(store, { userGenerate: true }), quiet); // listed once submitted
    // Label Studio calls it once the app exists (after the constructor returned)
    Promise.resolve().then(() => this.emit('labelStudioLoad', store));
  }

  /** Label Studio's event API: `ls.on("submitAnnotation", (ls, annotation) => ...)`. */
  on(event, handler) {
    if (!this.listeners.has(event)) this.listeners.set(event, new Set());
    this.listeners.get(event).add(handler);
    return this;
  }

  off(event, handler) {
    if (handler) this.listeners.get(event)?.delete(handler);
    else this.listeners.delete(event);
    return this;
  }

  emit(event, ...args) {
    const option = this.options[EVENTS[event]];
    if (typeof option === 'function') option(...args);
    for (const handler of this.listeners.get(event) || []) handler(...args);
  }

  show(annotation, { quiet = false } = {}) {
    const store = this.store.annotationStore;
    const previous = store.selected;
    if (previous && previous !== annotation) previous.result = this.ui.getResult();
    store.selected = annotation;
    if (annotation.fromPrediction) this.ui.loadPrediction({ result: annotation.result });
    else this.ui.loadCompletion({ id: annotation.pk, result: annotation.result });
    annotation.fromPrediction = false;
    if (!quiet) this.emit('selectAnnotation', annotation, previous, this.store);
  }

  syncCompletion() {
    const selected = this.store.annotationStore.selected;
    this.ui.completion = { ...(this.ui.completion || {}), id: selected.pk };
    this.ui.updateButtons();
  }

  finished(event, result, meta) {
    const store = this.store.annotationStore;
    const annotation = store.selected;
    if (!store.annotations.includes(annotation)) store.annotations.unshift(annotation);
    annotation.result = result;
    annotation.leadTime = (annotation.leadTime || 0) + meta.lead_time;
    if (event === 'submitAnnotation') {
      annotation.sentUserGenerate = annotation.userGenerate;
      this.emit(event, this.store, annotation);
    } else {
      const extra = this.pendingExtra;
      this.pendingExtra = undefined;
      this.emit(event, this.store, annotation, extra);
    }
  }

  skip(extra) {
    this.emit('skipTask', this.store, extra);
  }

  destroy() {
    this.ui.destroy();
    this.listeners.clear();
  }
}
