import { test } from 'node:test';
import assert from 'node:assert/strict';
import { snapSpan } from '../../static/labeling/granularity.js';

const T = 'Dr. Who arrived. It was late! Nobody\u2019s home?\nNext line here.';
const at = (s) => [T.indexOf(s), T.indexOf(s) + s.length];
const snap = (s, g) => snapSpan(T, ...at(s), g)?.text;

test('symbol keeps the selection, trimming white space', () => {
  assert.equal(snap('rived. I', 'symbol'), 'rived. I');
  assert.equal(snap(' It ', 'symbol'), 'It');
  assert.equal(snapSpan(T, 3, 4, 'symbol'), null);
});

test('word grows to whole words (letters, digits, apostrophes, hyphens)', () => {
  assert.equal(snap('rriv', 'word'), 'arrived');
  assert.equal(snap('ody', 'word'), 'Nobody\u2019s');
  assert.equal(snap('o arr', 'word'), 'Who arrived');
});

test('sentence grows to whole sentences, ended by . ! ? or a line break', () => {
  assert.equal(snap('was', 'sentence'), 'It was late!');
  assert.equal(snap('late! Nob', 'sentence'), 'It was late! Nobody\u2019s home?');
  assert.equal(snap('Next', 'sentence'), 'Next line here.');
});

test('paragraph grows to the line', () => {
  assert.equal(snap('was', 'paragraph'), T.split('\n')[0]);
  assert.equal(snap('line', 'paragraph'), 'Next line here.');
});
