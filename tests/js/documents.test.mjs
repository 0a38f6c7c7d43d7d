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
