// Image object: zoom / pan / brightness / contrast, and SVG regions for
// RectangleLabels, EllipseLabels, PolygonLabels, KeyPointLabels (and the plain
// tools). One <g> per region, updated in place; drags redraw one shape and
// commit to the store once on release.
import { h, s, setAttrs, drag } from '../ui/dom.js';
import * as G from '../geometry.js';
import { imageRegionItem, labelsOf, shapeOf, regionValue } from '../result.js';

const HANDLES = ['nw', 'n', 'ne', 'e', 'se', 's', 'sw', 'w'];
const FALLBACK = [640, 480];

export const tags = {
  Image: {
    render(node, app) {
      return new ImageView(node, app).el;
    },
  },
};

export class ImageView {
  constructor(node, app, { pageField } = {}) {
    this.node = node;
    this.app = app;
    this.name = node.name;
    this.W = 0;
    this.H = 0;
    this.zoom = 1;
    this.tx = 0;
    this.ty = 0;
    this.shapes = new Map();
    this.filters = { brightness: 100, contrast: 100 };
    this.rotation = 0; // view rotation in degrees (0, 90, 180, 270); regions stay in image coordinates
    // valueList: a pager of images; regions carry the page as item_index (Label Studio's field)
    const raw = app.resolve(node.attrs.valueList || node.attrs.value);
    this.pages = Array.isArray(raw) ? raw.map(String) : raw ? [String(raw)] : [];
    this.page = 0;
    this.pageField = pageField || (node.attrs.valueList ? 'item_index' : null);
    this.img = h('img', { class: 'ls-image-img', alt: node.attrs.alt || '', draggable: 'false' });
    const cors = node.attrs.crossOrigin ?? node.attrs.crossorigin; // pixels readable (MagicWand) when served with CORS
    if (cors === 'anonymous' || cors === 'use-credentials') this.img.crossOrigin = cors;
    this.svg = s('svg', { class: 'ls-image-svg', preserveAspectRatio: 'none' });
    this.layer = s('g', { class: 'ls-regions-layer' });
    this.draft = s('g', { class: 'ls-draft-layer' });
    this.svg.append(this.layer, this.draft);
    this.stage = h('div', { class: 'ls-image-stage' }, this.img, this.svg);
    this.viewport = h('div', { class: 'ls-image-viewport' }, this.stage);
    this.el = h('div', { class: `ls-object ls-image${pageField ? ` ls-${node.tag.toLowerCase()}` : ''}`, 'data-name': node.name }, this.toolbar(), this.viewport);
    app.objects.set(node.name, this);
    this.img.addEventListener('load', () => this.setSize(this.img.naturalWidth, this.img.naturalHeight));
    this.img.addEventListener('error', () => {
      this.el.classList.add('ls-image-error');
      this.setSize(Number(node.attrs.width) || FALLBACK[0], Number(node.attrs.height) || FALLBACK[1]);
    });
    this.load();
    this.svg.addEventListener('pointerdown', (ev) => this.onPointerDown(ev));
    this.svg.addEventListener('dblclick', () => this.finishPolygon());
    this.viewport.addEventListener('wheel', (ev) => {
      if (!ev.ctrlKey && !ev.metaKey) return;
      ev.preventDefault();
      const r = this.viewport.getBoundingClientRect();
      this.zoomTo(this.zoom * (ev.deltaY < 0 ? 1.2 : 1 / 1.2), ev.clientX - r.left, ev.clientY - r.top);
    }, { passive: false });
    app.on((change) => this.onChange(change));
    app.onTool(() => this.svg.classList.toggle('ls-drawing', !!app.getActive(this.name)));
    if (!app.readOnly) {
      app.hotkeys.add('enter', () => (this.poly ? (this.finishPolygon(), true) : false));
    }
    if (node.attrs.crosshair === 'true') this.crosshair();
    this.onResize = () => this.fit();
    window.addEventListener('resize', this.onResize);
    app.cleanups.push(() => window.removeEventListener('resize', this.onResize));
  }

  /** Show the first page (subclasses, e.g. <Pdf>, make their pages first). */
  load() {
    if (this.pages.length) this.showPage(0);
    else queueMicrotask(() => this.setSize(...FALLBACK));
  }

  pageCount() {
    return this.pages.length;
  }

  async source(i) {
    return this.pages[i];
  }

  /** The page (0-based) a region is on; its field is item_index (valueList) or value.pageIndex (Pdf). */
  pageOf(item) {
    const p = this.pageField === 'item_index' ? item.item_index : item.value && item.value.pageIndex;
    return Number.isInteger(p) ? p : 0;
  }

  async showPage(i) {
    const n = this.pageCount();
    if (!n) return;
    i = G.clamp(i, 0, n - 1);
    this.cancelPolygon();
    const sel = this.app.selectedRegion();
    if (i !== this.page && this.mine(sel)) this.app.store.select(null);
    const changed = i !== this.page;
    this.page = i;
    if (changed) this.redrawAll();
    if (this.pagerLabel) this.pagerLabel.textContent = `${i + 1} / ${n}`;
    this.el.dataset.page = String(i);
    const src = await this.source(i);
    if (src && this.page === i) this.img.src = src;
  }

  pager() {
    const btn = (cls, text, title, fn) => h('button', { type: 'button', class: `ls-icon-btn ${cls}`, title, text, onClick: fn });
    this.pagerLabel = h('span', { class: 'ls-pager-label', text: '' });
    this.pagerEl = h('span', { class: 'ls-pager' },
      btn('ls-page-prev', '‹', 'Previous page', () => this.showPage(this.page - 1)),
      this.pagerLabel,
      btn('ls-page-next', '›', 'Next page', () => this.showPage(this.page + 1)));
    this.pagerEl.hidden = !this.pageField;
    return this.pagerEl;
  }

  toolbar() {
    const btn = (cls, text, title, fn) => h('button', { type: 'button', class: `ls-icon-btn ${cls}`, title, text, onClick: fn });
    const slider = (cls, key, label) => {
      const input = h('input', { type: 'range', min: '20', max: '250', value: '100', class: cls, 'aria-label': label, title: label });
      input.addEventListener('input', () => {
        this.filters[key] = Number(input.value);
        this.img.style.filter = `brightness(${this.filters.brightness}%) contrast(${this.filters.contrast}%)`;
      });
      return h('label', { class: 'ls-image-slider' }, h('span', { text: label }), input);
    };
    return h('div', { class: 'ls-image-toolbar' },
      this.pager(),
      btn('ls-zoom-in', '+', 'Zoom in (Ctrl+wheel)', () => this.zoomTo(this.zoom * 1.25)),
      btn('ls-zoom-out', '−', 'Zoom out', () => this.zoomTo(this.zoom / 1.25)),
      btn('ls-zoom-reset', '⤢', 'Fit', () => { this.zoom = 1; this.tx = 0; this.ty = 0; this.applyTransform(); }),
      this.node.attrs.rotateControl === 'true' ? btn('ls-rotate-left', '⟲', 'Rotate left', () => this.rotate(-90)) : null,
      this.node.attrs.rotateControl === 'true' ? btn('ls-rotate-right', '⟳', 'Rotate right', () => this.rotate(90)) : null,
      slider('ls-brightness', 'brightness', 'Brightness'),
      slider('ls-contrast', 'contrast', 'Contrast'));
  }

  setSize(W, H) {
    this.W = W || FALLBACK[0];
    this.H = H || FALLBACK[1];
    this.svg.setAttribute('viewBox', `0 0 ${this.W} ${this.H}`);
    this.fit();
    this.redrawAll();
  }

  /** Turn the view by ±90°: like Label Studio, region values keep the image's own coordinates and
   * new regions record the view's angle in image_rotation. */
  rotate(deg) {
    this.rotation = (((this.rotation + deg) % 360) + 360) % 360;
    this.el.dataset.rotation = String(this.rotation);
    this.zoom = 1;
    this.tx = this.ty = 0;
    this.fit();
  }

  get sideways() {
    return this.rotation % 180 === 90;
  }

  fit() {
    if (!this.W) return;
    const [dw, dh] = this.sideways ? [this.H, this.W] : [this.W, this.H]; // displayed size
    const mode = this.node.attrs.defaultZoom;
    const avail0 = this.viewport.clientWidth || this.el.clientWidth;
    const maxW = Number(String(this.node.attrs.maxWidth || this.node.attrs.width || '').replace('px', '')) || (mode === 'fit' && avail0) || dw;
    const avail = avail0 || maxW;
    let scale = Math.min(avail, maxW) / dw;
    if ((mode === 'original' || mode === 'auto') && scale > 1) scale = 1; // never blown up past its pixels
    this.stage.style.width = `${this.W * scale}px`;
    this.stage.style.height = `${this.H * scale}px`;
    this.viewport.style.height = `${dh * scale}px`;
    this.applyTransform();
    if (mode === 'original' && scale < 1 && !this.zoomedOriginal) { // 1 image pixel = 1 screen pixel, from the top left
      this.zoomedOriginal = true;
      this.zoomTo(1 / scale, 0, 0);
    }
  }

  /** crosshair="true": a horizontal and a vertical line follow the pointer over the image. */
  crosshair() {
    const hl = h('div', { class: 'ls-crosshair ls-crosshair-h', hidden: true });
    const vl = h('div', { class: 'ls-crosshair ls-crosshair-v', hidden: true });
    this.viewport.append(hl, vl);
    this.viewport.addEventListener('pointermove', (ev) => {
      const r = this.viewport.getBoundingClientRect();
      hl.hidden = vl.hidden = false;
      hl.style.top = `${ev.clientY - r.top}px`;
      vl.style.left = `${ev.clientX - r.left}px`;
    });
    this.viewport.addEventListener('pointerleave', () => { hl.hidden = vl.hidden = true; });
  }

  /** The translation that brings the stage rotated about its corner back into view (stage pixels). */
  rotationOffset() {
    const w = parseFloat(this.stage.style.width) || 0;
    const h = parseFloat(this.stage.style.height) || 0;
    return { 0: [0, 0], 90: [h, 0], 180: [w, h], 270: [0, w] }[this.rotation];
  }

  zoomTo(z, cx, cy) {
    const nz = G.clamp(z, 1, 16);
    if (cx == null) {
      cx = this.viewport.clientWidth / 2;
      cy = this.viewport.clientHeight / 2;
    }
    this.tx = cx - ((cx - this.tx) * nz) / this.zoom;
    this.ty = cy - ((cy - this.ty) * nz) / this.zoom;
    this.zoom = nz;
    if (nz === 1) this.tx = this.ty = 0;
    this.applyTransform();
  }

  applyTransform() {
    this.stage.style.transform = this.stageTransform();
    this.refreshSelected();
  }

  stageTransform() {
    const base = `translate(${this.tx}px, ${this.ty}px) scale(${this.zoom})`;
    if (!this.rotation) return base;
    const [ox, oy] = this.rotationOffset();
    return `${base} translate(${ox}px, ${oy}px) rotate(${this.rotation}deg)`;
  }

  /** Image pixels per screen pixel. */
  k() {
    const r = this.svg.getBoundingClientRect();
    const along = this.sideways ? r.height : r.width;
    return along ? this.W / along : 1;
  }

  toImage(ev) {
    if (this.rotation) {
      const p = new DOMPoint(ev.clientX, ev.clientY).matrixTransform(this.svg.getScreenCTM().inverse());
      return [p.x, p.y];
    }
    const r = this.svg.getBoundingClientRect();
    return [((ev.clientX - r.left) / r.width) * this.W, ((ev.clientY - r.top) / r.height) * this.H];
  }

  // ----- store sync -----

  mine(item) {
    return item && item.to_name === this.name && ['rectangle', 'ellipse', 'polygon', 'keypoint'].includes(shapeOf(item.type)) && item.value &&
      (!this.pageField || this.pageOf(item) === this.page);
  }

  onChange(change) {
    if (!this.W) return;
    if (change.type === 'reset') return this.redrawAll();
    if (change.type === 'select') {
      const sel = change.id && this.app.store.region(change.id);
      // a region of another page picked in the regions list: show its page
      if (this.pageField && sel && sel.to_name === this.name && this.pageOf(sel) !== this.page) return this.showPage(this.pageOf(sel));
      for (const id of [change.prev, change.id]) {
        const it = id && this.app.store.region(id);
        if (this.mine(it)) this.draw(it);
      }
      return;
    }
    if (change.type === 'visibility') {
      const sh = this.shapes.get(change.id);
      if (sh) sh.g.style.display = change.hidden ? 'none' : '';
      return;
    }
    if (!this.mine(change.item)) return;
    if (change.type === 'remove') {
      this.shapes.get(change.item.id)?.g.remove();
      this.shapes.delete(change.item.id);
    } else this.draw(change.item);
  }

  redrawAll() {
    if (!this.W) return;
    this.layer.replaceChildren();
    this.shapes.clear();
    for (const it of this.app.store.items) if (this.mine(it)) this.draw(it);
  }

  refreshSelected() {
    const it = this.app.selectedRegion();
    if (this.mine(it)) this.draw(it);
  }

  // ----- drawing shapes (percent item -> pixels) -----

  geom(item) {
    const v = item.value;
    const { W, H } = this;
    switch (shapeOf(item.type)) {
      case 'rectangle': return { kind: 'rectangle', ...G.rectToPixels(v, W, H) };
      case 'ellipse': return { kind: 'ellipse', ...G.ellipseToPixels(v, W, H) };
      case 'polygon': return { kind: 'polygon', points: G.pointsToPixels(v.points || [], W, H) };
      default: return { kind: 'keypoint', x: G.toPixels(v.x, W), y: G.toPixels(v.y, H), r: Math.max(2, G.toPixels(v.width || 0.5, W)) };
    }
  }

  toValue(item, g) {
    const { W, H } = this;
    let pct;
    if (g.kind === 'rectangle') pct = G.rectToPercent(g, W, H);
    else if (g.kind === 'ellipse') pct = G.ellipseToPercent(g, W, H);
    else if (g.kind === 'polygon') pct = { points: G.pointsToPercent(g.points, W, H) };
    else pct = { x: G.toPercent(g.x, W), y: G.toPercent(g.y, H), width: item.value.width };
    return { ...item.value, ...regionValue(item.type, pct, labelsOf(item)) };
  }

  draw(item, g = this.geom(item)) {
    let sh = this.shapes.get(item.id);
    if (!sh || sh.kind !== g.kind) {
      sh?.g.remove();
      const el = s(g.kind === 'rectangle' ? 'rect' : g.kind === 'ellipse' ? 'ellipse' : g.kind === 'polygon' ? 'polygon' : 'circle', { class: 'ls-shape-body' });
      sh = { kind: g.kind, g: s('g', { class: 'ls-shape', 'data-id': item.id }), body: el, label: s('text', { class: 'ls-shape-label' }), handles: s('g', { class: 'ls-handles' }) };
      sh.g.append(el, sh.label, sh.handles);
      this.layer.append(sh.g);
      this.shapes.set(item.id, sh);
    }
    const color = this.app.colorFor(item);
    const selected = this.app.store.selectedId === item.id;
    sh.g.style.setProperty('--ls-color', color);
    sh.g.classList.toggle('ls-selected', selected);
    sh.g.classList.toggle('ls-prediction', item.origin === 'prediction');
    sh.g.style.display = this.app.store.isHidden(item.id) ? 'none' : '';
    const k = this.k();
    let anchor;
    if (g.kind === 'rectangle') {
      setAttrs(sh.body, { x: g.x, y: g.y, width: g.width, height: g.height, transform: `rotate(${g.rotation || 0} ${g.x} ${g.y})` });
      anchor = [g.x, g.y];
    } else if (g.kind === 'ellipse') {
      setAttrs(sh.body, { cx: g.x, cy: g.y, rx: g.radiusX, ry: g.radiusY, transform: `rotate(${g.rotation || 0} ${g.x} ${g.y})` });
      anchor = [g.x - g.radiusX, g.y - g.radiusY];
    } else if (g.kind === 'polygon') {
      setAttrs(sh.body, { points: g.points.map((p) => p.join(',')).join(' ') });
      anchor = g.points[0] || [0, 0];
    } else {
      setAttrs(sh.body, { cx: g.x, cy: g.y, r: g.r });
      anchor = [g.x + g.r, g.y - g.r];
    }
    const text = labelsOf(item).join(', ');
    setAttrs(sh.label, { x: anchor[0], y: anchor[1] - 4 * k, 'font-size': 12 * k });
    sh.label.textContent = text;
    sh.handles.replaceChildren();
    if (selected && !this.app.readOnly) this.drawHandles(sh, g, k);
  }

  drawHandles(sh, g, k) {
    const r = 5 * k;
    const handle = (x, y, name, cls = '') => sh.handles.append(s('circle', { class: `ls-handle ${cls}`, cx: x, cy: y, r, 'data-handle': name, 'stroke-width': k }));
    if (g.kind === 'rectangle') {
      const loc = { nw: [0, 0], n: [0.5, 0], ne: [1, 0], e: [1, 0.5], se: [1, 1], s: [0.5, 1], sw: [0, 1], w: [0, 0.5] };
      for (const name of HANDLES) {
        const [fx, fy] = loc[name];
        handle(...G.rotatePoint(g.x + fx * g.width, g.y + fy * g.height, g.x, g.y, g.rotation || 0), name);
      }
      handle(...G.rotatePoint(g.x + g.width / 2, g.y - 24 * k, g.x, g.y, g.rotation || 0), 'rotate', 'ls-handle-rotate');
    } else if (g.kind === 'ellipse') {
      handle(...G.rotatePoint(g.x + g.radiusX, g.y, g.x, g.y, g.rotation || 0), 'rx');
      handle(...G.rotatePoint(g.x, g.y + g.radiusY, g.x, g.y, g.rotation || 0), 'ry');
      handle(...G.rotatePoint(g.x, g.y - g.radiusY - 24 * k, g.x, g.y, g.rotation || 0), 'rotate', 'ls-handle-rotate');
    } else if (g.kind === 'polygon') {
      g.points.forEach(([x, y], i) => handle(x, y, `v${i}`));
    }
  }

  // ----- interaction -----

  onPointerDown(ev) {
    if (ev.button !== 0 && ev.button !== 1) return;
    const p = this.toImage(ev);
    const active = this.app.getActive(this.name);
    if (ev.button === 1 || ev.altKey) return this.pan(ev);
    if (this.poly) return this.addPolygonPoint(p, ev);
    const handle = ev.target.getAttribute && ev.target.getAttribute('data-handle');
    const g = ev.target.closest && ev.target.closest('.ls-shape');
    if (handle && !this.app.readOnly) return this.dragHandle(ev, handle);
    if (g && !(active && ev.shiftKey)) {
      ev.preventDefault();
      const id = g.getAttribute('data-id');
      this.app.store.select(id);
      if (!this.app.readOnly) this.dragMove(ev, id);
      return;
    }
    if (active && !this.app.readOnly) {
      ev.preventDefault();
      return this.startDraw(ev, p, active);
    }
    this.app.store.select(null);
    if (this.zoom > 1) return this.pan(ev);
    if (!this.app.readOnly) this.explainNothing(ev);
  }

  /** A press on the image with no active label: a drag (or click, for keypoints) says why nothing was drawn. */
  explainNothing(ev) {
    const p0 = [ev.clientX, ev.clientY];
    let moved = false;
    drag(ev, (e) => {
      if (Math.hypot(e.clientX - p0[0], e.clientY - p0[1]) > 4) moved = true;
    }, () => {
      if (moved) this.app.nothingCreated(this.name);
    });
  }

  pan(ev) {
    ev.preventDefault();
    const x0 = ev.clientX - this.tx;
    const y0 = ev.clientY - this.ty;
    this.viewport.classList.add('ls-panning');
    drag(ev, (e) => {
      this.tx = e.clientX - x0;
      this.ty = e.clientY - y0;
      this.stage.style.transform = this.stageTransform();
    }, () => this.viewport.classList.remove('ls-panning'));
  }

  commit(item, g) {
    this.app.updateRegion(item.id, item.from_name, (old) => ({ ...old, value: this.toValue(old, g) }));
  }

  dragMove(ev, id) {
    const item = this.app.store.region(id);
    const g0 = this.geom(item);
    const p0 = this.toImage(ev);
    let g = g0;
    let moved = false;
    drag(ev, (e) => {
      const [x, y] = this.toImage(e);
      const dx = x - p0[0];
      const dy = y - p0[1];
      if (!moved && Math.hypot(dx, dy) < 2 * this.k()) return;
      moved = true;
      const { W, H } = this;
      if (g0.kind === 'rectangle') g = { ...g0, ...G.moveRect(g0, dx, dy, W, H) };
      else if (g0.kind === 'ellipse') g = { ...g0, x: G.clamp(g0.x + dx, 0, W), y: G.clamp(g0.y + dy, 0, H) };
      else if (g0.kind === 'polygon') g = { ...g0, points: G.movePoints(g0.points, dx, dy, W, H) };
      else g = { ...g0, x: G.clamp(g0.x + dx, 0, W), y: G.clamp(g0.y + dy, 0, H) };
      this.draw(item, g);
    }, () => { if (moved) this.commit(item, g); });
  }

  dragHandle(ev, handle) {
    ev.preventDefault();
    ev.stopPropagation();
    const item = this.app.selectedRegion();
    if (!item) return;
    const g0 = this.geom(item);
    let g = g0;
    drag(ev, (e) => {
      const p = this.toImage(e);
      const { W, H } = this;
      if (g0.kind === 'rectangle') {
        g = { ...g0, ...(handle === 'rotate' ? G.rotateRectTo(g0, p, W, H) : G.resizeRect(g0, handle, p, W, H)) };
      } else if (g0.kind === 'ellipse') {
        const [lx, ly] = G.rotatePoint(p[0], p[1], g0.x, g0.y, -(g0.rotation || 0));
        if (handle === 'rotate') g = { ...g0, rotation: G.normalizeAngle((Math.atan2(p[1] - g0.y, p[0] - g0.x) * 180) / Math.PI + 90) };
        else if (handle === 'rx') g = { ...g0, radiusX: Math.max(1, Math.abs(lx - g0.x)) };
        else g = { ...g0, radiusY: Math.max(1, Math.abs(ly - g0.y)) };
      } else if (g0.kind === 'polygon') {
        const i = Number(handle.slice(1));
        const points = g0.points.slice();
        points[i] = G.clampPoint(p, W, H);
        g = { ...g0, points };
      }
      this.draw(item, g);
    }, () => { if (g !== g0) this.commit(item, g); });
  }

  newItem(active, pct) {
    const item = imageRegionItem({
      control: active.control.name, toName: this.name, geom: pct, labels: active.labels,
      image: { type: active.control.type, width: this.W, height: this.H, rotation: this.rotation },
    });
    if (this.pageField === 'item_index') item.item_index = this.page;
    else if (this.pageField === 'pageIndex') item.value.pageIndex = this.page;
    return item;
  }

  startDraw(ev, p0, active) {
    const shape = shapeOf(active.control.type);
    const { W, H } = this;
    if (shape === 'polygon') return this.addPolygonPoint(p0, ev, active);
    if (shape === 'keypoint') {
      const [x, y] = G.clampPoint(p0, W, H);
      const width = G.toPercent(Number(active.control.attrs.strokeWidth) || 5, W);
      return this.app.addRegion(this.newItem(active, { x: G.toPercent(x, W), y: G.toPercent(y, H), width }));
    }
    const preview = s(shape === 'rectangle' ? 'rect' : 'ellipse', { class: 'ls-draft' });
    this.draft.append(preview);
    let g = null;
    drag(ev, (e) => {
      const p = G.clampPoint(this.toImage(e), W, H);
      if (shape === 'rectangle') {
        g = G.rectFromPoints(p0, p, W, H);
        setAttrs(preview, { x: g.x, y: g.y, width: g.width, height: g.height });
      } else {
        const [cx, cy] = G.clampPoint(p0, W, H);
        g = { x: cx, y: cy, radiusX: Math.abs(p[0] - cx), radiusY: Math.abs(p[1] - cy), rotation: 0 };
        setAttrs(preview, { cx, cy, rx: g.radiusX, ry: g.radiusY });
      }
    }, () => {
      preview.remove();
      const min = 3 * this.k();
      if (!g) return this.app.store.select(null);
      if (shape === 'rectangle' && g.width >= min && g.height >= min) this.app.addRegion(this.newItem(active, G.rectToPercent(g, W, H)));
      else if (shape === 'ellipse' && g.radiusX >= min && g.radiusY >= min) this.app.addRegion(this.newItem(active, G.ellipseToPercent(g, W, H)));
    });
  }

  addPolygonPoint(p, ev, active) {
    ev.preventDefault();
    const pt = G.clampPoint(p, this.W, this.H);
    if (!this.poly) {
      this.poly = { active, points: [pt], line: s('polyline', { class: 'ls-draft' }) };
      this.draft.append(this.poly.line);
      this.polyMove = (e) => this.drawPolyDraft(this.toImage(e));
      this.svg.addEventListener('pointermove', this.polyMove);
    } else {
      const first = this.poly.points[0];
      if (this.poly.points.length >= 3 && Math.hypot(pt[0] - first[0], pt[1] - first[1]) < 8 * this.k()) return this.finishPolygon();
      this.poly.points.push(pt);
    }
    this.drawPolyDraft(pt);
  }

  drawPolyDraft(cursor) {
    const pts = [...this.poly.points, cursor];
    setAttrs(this.poly.line, { points: pts.map((q) => q.join(',')).join(' ') });
  }

  cancel() {
    if (!this.poly) return false;
    this.cancelPolygon();
    return true;
  }

  cancelPolygon() {
    if (!this.poly) return;
    this.poly.line.remove();
    this.svg.removeEventListener('pointermove', this.polyMove);
    this.poly = null;
  }

  finishPolygon() {
    const poly = this.poly;
    if (!poly) return;
    this.cancelPolygon();
    // a dblclick also fires two pointerdowns: drop duplicate trailing points
    const pts = poly.points.filter((q, i, a) => i === 0 || Math.hypot(q[0] - a[i - 1][0], q[1] - a[i - 1][1]) > 1e-6);
    if (pts.length >= 3) this.app.addRegion(this.newItem(poly.active, { points: G.pointsToPercent(pts, this.W, this.H) }));
  }
}
