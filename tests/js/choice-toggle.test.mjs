import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../static/labeling/config.js';
import { toggleChoice } from '../../static/labeling/choice-toggle.js';

const control = (attrs, body) =>
  parseConfig(`<View><Text name="t" value="$t"/><Choices name="c" toName="t" ${attrs}>${body}</Choices></View>`).byName.get('c');
const NESTED = '<Choice value="A"><Choice value="Other" hotkey="q"/></Choice><Choice value="B"><Choice value="Other" hotkey="w"/><Choice value="X" alias="x"/></Choice>';
const byPath = (c, path) => c.options.find((o) => o.path.join('/') === path);

test('allowNested: picking a leaf writes its path, the same leaf under two parents stays apart', () => {
  const c = control('allowNested="true" choice="multiple"', NESTED);
  let value = toggleChoice(c, null, byPath(c, 'B/Other'));
  assert.deepEqual(value, [['B', 'Other']]);
  value = toggleChoice(c, value, byPath(c, 'A/Other'));
  assert.deepEqual(value, [['B', 'Other'], ['A', 'Other']]);
  value = toggleChoice(c, value, byPath(c, 'B/Other')); // toggled off, A/Other kept
  assert.deepEqual(value, [['A', 'Other']]);
  // a parent toggles all its leaves (aliases in paths)
  value = toggleChoice(c, value, byPath(c, 'B'));
  assert.deepEqual(value, [['A', 'Other'], ['B', 'Other'], ['B', 'x']]);
  assert.deepEqual(toggleChoice(c, value, byPath(c, 'B')), [['A', 'Other']]);
});

test('allowNested single choice: one path, picking it again clears', () => {
  const c = control('allowNested="true"', NESTED);
  const value = toggleChoice(c, [['A', 'Other']], byPath(c, 'B/x'));
  assert.deepEqual(value, [['B', 'x']]);
  assert.deepEqual(toggleChoice(c, value, byPath(c, 'B/x')), []);
});

test('flat choices keep writing alias or value', () => {
  const c = control('choice="multiple"', '<Choice value="Yes" alias="y"/><Choice value="No"/>');
  assert.deepEqual(toggleChoice(c, null, c.options[0]), ['y']);
  assert.deepEqual(toggleChoice(c, ['y'], c.options[1]), ['y', 'No']);
  const single = control('', '<Choice value="Yes"/><Choice value="No"/>');
  assert.deepEqual(toggleChoice(single, ['Yes'], single.options[1]), ['No']);
});
