// Personal hotkeys (issue 13): a user's custom_hotkeys replace an action's default combo.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveHotkey, eventMatches } from '../../static/labeling/hotkeys.js';

test('a personal combo replaces the default, in either of Label Studio\'s shapes', () => {
  assert.equal(resolveHotkey({ 'annotation:submit': 'ctrl+s' }, 'annotation:submit', 'ctrl+enter'), 'ctrl+s');
  assert.equal(resolveHotkey({ 'annotation:submit': { key: 'alt+s', active: true } }, 'annotation:submit', 'ctrl+enter'), 'alt+s');
  assert.ok(eventMatches(resolveHotkey({ 'annotation:submit': 'ctrl+s' }, 'annotation:submit', 'ctrl+enter'), { key: 's', ctrlKey: true }));
});

test('no personal combo, an empty one or junk keeps the default; active:false turns the key off', () => {
  assert.equal(resolveHotkey({}, 'annotation:submit', 'ctrl+enter'), 'ctrl+enter');
  assert.equal(resolveHotkey(null, 'annotation:undo', 'ctrl+z'), 'ctrl+z');
  assert.equal(resolveHotkey({ 'annotation:undo': '  ' }, 'annotation:undo', 'ctrl+z'), 'ctrl+z');
  assert.equal(resolveHotkey({ 'annotation:undo': 42 }, 'annotation:undo', 'ctrl+z'), 'ctrl+z');
  assert.equal(resolveHotkey({ 'annotation:undo': { active: false } }, 'annotation:undo', 'ctrl+z'), null);
});
