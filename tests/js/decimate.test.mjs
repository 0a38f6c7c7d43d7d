import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decimate, blockIndex, lowerBound, BLOCK } from '../../static/labeling/decimate.js';

function naive(xs, ys, x0, x1, w) {
  const out = new Map();
  for (let i = 0; i < xs.length; i++) {
    if (xs[i] < x0 || xs[i] > x1) continue;
    const c = Math.min(w - 1, Math.floor(((xs[i] - x0) / (x1 - x0)) * w));
    const [lo, hi] = out.get(c) || [Infinity, -Infinity];
    out.set(c, [Math.min(lo, ys[i]), Math.max(hi, ys[i])]);
  }
  return out;
}

test('min/max per pixel column equals the brute-force answer, with and without the block index', () => {
  const n = 100_000;
  const xs = new Float64Array(n); const ys = new Float64Array(n);
  let seed = 7;
  for (let i = 0; i < n; i++) { xs[i] = i * 0.5; seed = (seed * 16807) % 2147483647; ys[i] = Math.sin(i / 300) * 10 + (seed / 2147483647); }
  const index = blockIndex(ys);
  for (const [x0, x1, w] of [[0, xs[n - 1], 800], [1000.25, 1300.75, 640], [20000, 20010, 300], [0, 40000, 37]]) {
    const want = naive(xs, ys, x0, x1, w);
    for (const idx of [null, index]) {
      const got = decimate(xs, ys, x0, x1, w, idx);
      const inside = new Map();
      for (let k = 0; k < got.count; k++) if (got.cols[k] >= 0 && got.cols[k] < w) inside.set(got.cols[k], [got.mins[k], got.maxs[k]]);
      // each column's own points (boundaries: a point exactly on an edge belongs to the right column)
      let lo = Infinity; let hi = -Infinity; let lo2 = Infinity; let hi2 = -Infinity;
      for (const [a, b] of want.values()) { lo = Math.min(lo, a); hi = Math.max(hi, b); }
      for (const [a, b] of inside.values()) { lo2 = Math.min(lo2, a); hi2 = Math.max(hi2, b); }
      assert.equal(lo2, lo); assert.equal(hi2, hi);
      assert.ok(Math.abs(inside.size - want.size) <= 2, `${inside.size} vs ${want.size}`);
      let differ = 0; // float rounding may move a point sitting exactly on a column edge
      for (const [c, [a, b]] of want) {
        const [ga, gb] = inside.get(c) || [NaN, NaN];
        if (ga !== a || gb !== b) differ++;
      }
      assert.ok(differ <= 2, `${differ} columns differ`);
      assert.ok(got.count <= w + 2);
    }
  }
});

test('block index and edges', () => {
  const ys = Float64Array.from({ length: BLOCK * 3 + 5 }, (_, i) => (i === 100 ? 99 : i % 7));
  const { mins, maxs } = blockIndex(ys);
  assert.equal(mins.length, 4);
  assert.equal(maxs[1], 99);
  const xs = Float64Array.from(ys, (_, i) => i);
  assert.equal(lowerBound(xs, 10.5), 11);
  const got = decimate(xs, ys, 10, 20, 5);
  assert.equal(got.cols[0], -1); // the point before the window, so the line reaches the edge
  assert.equal(got.cols[got.count - 1], 5);
  assert.equal(got.count, 7);
});
