// Relations drawn as arrows between their regions, on one SVG layer over the objects (.ls-main):
// from the edge of one region's box to the edge of the other's, bent upwards like Label Studio's,
// with arrowheads for the direction (right: to, left: from, bi: both) and the relation's labels.
// The geometry (arrowPath) is DOM-free; the layer redraws on every store change, resize and scroll.
import { s } from './dom.js';

/** Where the segment from a box's centre towards (tx, ty) leaves the box ({x, y, width, height}). */
export function boxEdge(box, tx, ty) {
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const dx = tx - cx;
  const dy = ty - cy;
  if (!dx && !dy) return [cx, cy];
  const t = Math.min(dx ? box.width / 2 / Math.abs(dx) : Infinity, dy ? box.height / 2 / Math.abs(dy) : Infinity, 1);
  return [cx + dx * t, cy + dy * t];
}

/** SVG path (a quadratic curve bent upwards) between two boxes, and the point for its label. */
export function arrowPath(a, b) {
  const ac = [a.x + a.width / 2, a.y + a.height / 2];
  const bc = [b.x + b.width / 2, b.y + b.height / 2];
  const lift = Math.min(60, 16 + Math.hypot(bc[0] - ac[0], bc[1] - ac[1]) * 0.15);
  const ctrl = [(ac[0] + bc[0]) / 2, Math.min(ac[1], bc[1]) - lift];
  const p1 = boxEdge(a, ...ctrl);
  const p2 = boxEdge(b, ...ctrl);
  const r = (v) => Math.round(v * 10) / 10;
  const label = [r(0.25 * p1[0] + 0.5 * ctrl[0] + 0.25 * p2[0]), r(0.25 * p1[1] + 0.5 * ctrl[1] + 0.25 * p2[1])];
  return { d: `M${r(p1[0])},${r(p1[1])} Q${r(ctrl[0])},${r(ctrl[1])} ${r(p2[0])},${r(p2[1])}`, label };
}

export class RelationArrows {
  constructor(app) {
    this.app = app;
    this.host = app.mainEl;
    this.host.classList.add('ls-has-arrows');
    const defs = s('defs');
    const marker = (id, d) => {
      const m = s('marker', { id, viewBox: '0 0 10 10', refX: '9', refY: '5', markerWidth: '7', markerHeight: '7', orient: 'auto-start-reverse' });
      m.append(s('path', { d, class: 'ls-arrow-head' }));
      defs.append(m);
    };
    this.markerId = `ls-arrow-${Math.random().toString(36).slice(2, 8)}`;
    marker(this.markerId, 'M0,0 L10,5 L0,10 z');
    this.svg = s('svg', { class: 'ls-relation-arrows', 'aria-hidden': 'true' });
    this.layer = s('g');
    this.svg.append(defs, this.layer);
    this.host.append(this.svg);
    this.queued = false;
    this.schedule = () => {
      if (this.queued) return;
      this.queued = true;
      requestAnimationFrame(() => { this.queued = false; this.draw(); });
    };
    app.on(this.schedule);
    const passive = { passive: true, capture: true };
    window.addEventListener('resize', this.schedule);
    this.host.addEventListener('scroll', this.schedule, passive);
    this.host.addEventListener('pointerup', this.schedule, passive);
    this.host.addEventListener('wheel', this.schedule, passive);
    this.host.addEventListener('load', this.schedule, passive);
    this.host.addEventListener('click', this.schedule, passive);
    app.cleanups.push(() => window.removeEventListener('resize', this.schedule));
    this.schedule();
  }

  /** The region's box relative to the layer, from its first visible element; null when not shown. */
  boxOf(id, origin) {
    const q = CSS.escape(String(id));
    for (const el of this.host.querySelectorAll(`.ls-shape[data-id="${q}"] .ls-shape-body, .ls-region[data-id="${q}"]`)) {
      const r = el.getBoundingClientRect();
      if (r.width || r.height) return { x: r.left - origin.left, y: r.top - origin.top, width: r.width, height: r.height };
    }
    return null;
  }

  draw() {
    const rels = this.app.store.items.filter((it) => it.type === 'relation');
    this.layer.replaceChildren();
    if (!rels.length) return;
    const origin = this.svg.getBoundingClientRect();
    for (const rel of rels) {
      const a = this.boxOf(rel.from_id, origin);
      const b = this.boxOf(rel.to_id, origin);
      if (!a || !b) continue;
      const { d, label } = arrowPath(a, b);
      const dir = rel.direction || 'right';
      const g = s('g', { class: 'ls-relation-arrow', 'data-from': rel.from_id, 'data-to': rel.to_id, 'data-direction': dir });
      const url = `url(#${this.markerId})`;
      g.append(s('path', { d, class: 'ls-arrow-line', 'marker-end': dir !== 'left' ? url : null, 'marker-start': dir !== 'right' ? url : null }));
      if (rel.labels && rel.labels.length) {
        const t = s('text', { x: label[0], y: label[1] - 3, class: 'ls-arrow-label', 'text-anchor': 'middle' });
        t.textContent = rel.labels.join(', ');
        g.append(t);
      }
      this.layer.append(g);
    }
  }
}
