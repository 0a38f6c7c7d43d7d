import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arrowPath, boxEdge } from '../../static/labeling/ui/relation-arrows.js';

test('boxEdge: where a line from the centre leaves the box', () => {
  const box = { x: 0, y: 0, width: 100, height: 40 };
  assert.deepEqual(boxEdge(box, 200, 20), [100, 20]);
  assert.deepEqual(boxEdge(box, 50, -100), [50, 0]);
  assert.deepEqual(boxEdge(box, 50, 20), [50, 20]);
  assert.deepEqual(boxEdge(box, 60, 25), [60, 25]); // target inside the box: the target itself
});

test('arrowPath: from the edge of one box to the edge of the other, bent upwards, label at the apex', () => {
  const a = { x: 0, y: 100, width: 20, height: 20 };
  const b = { x: 200, y: 100, width: 20, height: 20 };
  const { d, label } = arrowPath(a, b);
  const nums = d.match(/-?[\d.]+/g).map(Number);
  const [x1, y1, cx, cy, x2, y2] = nums;
  assert.ok(x1 > 10 && x1 <= 20 && y1 >= 100, d);
  assert.ok(x2 >= 200 && x2 < 210 && y2 >= 100, d);
  assert.equal(cx, 110);
  assert.ok(cy < 100, 'the curve bends above the boxes');
  assert.ok(label[1] < 110 && label[1] > cy, `label ${label}`);
  assert.equal(label[0], 110);
});
