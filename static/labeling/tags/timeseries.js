// TimeSeries object: channels drawn on canvases with min/max-per-pixel-column decimation
// (../decimate.js: drawing cost follows the screen width, not the data), an overview strip whose
// window zooms (wheel on a channel) and pans (drag the window, or drag a channel with no label
// chosen). TimeSeriesLabels: with a label chosen, drag on a channel for a range, double-click for
// an instant; results {start, end, instant, timeserieslabels} in x-axis units (numbers, or times
// written in the config's timeFormat).
import { h, drag } from '../ui/dom.js';
import { buildItem, labelsOf } from '../result.js';
import { clamp } from '../geometry.js';
import { decimate, blockIndex } from '../decimate.js';
import { seriesFrom, formatTime, formatNumber, timeParser } from '../timeseries-data.js';
import { tags as labelTags } from './labels.js';

export const tags = {
  TimeSeries: { render: (node, app) => new TimeSeriesView(node, app).el },
  TimeSeriesLabels: labelTags.Labels,
  Channel: { render: () => null }, // drawn by its TimeSeries
};

const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd'];

export class TimeSeriesView {
  constructor(node, app) {
    this.node = node;
    this.app = app;
    this.name = node.name;
    // fixedScale: the y-scale spans the whole series (else it follows the visible window), per
    // Channel or for all; multiaxis: all channels in one plot, each on its own y-scale.
    const fixed = node.attrs.fixedScale === 'true';
    this.channels = node.children.filter((c) => c.tag === 'Channel').map((c, i) => ({
      column: c.attrs.column, legend: c.attrs.legend || c.attrs.column, color: c.attrs.strokeColor || COLORS[i % COLORS.length], units: c.attrs.units || '',
      fixed: c.attrs.fixedScale != null ? c.attrs.fixedScale === 'true' : fixed,
    }));
    this.timeFormat = node.attrs.timeFormat || '';
    this.displayFormat = node.attrs.timeDisplayFormat || '';
    this.status = h('div', { class: 'ls-ts-status', text: 'Loading…' });
    const groups = node.attrs.multiaxis === 'true' ? [this.channels] : this.channels.map((ch) => [ch]);
    this.channelEls = groups.map((chs) => {
      const canvas = h('canvas');
      const regions = h('div', { class: 'ls-ts-regions' });
      const legends = chs.map((ch) => h('span', { class: 'ls-ts-legend', text: `${ch.legend}${ch.units ? ` (${ch.units})` : ''}`, style: { color: ch.color } }));
      const el = h('div', { class: `ls-ts-channel${chs.length > 1 ? ' ls-ts-multiaxis' : ''}`, 'data-column': chs.map((ch) => ch.column).join(',') }, canvas, regions, h('div', { class: 'ls-ts-legends' }, ...legends));
      el.addEventListener('pointerdown', (ev) => this.onDown(ev, el));
      el.addEventListener('dblclick', (ev) => this.onDouble(ev, el));
      el.addEventListener('wheel', (ev) => this.onWheel(ev, el), { passive: false });
      return { chs, el, canvas, regions };
    });
    this.axis = h('div', { class: 'ls-ts-axis' }, h('span'), h('span'), h('span'));
    this.overviewCanvas = h('canvas');
    this.window = h('div', { class: 'ls-ts-window' });
    this.overview = h('div', { class: 'ls-ts-overview' }, this.overviewCanvas, this.window);
    this.overview.addEventListener('pointerdown', (ev) => this.onOverviewDown(ev));
    this.el = h('div', { class: 'ls-object ls-ts', 'data-name': node.name }, this.status, ...this.channelEls.map((c) => c.el), this.axis, this.overview);
    app.objects.set(node.name, this);
    app.on(() => this.drawRegions());
    this.load().catch((err) => { this.status.textContent = `Cannot load the time series: ${err.message}`; this.el.classList.add('ls-error'); });
  }

  async load() {
    const raw = this.node.attrs.value || '';
    let source = this.app.resolve(raw);
    if (this.node.attrs.valueType === 'url') {
      const response = await fetch(String(source), { credentials: 'same-origin' });
      if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
      source = await response.text();
    }
    const sep = this.node.attrs.sep || (/\.tsv(\?|$)/.test(String(this.app.resolve(raw))) ? '\t' : ',');
    this.setData(seriesFrom(source, { sep, timeColumn: this.node.attrs.timeColumn, timeFormat: this.timeFormat, columns: this.channels.map((c) => c.column) }));
  }

  /** Data as {xs, columns, isTime}; also the entry point of the rendering benchmark. */
  setData(series) {
    const t0 = performance.now();
    this.series = series;
    const { xs } = series;
    this.indexes = {};
    this.ranges = {};
    for (const { column } of this.channels) {
      const ys = series.columns[column];
      const idx = blockIndex(ys);
      this.indexes[column] = idx;
      let lo = Infinity; let hi = -Infinity;
      for (let b = 0; b < idx.mins.length; b++) { if (idx.mins[b] < lo) lo = idx.mins[b]; if (idx.maxs[b] > hi) hi = idx.maxs[b]; }
      this.ranges[column] = [lo, hi === lo ? lo + 1 : hi];
    }
    this.x0 = xs[0] ?? 0;
    this.x1 = xs[xs.length - 1] ?? 1;
    this.view = [this.x0, this.x1];
    this.status.textContent = `${xs.length.toLocaleString('en')} points × ${this.channels.length} channel(s)`;
    this.el.dataset.points = String(xs.length);
    this.drawOverview();
    this.draw();
    this.drawRegions();
    this.firstRenderMs = performance.now() - t0;
  }

  setView(v0, v1) {
    const span = Math.max(v1 - v0, (this.x1 - this.x0) / 1e6 || 1e-9);
    const a = clamp(v0, this.x0, Math.max(this.x0, this.x1 - span));
    this.view = [a, Math.min(this.x1, a + span)];
    this.draw();
    this.drawRegions();
  }

  sized(canvas) {
    const w = canvas.clientWidth || 600; const hgt = canvas.clientHeight || 120;
    const dpr = globalThis.devicePixelRatio || 1;
    if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(hgt * dpr)) { canvas.width = Math.round(w * dpr); canvas.height = Math.round(hgt * dpr); }
    const g = canvas.getContext('2d');
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, w, hgt);
    return { g, w, hgt };
  }

  plot({ g, w, hgt }, { column, color, fixed }, v0, v1) {
    const ys = this.series.columns[column];
    const d = decimate(this.series.xs, ys, v0, v1, w, this.indexes[column]);
    let [lo, hi] = this.ranges[column];
    if (!fixed && d.count) { // the visible window's own range
      lo = Infinity; hi = -Infinity;
      for (let k = 0; k < d.count; k++) { if (d.mins[k] < lo) lo = d.mins[k]; if (d.maxs[k] > hi) hi = d.maxs[k]; }
      if (hi === lo) hi = lo + 1;
    }
    this.scales[column] = [lo, hi];
    const Y = (v) => hgt - 4 - ((v - lo) / (hi - lo)) * (hgt - 8);
    g.strokeStyle = color; g.lineWidth = 1; g.beginPath();
    for (let k = 0; k < d.count; k++) {
      const x = d.cols[k] + 0.5;
      if (k === 0) g.moveTo(x, Y(d.mins[k])); else g.lineTo(x, Y(d.mins[k]));
      if (d.maxs[k] !== d.mins[k]) g.lineTo(x, Y(d.maxs[k]));
    }
    g.stroke();
  }

  draw() {
    if (!this.series) return;
    const t0 = performance.now();
    const [v0, v1] = this.view;
    this.scales = {};
    for (const { chs, canvas } of this.channelEls) {
      const area = this.sized(canvas);
      for (const ch of chs) this.plot(area, ch, v0, v1);
    }
    const [left, mid, right] = this.axis.children;
    left.textContent = this.display(v0); mid.textContent = this.display((v0 + v1) / 2); right.textContent = this.display(v1);
    const total = this.x1 - this.x0 || 1;
    this.window.style.left = `${((v0 - this.x0) / total) * 100}%`;
    this.window.style.width = `${((v1 - v0) / total) * 100}%`;
    this.el.dataset.scales = JSON.stringify(this.scales);
    this.lastDrawMs = performance.now() - t0;
  }

  drawOverview() {
    const names = (this.node.attrs.overviewChannels || this.channels[0]?.column || '').split(',').map((s) => s.trim()).filter(Boolean);
    const area = this.sized(this.overviewCanvas);
    this.scales = {};
    for (const name of names) {
      const ch = this.channels.find((c) => c.column === name);
      if (ch) this.plot(area, { ...ch, fixed: true }, this.x0, this.x1);
    }
  }

  xAt(ev, el) {
    const r = el.getBoundingClientRect();
    const [v0, v1] = this.view;
    return v0 + clamp((ev.clientX - r.left) / (r.width || 1), 0, 1) * (v1 - v0);
  }

  /** The x value nearest to a data point (regions snap to samples, as in Label Studio). */
  snap(x) {
    const xs = this.series.xs;
    let lo = 0; let hi = xs.length - 1;
    while (lo < hi) { const mid = (lo + hi) >>> 1; if (xs[mid] < x) lo = mid + 1; else hi = mid; }
    return lo > 0 && Math.abs(xs[lo - 1] - x) < Math.abs(xs[lo] - x) ? xs[lo - 1] : xs[lo];
  }

  /** An x value as shown on the axis: times in timeDisplayFormat (strftime, else timeFormat), numbers
   * in timeDisplayFormat as a d3 number format (a subset), else rounded. */
  display(x) {
    if (this.series.isTime) return formatTime(x, this.displayFormat || this.timeFormat || '%Y-%m-%d %H:%M:%S');
    return formatNumber(x, this.displayFormat);
  }

  out(x) { return this.series.isTime ? formatTime(x, this.timeFormat) : x; }
  in(v) { return typeof v === 'string' ? timeParser(this.timeFormat)(v) : v; }

  activeLabels() {
    const active = this.app.getActive(this.name);
    return active && active.control.tag === 'TimeSeriesLabels' && !this.app.readOnly ? active : null;
  }

  onDown(ev, el) {
    if (ev.button !== 0 || !this.series) return;
    const hit = ev.target.closest('.ls-ts-region');
    if (hit) { this.app.store.select(hit.dataset.id); return; }
    ev.preventDefault();
    const active = this.activeLabels();
    const x0 = this.xAt(ev, el);
    if (!active) { // pan
      const [v0, v1] = this.view; const r = el.getBoundingClientRect(); const startX = ev.clientX;
      drag(ev, (e) => { const dx = ((e.clientX - startX) / (r.width || 1)) * (v1 - v0); this.setView(v0 - dx, v1 - dx); });
      return;
    }
    const ghost = h('div', { class: 'ls-ts-region ls-draft', style: { '--ls-color': '#2563eb' } });
    const layer = el.querySelector('.ls-ts-regions');
    layer.append(ghost);
    let x1 = x0; let moved = 0;
    drag(ev, (e) => { x1 = this.xAt(e, el); moved = Math.abs(e.clientX - ev.clientX); this.placeRegion(ghost, Math.min(x0, x1), Math.max(x0, x1)); }, () => {
      ghost.remove();
      if (moved < 4) return;
      const start = this.snap(Math.min(x0, x1)); const end = this.snap(Math.max(x0, x1));
      this.add(active, start, end, false);
    });
  }

  onDouble(ev, el) {
    const active = this.activeLabels();
    if (!active || !this.series || ev.target.closest('.ls-ts-region')) return;
    const x = this.snap(this.xAt(ev, el));
    this.add(active, x, x, true);
  }

  add(active, start, end, instant) {
    const value = { start: this.out(start), end: this.out(end), instant, timeserieslabels: [...active.labels] };
    this.app.addRegion(buildItem({ from_name: active.control.name, to_name: this.name, type: 'timeserieslabels', value }));
  }

  onWheel(ev, el) {
    if (!this.series) return;
    ev.preventDefault();
    const at = this.xAt(ev, el);
    const [v0, v1] = this.view;
    const k = Math.exp(ev.deltaY * 0.002);
    this.setView(at - (at - v0) * k, at + (v1 - at) * k);
  }

  onOverviewDown(ev) {
    if (ev.button !== 0 || !this.series) return;
    ev.preventDefault();
    const r = this.overview.getBoundingClientRect();
    const total = this.x1 - this.x0;
    const xOf = (e) => this.x0 + clamp((e.clientX - r.left) / (r.width || 1), 0, 1) * total;
    const [v0, v1] = this.view;
    const grab = xOf(ev);
    if (ev.target === this.window) {
      drag(ev, (e) => { const dx = xOf(e) - grab; this.setView(v0 + dx, v1 + dx); });
    } else {
      drag(ev, (e) => { const x = xOf(e); if (Math.abs(x - grab) > total / 1000) this.setView(Math.min(grab, x), Math.max(grab, x)); });
    }
  }

  placeRegion(el, start, end) {
    const [v0, v1] = this.view;
    el.style.left = `${((start - v0) / (v1 - v0)) * 100}%`;
    el.style.width = `${Math.max(0, ((end - start) / (v1 - v0)) * 100)}%`;
  }

  drawRegions() {
    if (!this.series) return;
    const items = this.app.store.items.filter((it) => it.to_name === this.name && it.type === 'timeserieslabels');
    for (const { regions } of this.channelEls) {
      regions.replaceChildren();
      for (const it of items) {
        if (this.app.store.isHidden?.(it.id)) continue;
        const el = h('div', { class: 'ls-ts-region ls-region', 'data-id': it.id, title: labelsOf(it).join(', '), style: { '--ls-color': this.app.colorFor(it) } });
        el.classList.toggle('ls-instant', !!it.value.instant);
        el.classList.toggle('ls-selected', this.app.store.selectedId === it.id);
        this.placeRegion(el, this.in(it.value.start), this.in(it.value.end));
        regions.append(el);
      }
    }
  }
}
