import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseConfig, resolveValue, summarize } from '../../static/labeling/config.js';

const XML = readFileSync(new URL('../data/configs/visual_tags.xml', import.meta.url), 'utf8');
const DATA = { pages: [{ url: 'https://e.x/a.png' }, { url: 'https://e.x/b.png' }, { url: 'https://e.x/c.png' }], help: '**Help**' };

test('a Repeater repeats its children per element, the index flag replaced everywhere', () => {
  const config = parseConfig(XML, { data: DATA });
  assert.deepEqual(config.objects.map((o) => [o.name, resolveValue(o.attrs.value, DATA)]), [
    ['page_0', 'https://e.x/a.png'], ['page_1', 'https://e.x/b.png'], ['page_2', 'https://e.x/c.png'],
  ]);
  const boxes = config.controls.filter((c) => c.tag === 'RectangleLabels');
  assert.deepEqual(boxes.map((c) => [c.name, c.toName]), [['box_0', ['page_0']], ['box_1', ['page_1']], ['box_2', ['page_2']]]);
  assert.deepEqual(boxes[1].options.map((o) => o.value), ['Title']);
});

test('without data (the shared summary) and with an empty array the templates stay / vanish', () => {
  assert.deepEqual(summarize(parseConfig(XML)).objects.map((o) => o.name), ['page_{{idx}}']);
  const empty = parseConfig(XML, { data: { pages: [] } });
  assert.deepEqual(empty.objects, []);
});

test('resolveValue follows $key[0].field paths', () => {
  assert.equal(resolveValue('$pages[1].url', DATA), 'https://e.x/b.png');
  assert.equal(resolveValue('$pages[9].url', DATA), undefined);
  assert.equal(resolveValue('$help', DATA), '**Help**');
});
