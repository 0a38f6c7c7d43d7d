import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as R from '../../static/labeling/result.js';
import { parseConfig } from '../../static/labeling/config.js';
import { Store } from '../../static/labeling/store.js';

const keys = (o) => Object.keys(o);

test('makeId gives 10 url-safe characters', () => {
  const ids = new Set(Array.from({ length: 200 }, () => R.makeId()));
  assert.equal(ids.size, 200);
  for (const id of ids) assert.match(id, /^[A-Za-z0-9_-]{10}$/);
});

test('classification values for every classification control type', () => {
  const cases = [
    ['choices', ['Positive'], { choices: ['Positive'] }],
    ['textarea', ['one', 'two'], { text: ['one', 'two'] }],
    ['rating', 4, { rating: 4 }],
    ['number', '2.5', { number: 2.5 }],
    ['datetime', '2024-05-01T10:30', { datetime: '2024-05-01T10:30' }],
    ['taxonomy', [['Animals', 'Mammals']], { taxonomy: [['Animals', 'Mammals']] }],
    ['ranker', { results: ['b', 'a'] }, { ranker: { results: ['b', 'a'] } }],
    ['pairwise', 'left', { selected: 'left' }],
  ];
  for (const [type, payload, value] of cases) {
    const item = R.buildItem({ id: 'x1', from_name: 'ctl', to_name: 'obj', type, value: R.classificationValue(type, payload) });
    assert.deepEqual(item, { id: 'x1', from_name: 'ctl', to_name: 'obj', type, value, origin: 'manual' }, type);
    assert.deepEqual(keys(item), ['id', 'from_name', 'to_name', 'type', 'value', 'origin']);
    assert.deepEqual(R.payloadOf(item), Object.values(value)[0]);
  }
});

test('text span labels', () => {
  const it = R.textSpanItem({ id: 'a', control: 'ner', toName: 'text', start: 4, end: 9, text: 'world', labels: ['LOC'] });
  assert.deepEqual(it, { id: 'a', from_name: 'ner', to_name: 'text', type: 'labels', value: { start: 4, end: 9, text: 'world', labels: ['LOC'] }, origin: 'manual' });
  assert.deepEqual(R.labelsOf(it), ['LOC']);
  assert.deepEqual(R.labelsOf(R.withLabels(it, ['PER'])), ['PER']);
});

test('image regions: rectangle, polygon, keypoint, ellipse (percent + original size on the item)', () => {
  const image = (type) => ({ type, width: 800, height: 600, rotation: 0 });
  const rect = R.imageRegionItem({ id: 'r', control: 'box', toName: 'img', geom: { x: 10, y: 20.123456, width: 30, height: 40, rotation: 15 }, labels: ['Car'], image: image('rectanglelabels') });
  assert.deepEqual(rect, {
    id: 'r', from_name: 'box', to_name: 'img', type: 'rectanglelabels',
    value: { x: 10, y: 20.1235, width: 30, height: 40, rotation: 15, rectanglelabels: ['Car'] },
    original_width: 800, original_height: 600, image_rotation: 0, origin: 'manual',
  });
  const plain = R.imageRegionItem({ id: 'p', control: 'plain_box', toName: 'img', geom: { x: 1, y: 2, width: 3, height: 4 }, labels: [], image: image('rectangle') });
  assert.deepEqual(plain.value, { x: 1, y: 2, width: 3, height: 4, rotation: 0 });
  const poly = R.imageRegionItem({ id: 'q', control: 'poly', toName: 'img', geom: { points: [[1, 2], [3, 4], [5, 6]] }, labels: ['Road'], image: image('polygonlabels') });
  assert.deepEqual(poly.value, { points: [[1, 2], [3, 4], [5, 6]], polygonlabels: ['Road'] });
  const kp = R.imageRegionItem({ id: 'k', control: 'kp', toName: 'img', geom: { x: 50, y: 50, width: 0.625 }, labels: ['Nose'], image: image('keypointlabels') });
  assert.deepEqual(kp.value, { x: 50, y: 50, width: 0.625, keypointlabels: ['Nose'] });
  const ell = R.imageRegionItem({ id: 'e', control: 'ell', toName: 'img', geom: { x: 50, y: 40, radiusX: 10, radiusY: 5, rotation: 30 }, labels: ['Ball'], image: image('ellipselabels') });
  assert.deepEqual(ell.value, { x: 50, y: 40, radiusX: 10, radiusY: 5, rotation: 30, ellipselabels: ['Ball'] });
  assert.deepEqual(R.regionGeometry(ell), { x: 50, y: 40, radiusX: 10, radiusY: 5, rotation: 30 });
});

test('audio segment, paragraph and hypertext label items', () => {
  const seg = R.audioSegmentItem({ id: 's', control: 'speaker', toName: 'audio', start: 1.23456, end: 2.5, labels: ['Speaker 1'], duration: 10 });
  assert.deepEqual(seg, { id: 's', from_name: 'speaker', to_name: 'audio', type: 'labels', value: { start: 1.2346, end: 2.5, labels: ['Speaker 1'] }, original_length: 10, origin: 'manual' });
  const seg2 = R.audioSegmentItem({ id: 's', control: 'speaker', toName: 'audio', start: 0, end: 1, channel: 1, labels: ['Speaker 2'] });
  assert.deepEqual(seg2.value, { start: 0, end: 1, channel: 1, labels: ['Speaker 2'] });
  const ht = { id: 'h', from_name: 'marks', to_name: 'page', type: 'hypertextlabels', value: { start: '/p[1]', end: '/p[1]', startOffset: 0, endOffset: 5, htmllabels: ['Title'] } };
  assert.deepEqual(R.labelsOf(ht), ['Title'], 'Label Studio htmllabels accepted on read');
  assert.equal(R.payloadKey('paragraphlabels'), 'paragraphlabels');
});

test('per-region classification shares the region id and copies its geometry', () => {
  const region = R.imageRegionItem({ id: 'reg1', control: 'box', toName: 'img', geom: { x: 1, y: 2, width: 3, height: 4 }, labels: ['Car'], image: { type: 'rectanglelabels', width: 10, height: 20 } });
  const it = R.perRegionItem({ control: 'color', type: 'choices', region, payload: ['Red'] });
  assert.deepEqual(it, {
    id: 'reg1', from_name: 'color', to_name: 'img', type: 'choices',
    value: { x: 1, y: 2, width: 3, height: 4, rotation: 0, choices: ['Red'] },
    original_width: 10, original_height: 20, image_rotation: 0, origin: 'manual',
  });
  const ta = R.perRegionItem({ control: 'transcript', type: 'textarea', region: R.audioSegmentItem({ id: 'a1', control: 'speaker', toName: 'audio', start: 1, end: 2, labels: ['Speaker 1'] }), payload: ['hello'] });
  assert.deepEqual(ta.value, { start: 1, end: 2, text: ['hello'] });
});

test('relation items', () => {
  assert.deepEqual(R.relationItem({ from_id: 'a', to_id: 'b', labels: ['works_for'] }), { from_id: 'a', to_id: 'b', type: 'relation', direction: 'right', labels: ['works_for'] });
});

const COMPLETION = [
  { id: 'n1', from_name: 'ner', to_name: 'text', type: 'labels', value: { start: 0, end: 4, text: 'John', labels: ['PER'] }, origin: 'manual' },
  { id: 'n2', from_name: 'ner', to_name: 'text', type: 'labels', value: { start: 14, end: 20, text: 'Google', labels: ['ORG'] }, origin: 'prediction-changed', score: 0.9 },
  { from_id: 'n1', to_id: 'n2', type: 'relation', direction: 'right', labels: ['works_for'] },
  { id: 'c1', from_name: 'sent', to_name: 'text', type: 'choices', value: { choices: ['Positive'] }, origin: 'manual' },
  { id: 'b1', from_name: 'box', to_name: 'img', type: 'rectanglelabels', original_width: 640, original_height: 480, image_rotation: 0,
    value: { x: 12.5, y: 10, width: 25, height: 30.5, rotation: 45, rectanglelabels: ['Car'] }, origin: 'manual', readonly: false },
  { id: 'b1', from_name: 'color', to_name: 'img', type: 'choices', original_width: 640, original_height: 480, image_rotation: 0,
    value: { x: 12.5, y: 10, width: 25, height: 30.5, rotation: 45, choices: ['Red'] }, origin: 'manual' },
  { id: 't1', from_name: 'summary', to_name: 'text', type: 'textarea', value: { text: ['short', 'longer text'] }, origin: 'manual' },
  { id: 'r1', from_name: 'rating', to_name: 'text', type: 'rating', value: { rating: 3 }, origin: 'manual' },
  { id: 'x1', from_name: 'tax', to_name: 'text', type: 'taxonomy', value: { taxonomy: [['Animals', 'Birds'], ['Plants']] }, origin: 'manual' },
  { id: 'p1', from_name: 'pw', to_name: 'pw', type: 'pairwise', value: { selected: 'right' }, origin: 'manual' },
  { id: 'k1', from_name: 'rank', to_name: 'results', type: 'ranker', value: { ranker: { relevant: ['a', 'c'], irrelevant: ['b'] } }, origin: 'manual' },
  { id: 'u1', from_name: 'num', to_name: 'text', type: 'number', value: { number: 7.5 }, origin: 'manual' },
  { id: 'd1', from_name: 'when', to_name: 'text', type: 'datetime', value: { datetime: '2024-01-02' }, origin: 'manual' },
];

test('round trip: loading a completion and submitting it unchanged gives the same JSON', () => {
  const store = new Store();
  store.load(R.readResult(COMPLETION));
  assert.deepEqual(R.serialize(store.items), COMPLETION);
  assert.equal(JSON.stringify(R.serialize(store.items)), JSON.stringify(COMPLETION), 'same key order too');
  // and again after an edit + undo
  store.update('c1', 'sent', { value: { choices: ['Negative'] } });
  store.undo();
  assert.deepEqual(R.serialize(store.items), COMPLETION);
});

test('predictions load with origin "prediction" and become "prediction-changed" when edited', () => {
  const pred = [{ id: 'p', from_name: 'sent', to_name: 'text', type: 'choices', value: { choices: ['Positive'] }, score: 0.7 },
    { id: 'q', from_name: 'ner', to_name: 'text', type: 'labels', value: { start: 0, end: 4, text: 'John', labels: ['PER'] } }];
  const items = R.readResult(pred, { fromPrediction: true });
  assert.deepEqual(items.map((i) => i.origin), ['prediction', 'prediction']);
  const store = new Store();
  store.load(items);
  store.update('p', 'sent', (old) => ({ ...old, value: { choices: ['Negative'] } }));
  store.add(R.buildItem({ from_name: 'sent2', to_name: 'text', type: 'choices', value: { choices: ['x'] } }));
  assert.deepEqual(R.serialize(store.items).map((i) => i.origin), ['prediction-changed', 'prediction', 'manual']);
  assert.equal(R.serialize(store.items)[0].score, 0.7);
});

test('validate: required controls and perRegion required', () => {
  const c = parseConfig(`<View><Text name="t" value="$t"/>
    <Choices name="sent" toName="t" required="true" requiredMessage="Pick a sentiment"><Choice value="A"/></Choices>
    <Labels name="ner" toName="t"><Label value="PER"/></Labels>
    <TextArea name="note" toName="t" perRegion="true" required="true"/></View>`);
  assert.deepEqual(R.validate(c, []).map((e) => e.message), ['Pick a sentiment']);
  const region = R.textSpanItem({ id: 'r', control: 'ner', toName: 't', start: 0, end: 1, text: 'x', labels: ['PER'] });
  const choice = R.buildItem({ from_name: 'sent', to_name: 't', type: 'choices', value: { choices: ['A'] } });
  assert.deepEqual(R.validate(c, [choice, region]).map((e) => e.control), ['note']);
  const note = R.perRegionItem({ control: 'note', type: 'textarea', region, payload: ['ok'] });
  assert.deepEqual(R.validate(c, [choice, region, note]), []);
  assert.deepEqual(R.validate(c, [R.buildItem({ from_name: 'sent', to_name: 't', type: 'choices', value: { choices: [] } })]).length, 1);
});
