import test from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../static/labeling/config.js';
import { applyDynamicOptions } from '../../static/labeling/dynamic-options.js';

const ctrl = (xml, name = 'c') => parseConfig(xml).controls.find((c) => c.name === name);

test('allowNested Choices keep nested Choice with their paths; without it nested ones are skipped', () => {
  const body = '<Choice value="A"><Choice value="B" alias="b"/></Choice><Choice value="C"/>';
  const nested = ctrl(`<View><Text name="t" value="$t"/><Choices name="c" toName="t" allowNested="true">${body}</Choices></View>`);
  assert.deepEqual(nested.options.map((o) => o.path), [['A'], ['A', 'b'], ['C']]);
  assert.deepEqual(nested.options[0].children.map((o) => o.value), ['B']);
  const flat = ctrl(`<View><Text name="t" value="$t"/><Choices name="c" toName="t">${body}</Choices></View>`);
  assert.deepEqual(flat.options.map((o) => o.value), ['A', 'C']);
});

test('task options with children nest under allowNested (Label Studio\'s SERP template)', () => {
  const xml = '<View><Text name="t" value="$t"/><Choices name="c" toName="t" value="$options" allownested="true" choice="multiple"/></View>';
  const config = parseConfig(xml);
  applyDynamicOptions(config, { options: [{ value: 'Web', children: [{ value: 'News' }, 'Blogs'] }, 'Images'] });
  const c = config.controls.find((x) => x.name === 'c');
  assert.deepEqual(c.options.map((o) => o.path), [['Web'], ['Web', 'News'], ['Web', 'Blogs'], ['Images']]);
  assert.deepEqual(c.options[0].children.map((o) => o.value), ['News', 'Blogs']);
});
