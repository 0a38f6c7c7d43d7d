// Geometry helpers, DOM-free. Results store shapes in percent of the image;
// interaction maths happens in pixels (rotation is only angle-preserving there).
// Rectangles rotate around their (x, y) top-left corner, like Label Studio.

export const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
export const round = (v, digits = 4) => {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};
export const toPercent = (px, size) => (size ? (px / size) * 100 : 0);
export const toPixels = (pct, size) => (pct / 100) * size;
export const normalizeAngle = (deg) => {
  const d = deg % 360;
  return round(d < 0 ? d + 360 : d, 4);
};

export function rectToPixels(r, W, H) {
  return { x: toPixels(r.x, W), y: toPixels(r.y, H), width: toPixels(r.width, W), height: toPixels(r.height, H), rotation: r.rotation || 0 };
}
export function rectToPercent(r, W, H) {
  return { x: toPercent(r.x, W), y: toPercent(r.y, H), width: toPercent(r.width, W), height: toPercent(r.height, H), rotation: normalizeAngle(r.rotation || 0) };
}

/** Rotate point (px,py) around (cx,cy) by deg degrees (clockwise in screen coordinates). */
export function rotatePoint(px, py, cx, cy, deg) {
  const a = (deg * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const dx = px - cx;
  const dy = py - cy;
  return [cx + dx * cos - dy * sin, cy + dx * sin + dy * cos];
}

/** Corners of a (pixel) rect in order tl, tr, br, bl. */
export function rectCorners(r) {
  const { x, y, width: w, height: h } = r;
  const rot = r.rotation || 0;
  return [[x, y], [x + w, y], [x + w, y + h], [x, y + h]].map(([px, py]) => rotatePoint(px, py, x, y, rot));
}

export function bbox(points) {
  let x0 = Infinity; let y0 = Infinity; let x1 = -Infinity; let y1 = -Infinity;
  for (const [x, y] of points) {
    if (x < x0) x0 = x;
    if (y < y0) y0 = y;
    if (x > x1) x1 = x;
    if (y > y1) y1 = y;
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** Shift a rect (any rotation) so that it lies inside [0,W]x[0,H]; shrink if it cannot fit. */
export function clampRect(r, W, H) {
  let out = { ...r };
  if (!out.rotation) {
    out.width = clamp(out.width, 0, W);
    out.height = clamp(out.height, 0, H);
    out.x = clamp(out.x, 0, W - out.width);
    out.y = clamp(out.y, 0, H - out.height);
    return out;
  }
  const b = bbox(rectCorners(out));
  if (b.width > W || b.height > H) {
    const k = Math.min(W / b.width, H / b.height);
    out = { ...out, width: out.width * k, height: out.height * k };
  }
  const b2 = bbox(rectCorners(out));
  const dx = b2.x < 0 ? -b2.x : b2.x + b2.width > W ? W - (b2.x + b2.width) : 0;
  const dy = b2.y < 0 ? -b2.y : b2.y + b2.height > H ? H - (b2.y + b2.height) : 0;
  out.x += dx;
  out.y += dy;
  return out;
}

export function clampPoint([x, y], W, H) {
  return [clamp(x, 0, W), clamp(y, 0, H)];
}

/** Rect from two drag points (unrotated), clamped to the image. */
export function rectFromPoints(a, b, W, H) {
  const [x0, y0] = clampPoint(a, W, H);
  const [x1, y1] = clampPoint(b, W, H);
  return { x: Math.min(x0, x1), y: Math.min(y0, y1), width: Math.abs(x1 - x0), height: Math.abs(y1 - y0), rotation: 0 };
}

export function moveRect(r, dx, dy, W, H) {
  return clampRect({ ...r, x: r.x + dx, y: r.y + dy }, W, H);
}

/**
 * Resize a pixel rect by dragging a handle ('n','s','e','w','ne','nw','se','sw') to pointer p.
 * Works in the rect's own (rotated) frame; the opposite edge stays put.
 */
export function resizeRect(r, handle, p, W, H) {
  const rot = r.rotation || 0;
  const [lx, ly] = rotatePoint(p[0], p[1], r.x, r.y, -rot).map((v, i) => v - (i ? r.y : r.x));
  let x0 = 0; let y0 = 0; let x1 = r.width; let y1 = r.height;
  if (handle.includes('w')) x0 = lx;
  if (handle.includes('e')) x1 = lx;
  if (handle.includes('n')) y0 = ly;
  if (handle.includes('s')) y1 = ly;
  const nx = Math.min(x0, x1); const ny = Math.min(y0, y1);
  const [wx, wy] = rotatePoint(r.x + nx, r.y + ny, r.x, r.y, rot);
  const out = { x: wx, y: wy, width: Math.max(1, Math.abs(x1 - x0)), height: Math.max(1, Math.abs(y1 - y0)), rotation: rot };
  return clampRect(out, W, H);
}

/** Rotation (degrees) so that the rect's top-centre handle points at p, rotating about the centre. */
export function rotateRectTo(r, p, W, H) {
  const [cx, cy] = rectCenter(r);
  const deg = (Math.atan2(p[1] - cy, p[0] - cx) * 180) / Math.PI + 90;
  return rotateRectAboutCenter(r, deg, W, H);
}

export function rectCenter(r) {
  return rotatePoint(r.x + r.width / 2, r.y + r.height / 2, r.x, r.y, r.rotation || 0);
}

/** Set the rotation while keeping the visual centre fixed (x,y is the rotated top-left). */
export function rotateRectAboutCenter(r, deg, W, H) {
  const [cx, cy] = rectCenter(r);
  const rot = normalizeAngle(deg);
  const [x, y] = rotatePoint(cx - r.width / 2, cy - r.height / 2, cx, cy, rot);
  const out = { ...r, x, y, rotation: rot };
  return W && H ? clampRect(out, W, H) : out;
}

export function pointInPolygon([px, py], pts) {
  let inside = false;
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
    const [xi, yi] = pts[i];
    const [xj, yj] = pts[j];
    if ((yi > py) !== (yj > py) && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function pointInRect(p, r) {
  const [lx, ly] = rotatePoint(p[0], p[1], r.x, r.y, -(r.rotation || 0));
  return lx >= r.x && lx <= r.x + r.width && ly >= r.y && ly <= r.y + r.height;
}

export function pointInEllipse([px, py], e) {
  const [lx, ly] = rotatePoint(px, py, e.x, e.y, -(e.rotation || 0));
  const dx = (lx - e.x) / (e.radiusX || 1e-9);
  const dy = (ly - e.y) / (e.radiusY || 1e-9);
  return dx * dx + dy * dy <= 1;
}

export function movePoints(points, dx, dy, W, H) {
  const b = bbox(points);
  const ddx = clamp(dx, -b.x, W - (b.x + b.width));
  const ddy = clamp(dy, -b.y, H - (b.y + b.height));
  return points.map(([x, y]) => [x + ddx, y + ddy]);
}

export function ellipseClamp(e, W, H) {
  return { ...e, x: clamp(e.x, 0, W), y: clamp(e.y, 0, H), radiusX: clamp(e.radiusX, 0, W), radiusY: clamp(e.radiusY, 0, H) };
}

/** Percent helpers for the other shapes. */
export const pointsToPercent = (pts, W, H) => pts.map(([x, y]) => [toPercent(x, W), toPercent(y, H)]);
export const pointsToPixels = (pts, W, H) => pts.map(([x, y]) => [toPixels(x, W), toPixels(y, H)]);
export function ellipseToPercent(e, W, H) {
  return { x: toPercent(e.x, W), y: toPercent(e.y, H), radiusX: toPercent(e.radiusX, W), radiusY: toPercent(e.radiusY, H), rotation: normalizeAngle(e.rotation || 0) };
}
export function ellipseToPixels(e, W, H) {
  return { x: toPixels(e.x, W), y: toPixels(e.y, H), radiusX: toPixels(e.radiusX, W), radiusY: toPixels(e.radiusY, H), rotation: e.rotation || 0 };
}
