import { test } from 'node:test';
import assert from 'node:assert/strict';
import { labelAction, labelStatus, nothingCreatedReason } from '../../static/labeling/labelkeys.js';

const boxes = { name: 'label', tag: 'RectangleLabels', type: 'rectanglelabels' };
const tags = { name: 'tags', tag: 'Labels', type: 'labels' };
const region = (labels, from_name = 'label') => ({ id: 'r1', from_name, type: 'rectanglelabels', value: { rectanglelabels: labels } });

test('a label key sets the label for the next region when nothing is selected', () => {
  assert.deepEqual(labelAction({ control: boxes, value: 'Car' }), { kind: 'activate', labels: ['Car'] });
  const active = { control: boxes, labels: ['Car'] };
  assert.deepEqual(labelAction({ control: boxes, value: 'Person', active }), { kind: 'activate', labels: ['Person'] });
});

test('pressing the active label key twice keeps it active (single choice)', () => {
  const active = { control: boxes, labels: ['Car'] };
  assert.deepEqual(labelAction({ control: boxes, value: 'Car', active }), { kind: 'activate', labels: ['Car'] });
});

test('choice="multiple" toggles; the empty set is reported by the status line', () => {
  const active = { control: tags, labels: ['A'] };
  assert.deepEqual(labelAction({ control: tags, value: 'B', multiple: true, active }), { kind: 'activate', labels: ['A', 'B'] });
  const off = labelAction({ control: tags, value: 'A', multiple: true, active });
  assert.deepEqual(off, { kind: 'activate', labels: [] });
  const status = labelStatus({ objects: [{ name: 'text', controls: [{ name: 'tags', keys: ['1', '2'] }] }], active: new Map() });
  assert.equal(status.state, 'none');
  assert.match(status.text, /No active label: press 1–2/);
});

test('an explicitly selected region of the same control is relabeled', () => {
  assert.deepEqual(labelAction({ control: boxes, value: 'Sign', selected: region(['Car']) }), { kind: 'relabel', labels: ['Sign'] });
  // a selected region of another control does not capture the key
  assert.deepEqual(labelAction({ control: boxes, value: 'Sign', selected: region(['X'], 'other') }), { kind: 'activate', labels: ['Sign'] });
  // multiple: toggling the last label off is refused with a reason, not applied
  const keep = labelAction({ control: boxes, value: 'Car', multiple: true, selected: region(['Car']) });
  assert.equal(keep.kind, 'keep');
  assert.match(keep.reason, /at least one label/);
});

test('the status line always names the active label, the selection or the reason', () => {
  const objects = [{ name: 'image', controls: [{ name: 'label', keys: ['1', '2', '3'] }] }];
  assert.deepEqual(labelStatus({ objects, active: new Map([['image', { control: boxes, labels: ['Car'] }]]) }), { state: 'active', text: 'Active label: Car' });
  const sel = labelStatus({ objects, active: new Map(), selected: { id: 'r1', labels: ['Person'] } });
  assert.equal(sel.state, 'selected');
  assert.match(sel.text, /Selected region: Person\. Label keys relabel it/);
  const none = labelStatus({ objects, active: {} });
  assert.equal(none.state, 'none');
  assert.match(none.text, /press 1–3 or click a label/);
  const tool = labelStatus({ objects, active: { image: { control: { name: 'rect', tag: 'Rectangle' }, labels: [] } } });
  assert.deepEqual(tool, { state: 'active', text: 'Active label: Rectangle tool' });
  const two = [...objects, { name: 'audio', controls: [{ name: 'spk', keys: ['4'] }] }];
  const partial = labelStatus({ objects: two, active: { image: { control: boxes, labels: ['Car'] } } });
  assert.match(partial.text, /image: Car .*no label for audio/);
  assert.equal(labelStatus({ objects: [], active: {} }).text, '');
});

test('the reason shown when a drag creates nothing names the keys', () => {
  assert.match(nothingCreatedReason({ keys: ['1'] }), /no active label — press 1 or click a label first/);
  assert.match(nothingCreatedReason(), /click a label first/);
});

test('plain tools (Rectangle, ...) are named as tools in the hints', () => {
  const objects = [{ name: 'image', controls: [{ name: 'rect', tool: true, keys: ['R'] }] }];
  assert.match(labelStatus({ objects, active: {} }).text, /No active label: press R or click a tool/);
  assert.match(nothingCreatedReason({ keys: [], controls: objects[0].controls }), /click a tool first/);
});
