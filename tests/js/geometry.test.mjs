import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as G from '../../static/labeling/geometry.js';

const close = (a, b, eps = 1e-6) => assert.ok(Math.abs(a - b) < eps, `${a} != ${b}`);
const closePt = (p, q) => { close(p[0], q[0]); close(p[1], q[1]); };

test('percent <-> pixels', () => {
  assert.equal(G.toPercent(200, 800), 25);
  assert.equal(G.toPixels(25, 800), 200);
  assert.equal(G.toPercent(5, 0), 0);
  const r = { x: 80, y: 60, width: 160, height: 120, rotation: 10 };
  assert.deepEqual(G.rectToPercent(r, 800, 600), { x: 10, y: 10, width: 20, height: 20, rotation: 10 });
  assert.deepEqual(G.rectToPixels(G.rectToPercent(r, 800, 600), 800, 600), r);
  assert.deepEqual(G.pointsToPercent([[400, 300]], 800, 600), [[50, 50]]);
  assert.deepEqual(G.ellipseToPercent({ x: 400, y: 300, radiusX: 80, radiusY: 60, rotation: -90 }, 800, 600), { x: 50, y: 50, radiusX: 10, radiusY: 10, rotation: 270 });
});

test('rotation: points, corners about the top-left, centre-preserving rotation', () => {
  closePt(G.rotatePoint(10, 0, 0, 0, 90), [0, 10]);
  closePt(G.rotatePoint(1, 1, 1, 1, 33), [1, 1]);
  const c = G.rectCorners({ x: 10, y: 10, width: 20, height: 10, rotation: 90 });
  closePt(c[0], [10, 10]);
  closePt(c[1], [10, 30]);
  closePt(c[2], [0, 30]);
  const r = { x: 100, y: 100, width: 40, height: 20, rotation: 0 };
  const rr = G.rotateRectAboutCenter(r, 90);
  closePt(G.rectCenter(rr), G.rectCenter(r));
  assert.equal(rr.rotation, 90);
  assert.equal(G.normalizeAngle(-30), 330);
  assert.equal(G.normalizeAngle(725), 5);
});

test('rotateRectTo: pointer straight right of the centre -> 90 degrees', () => {
  const r = { x: 100, y: 100, width: 40, height: 40, rotation: 0 };
  const out = G.rotateRectTo(r, [300, 120], 1000, 1000);
  close(out.rotation, 90);
  closePt(G.rectCenter(out), [120, 120]);
});

test('clamping at the borders', () => {
  assert.equal(G.clamp(5, 0, 3), 3);
  assert.deepEqual(G.clampRect({ x: -10, y: 90, width: 20, height: 20, rotation: 0 }, 100, 100), { x: 0, y: 80, width: 20, height: 20, rotation: 0 });
  assert.deepEqual(G.clampRect({ x: 0, y: 0, width: 200, height: 50, rotation: 0 }, 100, 100), { x: 0, y: 0, width: 100, height: 50, rotation: 0 });
  const moved = G.moveRect({ x: 10, y: 10, width: 20, height: 20, rotation: 0 }, 500, -500, 100, 100);
  assert.deepEqual([moved.x, moved.y], [80, 0]);
  // rotated rect: all corners stay inside
  const rot = G.clampRect({ x: 95, y: 50, width: 20, height: 10, rotation: 30 }, 100, 100);
  for (const [x, y] of G.rectCorners(rot)) assert.ok(x >= -1e-9 && x <= 100 + 1e-9 && y >= -1e-9 && y <= 100 + 1e-9, `${x},${y}`);
  assert.deepEqual(G.rectFromPoints([50, 50], [-20, 130], 100, 100), { x: 0, y: 50, width: 50, height: 50, rotation: 0 });
  assert.deepEqual(G.movePoints([[10, 10], [20, 20]], -50, 0, 100, 100), [[0, 10], [10, 20]]);
  assert.deepEqual(G.clampPoint([-1, 101], 100, 100), [0, 100]);
});

test('resizeRect keeps the opposite corner fixed, also when rotated', () => {
  const r = { x: 10, y: 10, width: 20, height: 20, rotation: 0 };
  assert.deepEqual(G.resizeRect(r, 'se', [50, 40], 100, 100), { x: 10, y: 10, width: 40, height: 30, rotation: 0 });
  assert.deepEqual(G.resizeRect(r, 'nw', [0, 5], 100, 100), { x: 0, y: 5, width: 30, height: 25, rotation: 0 });
  assert.deepEqual(G.resizeRect(r, 'e', [15, 99], 100, 100), { x: 10, y: 10, width: 5, height: 20, rotation: 0 });
  const rot = { x: 50, y: 50, width: 20, height: 10, rotation: 90 };
  const se0 = G.rectCorners(rot)[2];
  const out = G.resizeRect(rot, 'nw', [55, 45], 1000, 1000);
  closePt(G.rectCorners(out)[2], se0);
  const flipped = G.resizeRect(r, 'e', [0, 0], 100, 100); // dragged past the west edge
  assert.deepEqual(flipped, { x: 0, y: 10, width: 10, height: 20, rotation: 0 });
});

test('hit testing: point in polygon / rect / ellipse', () => {
  const sq = [[0, 0], [10, 0], [10, 10], [0, 10]];
  assert.equal(G.pointInPolygon([5, 5], sq), true);
  assert.equal(G.pointInPolygon([15, 5], sq), false);
  const concave = [[0, 0], [10, 0], [10, 10], [5, 5], [0, 10]];
  assert.equal(G.pointInPolygon([5, 8], concave), false);
  assert.equal(G.pointInPolygon([2, 2], concave), true);
  assert.equal(G.pointInRect([15, 12], { x: 10, y: 10, width: 10, height: 5, rotation: 0 }), true);
  assert.equal(G.pointInRect([15, 12], { x: 10, y: 10, width: 10, height: 5, rotation: 90 }), false);
  assert.equal(G.pointInEllipse([14, 0], { x: 0, y: 0, radiusX: 15, radiusY: 2, rotation: 0 }), true);
  assert.equal(G.pointInEllipse([14, 0], { x: 0, y: 0, radiusX: 15, radiusY: 2, rotation: 90 }), false);
});
