// Load the embeddable labeling interface: the classic bundle if the page included it, else the ES modules.
let cached = null;

export async function loadLabelingInterface() {
  if (globalThis.LabelingInterface) return globalThis.LabelingInterface;
  if (!cached) {
    const base = document.body.dataset.labelingModule || '/static/labeling/labeling.js';
    cached = import(base).then((mod) => mod.LabelingInterface || mod.default);
  }
  return cached;
}

/** Mount a labeling interface; if it cannot load, show why instead of a blank area. */
export async function mountLabeling(element, options) {
  try {
    const LabelingInterface = await loadLabelingInterface();
    const ui = new LabelingInterface(element, options);
    ui.updateButtons?.(); // show "Submit" or "Update", not both, before the first change
    return ui;
  } catch (err) {
    element.textContent = `The labeling interface could not load: ${err.message}`;
    element.classList.add('error');
    console.error(err);
    return null;
  }
}
