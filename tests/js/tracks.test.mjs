import { test } from 'node:test';
import assert from 'node:assert/strict';
import { boxAt, setKeyframe, toggleAt, frameAt, timeOf } from '../../static/labeling/tracks.js';

const K = (frame, x, extra = {}) => ({ frame, time: (frame - 1) / 25, x, y: 10, width: 20, height: 30, rotation: 0, enabled: true, ...extra });

test('linear interpolation between two keyframes', () => {
  const seq = [K(11, 50), K(1, 10)]; // unsorted on purpose
  assert.equal(boxAt(seq, 0), null); // before the first keyframe
  assert.deepEqual(boxAt(seq, 1), { x: 10, y: 10, width: 20, height: 30, rotation: 0, keyframe: true, enabled: true });
  assert.equal(boxAt(seq, 6).x, 30); // halfway
  assert.equal(boxAt(seq, 3).x, 18);
  assert.equal(boxAt(seq, 6).keyframe, false);
  assert.equal(boxAt(seq, 40).x, 50); // held after the last keyframe
});

test('a disabled keyframe hides the track after it, until the next keyframe', () => {
  const seq = [K(1, 10), K(5, 20, { enabled: false }), K(9, 40)];
  assert.equal(boxAt(seq, 5).x, 20); // the keyframe itself is shown
  assert.equal(boxAt(seq, 5).enabled, false);
  assert.equal(boxAt(seq, 6), null);
  assert.equal(boxAt(seq, 9).x, 40);
  assert.equal(boxAt(seq, 3).x, 15);
});

test('editing a frame adds a keyframe; toggling switches the track off and on', () => {
  let seq = [K(1, 10), K(11, 50)];
  seq = setKeyframe(seq, 6, { x: 33, y: 10, width: 20, height: 30 }, { fps: 25 });
  assert.deepEqual(seq.map((k) => k.frame), [1, 6, 11]);
  assert.equal(seq[1].time, 0.24); // frame / fps, as Label Studio's editor writes it
  assert.equal(boxAt(seq, 6).x, 33);
  seq = toggleAt(seq, 8, 25);
  assert.equal(seq.find((k) => k.frame === 8).enabled, false);
  assert.equal(boxAt(seq, 9), null);
  seq = toggleAt(seq, 8, 25);
  assert.equal(seq.find((k) => k.frame === 8).enabled, true);
  assert.ok(boxAt(seq, 9));
});

test('frames and times: 1-based frames, seek to a frame middle', () => {
  assert.equal(frameAt(0, 25), 1);
  assert.equal(frameAt(0.04, 25), 2);
  assert.equal(frameAt(timeOf(7, 25), 25), 7);
});
