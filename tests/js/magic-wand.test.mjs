import { test } from 'node:test';
import assert from 'node:assert/strict';
import { floodFill, dragThreshold, maskToRGBA } from '../../static/labeling/magic-wand.js';

// 8x6 image: background (200,200,200), a 3x2 block (10,20,30) at x 1..3, y 1..2, a near-block
// pixel (18,25,35) next to it at (4,1), and an isolated copy of the block colour at (6,4).
function image() {
  const w = 8, h = 6;
  const rgba = new Uint8ClampedArray(w * h * 4).fill(200);
  const put = (x, y, [r, g, b]) => rgba.set([r, g, b, 255], (y * w + x) * 4);
  for (let y = 1; y <= 2; y++) for (let x = 1; x <= 3; x++) put(x, y, [10, 20, 30]);
  put(4, 1, [18, 25, 35]);
  put(6, 4, [10, 20, 30]);
  return { rgba, w, h };
}
const picked = (mask, w) => [...mask].flatMap((v, i) => (v ? [`${i % w},${Math.floor(i / w)}`] : []));

test('flood fill takes the connected pixels within the threshold of the seed colour', () => {
  const { rgba, w, h } = image();
  assert.deepEqual(picked(floodFill(rgba, w, h, 2, 1, 0), w), ['1,1', '2,1', '3,1', '1,2', '2,2', '3,2']);
  // threshold 8 reaches the near pixel (max channel difference 8), never the unconnected copy
  const wider = picked(floodFill(rgba, w, h, 2, 1, 8), w);
  assert.equal(wider.length, 7);
  assert.ok(wider.includes('4,1') && !wider.includes('6,4'));
  // a threshold past the background difference floods everything connected
  assert.equal(picked(floodFill(rgba, w, h, 2, 1, 190), w).length, w * h);
  assert.equal(picked(floodFill(rgba, w, h, -1, 2, 50), w).length, 0);
});

test('the threshold grows with the drag distance, within 0..255', () => {
  assert.equal(dragThreshold(15, 0), 15);
  assert.equal(dragThreshold(15, 100), 65);
  assert.equal(dragThreshold(15, 10000), 255);
  assert.equal(dragThreshold(-5, 0), 0);
});

test('a mask becomes opaque white pixels for the brush canvas', () => {
  assert.deepEqual([...maskToRGBA(Uint8Array.from([0, 1]))], [0, 0, 0, 0, 255, 255, 255, 255]);
});
