// Tiny inline-SVG charts for the dashboard (no chart library): line, bars, heat map.
const NS = 'http://www.w3.org/2000/svg';
const PALETTE = ['#2f6fed', '#16a34a', '#f59e0b', '#8b5cf6', '#ef4444', '#0ea5e9', '#14b8a6', '#e11d48', '#84cc16', '#a855f7'];

function s(tag, attrs = {}, text) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}
function svg(width, height, label) {
  return s('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': label, preserveAspectRatio: 'xMidYMid meet' });
}
const nice = (max) => {
  if (max <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((v) => v >= max) || max;
};
const fmt = (v) => (Math.abs(v) >= 1000 ? `${(v / 1000).toFixed(1)}k` : Number.isInteger(v) ? String(v) : v.toFixed(1));
export function empty(text) {
  const d = document.createElement('div');
  d.className = 'empty muted';
  d.textContent = text;
  return d;
}

/** Line chart: series = [{name, color, points: [[label, value], ...]}], shared x labels. */
export function lineChart({ labels, series, width = 560, height = 230, label = 'line chart' }) {
  if (!labels.length) return empty('No data yet.');
  const m = { l: 40, r: 12, t: 12, b: 28 };
  const W = width - m.l - m.r;
  const H = height - m.t - m.b;
  const max = nice(Math.max(1, ...series.flatMap((x) => x.values)));
  const x = (i) => m.l + (labels.length === 1 ? W / 2 : (i * W) / (labels.length - 1));
  const y = (v) => m.t + H - (v / max) * H;
  const root = svg(width, height, label);
  const axis = s('g', { class: 'axis' });
  for (let k = 0; k <= 4; k++) {
    const v = (max * k) / 4;
    axis.append(s('line', { x1: m.l, x2: m.l + W, y1: y(v), y2: y(v), 'stroke-dasharray': k ? '2 3' : null }));
    axis.append(s('text', { x: m.l - 6, y: y(v) + 4, 'text-anchor': 'end' }, fmt(v)));
  }
  const step = Math.ceil(labels.length / 8);
  labels.forEach((l, i) => { if (i % step === 0 || i === labels.length - 1) axis.append(s('text', { x: x(i), y: height - 8, 'text-anchor': 'middle' }, l)); });
  root.append(axis);
  series.forEach((ser, k) => {
    const color = ser.color || PALETTE[k % PALETTE.length];
    const pts = ser.values.map((v, i) => `${x(i)},${y(v)}`).join(' ');
    if (ser.area) root.append(s('polygon', { points: `${x(0)},${y(0)} ${pts} ${x(ser.values.length - 1)},${y(0)}`, fill: color, opacity: 0.12 }));
    root.append(s('polyline', { points: pts, fill: 'none', stroke: color, 'stroke-width': 2, 'stroke-linejoin': 'round' }));
    ser.values.forEach((v, i) => {
      const dot = s('circle', { cx: x(i), cy: y(v), r: labels.length > 40 ? 0 : 2.5, fill: color });
      dot.append(s('title', {}, `${ser.name} ${labels[i]}: ${fmt(v)}`));
      root.append(dot);
    });
  });
  root.append(legend(series, width - m.r, m.t));
  return root;
}

function legend(series, right, top) {
  const g = s('g', { class: 'legend' });
  let xPos = right;
  [...series].reverse().forEach((ser, k) => {
    const color = ser.color || PALETTE[(series.length - 1 - k) % PALETTE.length];
    const w = ser.name.length * 6 + 18;
    xPos -= w;
    g.append(s('rect', { x: xPos, y: top - 8, width: 9, height: 9, rx: 2, fill: color }));
    g.append(s('text', { x: xPos + 13, y: top, class: 'lbl' }, ser.name));
  });
  return g;
}

/** Horizontal bars: items = [{label, value, note?}]. */
export function barChart({ items, width = 560, unit = '', label = 'bar chart', color = PALETTE[0] }) {
  if (!items.length) return empty('No data yet.');
  const rowH = 24;
  const m = { l: Math.min(160, 12 + Math.max(...items.map((i) => i.label.length)) * 6.5), r: 70, t: 6, b: 6 };
  const height = m.t + m.b + items.length * rowH;
  const W = width - m.l - m.r;
  const max = Math.max(...items.map((i) => i.value), 0) || 1;
  const root = svg(width, height, label);
  items.forEach((it, i) => {
    const yPos = m.t + i * rowH;
    const g = s('g', { class: 'bar-row', 'data-label': it.label });
    g.append(s('text', { x: m.l - 8, y: yPos + rowH / 2 + 4, 'text-anchor': 'end', class: 'lbl' }, it.label.length > 24 ? `${it.label.slice(0, 23)}…` : it.label));
    g.append(s('rect', { x: m.l, y: yPos + 4, width: W, height: rowH - 8, rx: 3, fill: '#f1f3f6' }));
    const bar = s('rect', { x: m.l, y: yPos + 4, width: Math.max(1, (it.value / max) * W), height: rowH - 8, rx: 3, fill: it.color || color });
    bar.append(s('title', {}, `${it.label}: ${fmt(it.value)}${unit}${it.note ? ` (${it.note})` : ''}`));
    g.append(bar);
    g.append(s('text', { x: m.l + W + 6, y: yPos + rowH / 2 + 4, class: 'lbl' }, `${fmt(it.value)}${unit}`));
    root.append(g);
  });
  return root;
}

/** Heat map of a symmetric matrix: names = [..], value(a, b) -> 0..1 or null. */
export function heatMap({ names, value, width = 560, label = 'heat map' }) {
  if (names.length < 2) return empty('Agreement needs tasks labeled by at least two annotators.');
  const m = { l: Math.min(140, 14 + Math.max(...names.map((n) => n.length)) * 6.5), t: 14, r: 10, b: 40 };
  const cell = Math.min(56, (width - m.l - m.r) / names.length);
  const height = m.t + m.b + cell * names.length;
  const root = svg(width, height, label);
  const color = (v) => (v == null ? '#f3f4f6' : `hsl(${Math.round(v * 130)}, 65%, ${Math.round(88 - v * 38)}%)`);
  names.forEach((a, i) => {
    root.append(s('text', { x: m.l - 8, y: m.t + i * cell + cell / 2 + 4, 'text-anchor': 'end', class: 'lbl' }, a));
    root.append(s('text', { x: m.l + i * cell + cell / 2, y: m.t + names.length * cell + 16, 'text-anchor': 'middle', class: 'lbl' }, a.length > 8 ? `${a.slice(0, 7)}…` : a));
    names.forEach((b, j) => {
      const v = i === j ? 1 : value(a, b);
      const r = s('rect', { x: m.l + j * cell, y: m.t + i * cell, width: cell - 2, height: cell - 2, rx: 3, fill: color(v), class: 'cell', 'data-a': a, 'data-b': b });
      r.append(s('title', {}, `${a} × ${b}: ${v == null ? 'no shared tasks' : `${Math.round(v * 100)}%`}`));
      root.append(r);
      if (v != null && cell >= 28) root.append(s('text', { x: m.l + j * cell + cell / 2 - 1, y: m.t + i * cell + cell / 2 + 3, 'text-anchor': 'middle', 'font-size': 10, fill: '#1f2937' }, `${Math.round(v * 100)}`));
    });
  });
  return root;
}

export { PALETTE };
