import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Store } from '../../static/labeling/store.js';

const item = (id, from_name = 'c', value = { choices: [id] }) => ({ id, from_name, to_name: 't', type: 'choices', value, origin: 'manual' });

test('add / update / remove with undo and redo', () => {
  const s = new Store();
  const events = [];
  s.subscribe((c) => events.push(c.type));
  s.add(item('a'));
  s.add(item('b'));
  s.update('a', 'c', { value: { choices: ['A2'] } });
  assert.deepEqual(s.items.map((i) => i.value.choices[0]), ['A2', 'b']);
  s.remove('b');
  assert.equal(s.items.length, 1);
  assert.ok(s.undo());
  assert.equal(s.items.length, 2);
  assert.ok(s.undo());
  assert.equal(s.find('a', 'c').value.choices[0], 'a');
  assert.ok(s.redo());
  assert.equal(s.find('a', 'c').value.choices[0], 'A2');
  s.add(item('z'));
  assert.equal(s.canRedo, false, 'a new change clears redo');
  while (s.undo());
  assert.equal(s.items.length, 0);
  assert.equal(s.undo(), false);
  assert.deepEqual(events.slice(0, 4), ['add', 'add', 'update', 'remove']);
});

test('items are immutable snapshots', () => {
  const s = new Store();
  const a = s.add(item('a'));
  assert.throws(() => { a.id = 'x'; });
  const before = s.items;
  s.update('a', 'c', { value: { choices: ['q'] } });
  assert.notEqual(before, s.items);
  assert.equal(before[0].value.choices[0], 'a');
});

test('drag style: checkpoint once, many silent updates, one undo step', () => {
  const s = new Store();
  s.add(item('a'));
  s.checkpoint();
  for (let i = 0; i < 50; i++) s.update('a', 'c', { value: { choices: [`v${i}`] } }, { history: false });
  assert.equal(s.undoStack.length, 2);
  s.undo();
  assert.equal(s.find('a', 'c').value.choices[0], 'a');
});

test('remove a region removes its per-region items and relations; selection and hidden cleared', () => {
  const s = new Store();
  s.add({ id: 'r1', from_name: 'ner', to_name: 't', type: 'labels', value: { start: 0, end: 1, labels: ['X'] } });
  s.add({ id: 'r2', from_name: 'ner', to_name: 't', type: 'labels', value: { start: 2, end: 3, labels: ['X'] } });
  s.add({ id: 'r1', from_name: 'note', to_name: 't', type: 'textarea', value: { start: 0, end: 1, text: ['hi'] } });
  s.add({ from_id: 'r1', to_id: 'r2', type: 'relation', direction: 'right', labels: [] });
  s.select('r1');
  s.setHidden('r1', true);
  s.remove('r1');
  assert.deepEqual(s.items.map((i) => i.id), ['r2']);
  assert.equal(s.selectedId, null);
  assert.equal(s.isHidden('r1'), false);
  s.undo();
  assert.equal(s.items.length, 4);
});

test('origin: editing a prediction item marks it prediction-changed', () => {
  const s = new Store();
  s.load([{ ...item('p'), origin: 'prediction' }]);
  assert.equal(s.canUndo, false, 'load clears history');
  s.update('p', 'c', { value: { choices: ['x'] } });
  assert.equal(s.items[0].origin, 'prediction-changed');
  s.undo();
  assert.equal(s.items[0].origin, 'prediction');
});

test('history limit', () => {
  const s = new Store({ historyLimit: 5 });
  for (let i = 0; i < 20; i++) s.add(item(`i${i}`));
  assert.equal(s.undoStack.length, 5);
});

test('200 regions: updates stay cheap (no full copies of values)', () => {
  const s = new Store();
  for (let i = 0; i < 200; i++) s.add(item(`r${i}`), { history: false });
  const t0 = performance.now();
  for (let i = 0; i < 1000; i++) s.update('r100', 'c', { value: { choices: [String(i)] } }, { history: false });
  assert.ok(performance.now() - t0 < 500);
  assert.equal(s.items.length, 200);
});
