import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pdfjsUrls, PDFJS_URL } from '../../static/labeling/tags/pdf.js';
import { shapeOf, isRegion, labelsOf, perRegionItem, regionValue } from '../../static/labeling/result.js';
import { parseConfig } from '../../static/labeling/config.js';

test('pdf.js is loaded from the vendored copy unless the embedder names another', () => {
  assert.equal(PDFJS_URL, '/static/vendor/pdfjs/pdf.min.mjs');
  assert.deepEqual(pdfjsUrls({}, 'https://ls.example/projects/1/label/'), {
    lib: 'https://ls.example/static/vendor/pdfjs/pdf.min.mjs',
    worker: 'https://ls.example/static/vendor/pdfjs/pdf.worker.min.mjs',
  });
  assert.deepEqual(pdfjsUrls({ pdfjsUrl: 'https://cdn.example/pdfjs/pdf.mjs' }), {
    lib: 'https://cdn.example/pdfjs/pdf.mjs', worker: 'https://cdn.example/pdfjs/pdf.worker.mjs',
  });
  assert.equal(pdfjsUrls({ pdfjsUrl: '/a/pdf.min.mjs', pdfjsWorkerUrl: '/b/w.mjs' }, 'http://h/').worker, 'http://h/b/w.mjs');
});

test('OcrLabels regions are labeled rectangles', () => {
  assert.equal(shapeOf('ocrlabels'), 'rectangle');
  assert.equal(shapeOf('rectanglelabels'), 'rectangle');
  const value = regionValue('ocrlabels', { x: 1, y: 2, width: 3, height: 4 }, ['Typo']);
  assert.deepEqual(value, { x: 1, y: 2, width: 3, height: 4, rotation: 0, ocrlabels: ['Typo'] });
  const item = { id: 'a', type: 'ocrlabels', from_name: 'ocr', to_name: 'pdf', value: { ...value, pageIndex: 1 } };
  assert.ok(isRegion(item));
  assert.deepEqual(labelsOf(item), ['Typo']);
});

test('per-region answers keep the page of their region', () => {
  const region = { id: 'r', type: 'rectanglelabels', to_name: 'img', item_index: 2, value: { x: 1, y: 1, width: 1, height: 1, pageIndex: 3, rectanglelabels: ['A'] } };
  const item = perRegionItem({ control: 'note', type: 'textarea', region, payload: ['hi'] });
  assert.equal(item.item_index, 2);
  assert.equal(item.value.pageIndex, 3);
});

test('Pdf and OcrLabels are known to the config reader', () => {
  const config = parseConfig('<View><ocrlabels name="o" toname="p"><Label value="A"/></ocrlabels><pdf name="p" value="$doc"/></View>');
  assert.equal(config.objects[0].tag, 'Pdf');
  assert.equal(config.controls[0].type, 'ocrlabels');
});

test('Text valueType="url": same-origin URLs are read directly, others through the server', async () => {
  const { textSource } = await import('../../static/labeling/tags/text.js');
  const app = { task: { id: 7 }, options: {} };
  const node = { attrs: { value: '$doc', valueType: 'url' } };
  const base = 'https://ls.example/projects/1/label/';
  assert.equal(textSource(app, node, '/data/upload/1/a.txt', base), 'https://ls.example/data/upload/1/a.txt');
  assert.equal(textSource(app, node, 'https://elsewhere.example/a.txt', base), '/api/tasks/7/data-text?key=doc');
  assert.equal(textSource({ ...app, options: { dataTextUrl: '/proxy/{task}/{key}' } }, node, 'http://x.example/a', base), '/proxy/7/doc');
  // no task id (a preview): the URL itself
  assert.equal(textSource({ task: { id: null }, options: {} }, node, 'https://elsewhere.example/a.txt', base), 'https://elsewhere.example/a.txt');
});
