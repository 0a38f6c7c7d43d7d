import test from 'node:test';
import assert from 'node:assert/strict';
import { phraseTimes, phraseAt } from '../../static/labeling/phrases.js';

test('phrase times come from start/end, start+duration, or the next phrase', () => {
  const t = phraseTimes([
    { text: 'a', start: 0, end: 1.5 },
    { text: 'b', start: '1.5', duration: 1 },
    { text: 'c', start: 3 },
    { text: 'd' },
    { text: 'e', start: 4 },
  ]);
  assert.deepEqual(t[0], { start: 0, end: 1.5 });
  assert.deepEqual(t[1], { start: 1.5, end: 2.5 });
  assert.deepEqual(t[2], { start: 3, end: Infinity });
  assert.equal(t[3], null);
  assert.deepEqual(t[4], { start: 4, end: Infinity });
});

test('phraseAt finds the phrase playing at a time', () => {
  const t = phraseTimes([{ start: 0, end: 1 }, { start: 1, end: 2 }, { text: 'x' }, { start: 2.5, end: 3 }]);
  assert.equal(phraseAt(t, 0.2), 0);
  assert.equal(phraseAt(t, 1), 1);
  assert.equal(phraseAt(t, 2.2), -1);
  assert.equal(phraseAt(t, 2.7), 3);
  assert.equal(phraseAt(t, 9), -1);
  assert.deepEqual(phraseTimes(null), []);
});
