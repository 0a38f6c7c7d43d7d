// BrushLabels / Brush on an Image: a canvas layer over the image (inside the zoomed stage, so
// zoom/pan apply) showing every brush region tinted with its label colour and opacity. Paint
// or erase with a round brush (size in image pixels); each stroke is one undo step. Results
// are Label Studio's: {format: "rle", rle, brushlabels} with original_width/height; masks are
// binary (0 or 255 in every channel), as Label Studio writes them. <MagicWand> adds a flood-fill
// mode (magic-wand.js): press on the image, drag farther for a higher threshold, release to keep
// the mask as a brush region of the active BrushLabels label (added to the selected one of it).
import { h, drag } from '../ui/dom.js';
import { floodFill, dragThreshold, maskToRGBA } from '../magic-wand.js';
import { tags as labelTags } from './labels.js';
import { encode, decode } from '../rle.js';
import { imageRegionItem, labelsOf } from '../result.js';
import { optionResultValue } from '../config.js';

const BRUSH_TYPES = new Set(['brushlabels', 'brush']);
const masks = new WeakMap(); // rle array -> mask canvas (undo/redo reuse; never painted after)
const layers = new WeakMap(); // ImageView -> BrushLayer

/** Flat RGBA -> binary mask in place (alpha >= 128 -> 255 in all channels); true if anything is set. */
export function binarize(data) {
  let any = false;
  for (let i = 0; i < data.length; i += 4) {
    const v = data[i + 3] >= 128 ? 255 : 0;
    data[i] = data[i + 1] = data[i + 2] = data[i + 3] = v;
    if (v) any = true;
  }
  return any;
}

function canvas(w, hgt) {
  const c = document.createElement('canvas');
  c.width = w;
  c.height = hgt;
  return c;
}

class BrushLayer {
  constructor(view, app) {
    this.view = view;
    this.app = app;
    this.mode = 'paint';
    this.size = 20;
    this.controls = new Set();
    this.listeners = new Set();
    this.canvas = h('canvas', { class: 'ls-brush-layer' });
    this.scratch = null;
    this.wandThreshold = 15; // <MagicWand defaultThreshold>
    this.wandError = '';
    view.stage.insertBefore(this.canvas, view.svg);
    view.stage.addEventListener('pointerdown', (ev) => this.onPointerDown(ev), true);
    view.img.addEventListener('load', () => this.render());
    view.img.addEventListener('error', () => queueMicrotask(() => this.render()));
    app.on(() => this.render());
  }

  setMode(mode) {
    this.mode = mode;
    for (const fn of this.listeners) fn();
  }

  mine(item) {
    return item && BRUSH_TYPES.has(item.type) && item.to_name === this.view.name && item.value && Array.isArray(item.value.rle);
  }

  items() {
    return this.app.store.items.filter((it) => this.mine(it));
  }

  mask(item) {
    let c = masks.get(item.value.rle);
    if (c) return c;
    const w = item.original_width || this.view.W;
    const hgt = item.original_height || this.view.H;
    c = canvas(w, hgt);
    try {
      const rgba = decode(item.value.rle, w * hgt * 4);
      c.getContext('2d').putImageData(new ImageData(new Uint8ClampedArray(rgba.buffer), w, hgt), 0, 0);
    } catch (err) {
      console.warn(`brush region ${item.id}: ${err.message}`);
    }
    masks.set(item.value.rle, c);
    return c;
  }

  opacity(item) {
    const control = this.app.config.byName.get(item.from_name);
    const label = labelsOf(item)[0];
    const opt = control && control.options.find((o) => optionResultValue(o) === label);
    const v = Number((opt && (opt.attrs.opacity ?? opt.attrs.fillOpacity)) ?? control?.attrs.opacity ?? 0.6);
    return Number.isFinite(v) ? Math.min(1, Math.max(0.05, v)) : 0.6;
  }

  /** Draw all brush regions (plus the stroke in progress) onto the layer canvas. */
  render() {
    const { W, H } = this.view;
    if (!W) return;
    if (this.canvas.width !== W || this.canvas.height !== H) {
      this.canvas.width = W;
      this.canvas.height = H;
      this.scratch = canvas(W, H);
    }
    const ctx = this.canvas.getContext('2d');
    ctx.clearRect(0, 0, W, H);
    const sel = this.app.store.selectedId;
    const live = this.stroke ? new Map(this.stroke.targets.map((t) => [t.item.id, t.canvas])) : new Map();
    const items = this.items();
    if (this.stroke && this.stroke.isNew) items.push(this.stroke.targets[0].item);
    for (const item of items) {
      if (this.app.store.isHidden(item.id)) continue;
      const sctx = this.scratch.getContext('2d');
      sctx.globalCompositeOperation = 'source-over';
      sctx.clearRect(0, 0, W, H);
      sctx.drawImage(live.get(item.id) || this.mask(item), 0, 0, W, H);
      sctx.globalCompositeOperation = 'source-in';
      sctx.fillStyle = this.app.colorFor(item);
      sctx.fillRect(0, 0, W, H);
      ctx.globalAlpha = item.id === sel ? Math.min(1, this.opacity(item) + 0.25) : this.opacity(item);
      ctx.drawImage(this.scratch, 0, 0);
    }
    ctx.globalAlpha = 1;
  }

  scheduleRender() {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => { this.pending = false; this.render(); });
  }

  hit(ev) {
    const [x, y] = this.view.toImage(ev);
    const items = this.items().reverse();
    for (const item of items) {
      const c = this.mask(item);
      const px = Math.floor((x * c.width) / this.view.W);
      const py = Math.floor((y * c.height) / this.view.H);
      if (px < 0 || py < 0 || px >= c.width || py >= c.height) continue;
      if (c.getContext('2d').getImageData(px, py, 1, 1).data[3]) return item;
    }
    return null;
  }

  onPointerDown(ev) {
    if (ev.button !== 0 || ev.altKey || this.app.readOnly || !this.view.W) return;
    if (ev.target.closest && ev.target.closest('.ls-shape, .ls-handle')) return;
    const active = this.app.getActive(this.view.name);
    const brushActive = active && this.controls.has(active.control);
    const sel = this.app.selectedRegion();
    if (this.mode === 'erase' && (brushActive || this.mine(sel))) {
      const targets = this.mine(sel) ? [sel] : this.items();
      if (targets.length) return this.startStroke(ev, targets, true);
      ev.preventDefault();
      ev.stopPropagation(); // nothing to erase: not a shape draft either
      return;
    }
    if (brushActive && (this.mode === 'paint' || this.mode === 'wand')) {
      const continuing = this.mine(sel) && sel.from_name === active.control.name
        && (!active.labels.length || labelsOf(sel).join('\u0000') === active.labels.join('\u0000'));
      const item = continuing ? sel : imageRegionItem({
        control: active.control.name, toName: this.view.name, labels: active.labels, geom: { format: 'rle', rle: [] },
        image: { type: active.control.type, width: this.view.W, height: this.view.H, rotation: 0 },
      });
      if (this.mode === 'wand') return this.startWand(ev, item, !continuing);
      return this.startStroke(ev, [item], false, !continuing);
    }
    if (!active) {
      const item = this.hit(ev);
      if (item) {
        ev.stopPropagation();
        this.app.store.select(item.id);
      }
    }
  }

  startStroke(ev, items, erase, isNew = false) {
    ev.preventDefault();
    ev.stopPropagation();
    const targets = items.map((item) => {
      const w = item.original_width || this.view.W;
      const hgt = item.original_height || this.view.H;
      const c = canvas(w, hgt); // a copy: the old mask stays for undo
      if (!isNew) c.getContext('2d').drawImage(this.mask(item), 0, 0);
      const ctx = c.getContext('2d');
      ctx.globalCompositeOperation = erase ? 'destination-out' : 'source-over';
      ctx.fillStyle = ctx.strokeStyle = '#fff';
      ctx.lineCap = ctx.lineJoin = 'round';
      return { item, canvas: c, ctx, sx: w / this.view.W, sy: hgt / this.view.H };
    });
    this.stroke = { targets, isNew };
    let last = this.view.toImage(ev);
    const dab = (p, q) => {
      for (const t of targets) {
        t.ctx.lineWidth = this.size * t.sx;
        t.ctx.beginPath();
        t.ctx.moveTo(p[0] * t.sx, p[1] * t.sy);
        t.ctx.lineTo(q[0] * t.sx + 0.01, q[1] * t.sy);
        t.ctx.stroke();
      }
      this.scheduleRender();
    };
    dab(last, last);
    drag(ev, (e) => {
      const p = this.view.toImage(e);
      dab(last, p);
      last = p;
    }, () => this.commit(targets, erase, isNew));
  }

  /** The image's own pixels at natural size (cached per source); throws on a cross-origin image. */
  pixels() {
    const { W, H, img } = this.view;
    const src = img.currentSrc || img.src;
    if (this.px && this.px.src === src && this.px.w === W && this.px.h === H) return this.px.data;
    const ctx = canvas(W, H).getContext('2d', { willReadFrequently: true });
    ctx.drawImage(img, 0, 0, W, H);
    this.px = { src, w: W, h: H, data: ctx.getImageData(0, 0, W, H).data };
    return this.px.data;
  }

  startWand(ev, item, isNew) {
    ev.preventDefault();
    ev.stopPropagation();
    const { W, H } = this.view;
    let rgba;
    try {
      rgba = this.pixels();
      this.wandError = '';
    } catch (err) { // a tainted canvas: the image is another origin's without CORS
      this.wandError = 'The magic wand needs to read the image: serve it with CORS and add crossOrigin="anonymous" to <Image>.';
      for (const fn of this.listeners) fn();
      return;
    }
    const w = item.original_width || W;
    const hgt = item.original_height || H;
    const c = canvas(w, hgt);
    const ctx = c.getContext('2d');
    const base = isNew ? null : this.mask(item); // the selected region grows; its old mask stays for undo
    const fillCanvas = canvas(W, H);
    const [x, y] = this.view.toImage(ev);
    const target = { item, canvas: c, ctx };
    this.stroke = { targets: [target], isNew };
    const fill = (threshold) => {
      this.threshold = threshold;
      const mask = floodFill(rgba, W, H, x, y, threshold);
      fillCanvas.getContext('2d').putImageData(new ImageData(maskToRGBA(mask), W, H), 0, 0);
      ctx.globalCompositeOperation = 'source-over';
      ctx.clearRect(0, 0, w, hgt);
      if (base) ctx.drawImage(base, 0, 0);
      ctx.drawImage(fillCanvas, 0, 0, w, hgt);
      for (const fn of this.listeners) fn();
      this.scheduleRender();
    };
    const start = this.wandThreshold;
    const [x0, y0] = [ev.clientX, ev.clientY];
    fill(start);
    drag(ev, (e) => {
      const next = dragThreshold(start, Math.hypot(e.clientX - x0, e.clientY - y0));
      if (next !== this.threshold) fill(next);
    }, () => this.commit([target], false, isNew));
  }

  commit(targets, erase, isNew) {
    this.stroke = null;
    const store = this.app.store;
    let checkpointed = false;
    for (const t of targets) {
      const data = t.ctx.getImageData(0, 0, t.canvas.width, t.canvas.height);
      const any = binarize(data.data);
      t.ctx.globalCompositeOperation = 'source-over';
      t.ctx.putImageData(data, 0, 0);
      if (!any && isNew) continue;
      if (!checkpointed) { store.checkpoint(); checkpointed = true; }
      if (!any) { store.remove(t.item.id, { history: false }); continue; }
      const rle = encode(data.data);
      masks.set(rle, t.canvas);
      if (isNew) {
        const added = store.add({ ...t.item, value: { ...t.item.value, rle } }, { history: false });
        store.select(added.id);
      } else {
        store.update(t.item.id, t.item.from_name, (old) => ({ ...old, value: { ...old.value, format: 'rle', rle } }), { history: false });
      }
    }
    this.render();
  }
}

function layerFor(app, objectName) {
  const view = app.objects.get(objectName);
  if (!view || !view.stage) return null;
  let layer = layers.get(view);
  if (!layer) {
    layer = new BrushLayer(view, app);
    layers.set(view, layer);
  }
  return layer;
}

function brushTools(control, app) {
  const sizeOut = h('span', { class: 'ls-brush-size-value', text: '20' });
  const size = h('input', { type: 'range', min: '1', max: '200', value: '20', class: 'ls-brush-size', 'aria-label': 'Brush size', title: 'Brush size (image pixels)' });
  const paint = h('button', { type: 'button', class: 'ls-btn ls-brush-paint ls-selected', text: 'Brush', title: 'Paint' });
  const erase = h('button', { type: 'button', class: 'ls-btn ls-brush-erase', text: 'Eraser', title: 'Erase from the selected brush region' });
  const box = h('div', { class: 'ls-brush-tools' }, paint, erase, h('label', { class: 'ls-image-slider' }, h('span', { text: 'Size' }), size, sizeOut));
  const attach = () => {
    const layer = layerFor(app, control.toName[0]);
    if (!layer) return;
    layer.controls.add(control);
    const sync = () => {
      paint.classList.toggle('ls-selected', layer.mode === 'paint');
      erase.classList.toggle('ls-selected', layer.mode === 'erase');
      size.value = String(layer.size);
      sizeOut.textContent = String(layer.size);
    };
    layer.listeners.add(sync);
    paint.addEventListener('click', () => layer.setMode('paint'));
    erase.addEventListener('click', () => layer.setMode('erase'));
    size.addEventListener('input', () => { layer.size = Number(size.value); sync(); });
    if (!app.readOnly && !layer.keys) {
      layer.keys = true; // once per image, however many brush controls point at it
      const resize = (up) => () => {
        const next = up ? Math.max(layer.size + 1, Math.round(layer.size * 1.25)) : Math.min(layer.size - 1, Math.round(layer.size / 1.25));
        layer.size = Math.max(1, Math.min(200, next));
        for (const fn of layer.listeners) fn();
        return true;
      };
      app.hotkeys.add('[', resize(false), { description: 'Smaller brush', group: control.name });
      app.hotkeys.add(']', resize(true), { description: 'Bigger brush', group: control.name });
    }
    layer.render();
  };
  queueMicrotask(attach); // the Image may come after this control in the config
  if (app.readOnly) for (const b of [paint, erase, size]) b.disabled = true;
  return box;
}

// <MagicWand>: a flood-fill mode for the brush layer of its image, its threshold shown while dragging.
function magicWand(control, app) {
  const button = h('button', { type: 'button', class: 'ls-btn ls-magicwand', text: 'Magic wand', title: 'Click a colour area; drag farther for a higher threshold', disabled: app.readOnly });
  const out = h('span', { class: 'ls-magicwand-threshold' });
  const error = h('div', { class: 'ls-magicwand-error', role: 'alert' });
  const base = Number(control.attrs.defaultThreshold ?? control.attrs.defaultthreshold ?? 15);
  const box = h('div', { class: 'ls-control ls-magicwand-control', 'data-name': control.name }, button, h('label', { class: 'ls-image-slider' }, h('span', { text: 'Threshold' }), out), error);
  queueMicrotask(() => {
    const layer = layerFor(app, control.toName[0]);
    if (!layer) return;
    layer.wandThreshold = Number.isFinite(base) ? base : 15;
    const sync = () => {
      button.classList.toggle('ls-selected', layer.mode === 'wand');
      out.textContent = String(layer.mode === 'wand' && layer.stroke ? layer.threshold : layer.wandThreshold);
      error.textContent = layer.wandError;
    };
    layer.listeners.add(sync);
    const toggle = () => { layer.setMode(layer.mode === 'wand' ? 'paint' : 'wand'); return true; };
    button.addEventListener('click', toggle);
    if (control.attrs.hotkey && !app.readOnly) app.hotkeys.add(control.attrs.hotkey, toggle, { description: 'Magic wand', group: control.name });
    sync();
  });
  return box;
}

const render = (base) => (control, app) => {
  const el = base(control, app);
  el.classList.add('ls-brush-control');
  el.append(brushTools(control, app));
  return el;
};

export const tags = {
  BrushLabels: { render: render(labelTags.Labels.render) },
  Brush: { render: render(labelTags.Rectangle.render) },
  MagicWand: { render: magicWand },
};
