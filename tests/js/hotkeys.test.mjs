import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCombo, eventMatches, formatCombo, Hotkeys } from '../../static/labeling/hotkeys.js';

const ev = (key, mods = {}) => ({ key, ctrlKey: false, shiftKey: false, altKey: false, metaKey: false, target: null, preventDefault() { this.prevented = true; }, ...mods });

test('parse and format combos', () => {
  assert.deepEqual(parseCombo('Ctrl+Shift+Z'), { ctrl: true, shift: true, alt: false, meta: false, key: 'z' });
  assert.equal(parseCombo('ctrl++').key, '+');
  assert.equal(formatCombo('ctrl+shift+z'), 'Ctrl+Shift+Z');
  assert.equal(formatCombo('escape'), 'Escape');
});

test('matching events', () => {
  assert.ok(eventMatches('ctrl+z', ev('z', { ctrlKey: true })));
  assert.ok(eventMatches('ctrl+z', ev('z', { metaKey: true })), 'Cmd works as Ctrl');
  assert.ok(!eventMatches('ctrl+z', ev('z', { ctrlKey: true, shiftKey: true })));
  assert.ok(eventMatches('ctrl+shift+z', ev('Z', { ctrlKey: true, shiftKey: true })));
  assert.ok(eventMatches('?', ev('?', { shiftKey: true })), 'symbols ignore shift');
  assert.ok(eventMatches('1', ev('1')));
  assert.ok(!eventMatches('a', ev('a', { ctrlKey: true })));
});

test('Hotkeys: last registered wins, handler returning false falls through, typing guard', () => {
  const hk = new Hotkeys();
  const calls = [];
  hk.add('a', () => calls.push('first'), { description: 'A' });
  hk.add('a', () => { calls.push('second'); return false; });
  const e = ev('a');
  assert.equal(hk.handle(e), true);
  assert.deepEqual(calls, ['second', 'first']);
  assert.ok(e.prevented);
  assert.equal(hk.handle(ev('a', { target: { tagName: 'TEXTAREA' } })), false, 'plain keys ignored while typing');
  hk.add('ctrl+z', () => calls.push('undo'));
  assert.equal(hk.handle(ev('z', { ctrlKey: true, target: { tagName: 'INPUT' } })), true);
  assert.deepEqual(hk.list(), [{ combo: 'A', description: 'A', group: 'General' }]);
});
