import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import vm from 'node:vm';
import { bundle, ROOT } from '../../static/labeling/tools/bundle.mjs';

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const targets = (e) => (typeof e === 'string' ? [e] : Object.values(e).flatMap(targets));

test('package.json: name, version, types and every export points at a file', () => {
  assert.match(manifest.name, /^[a-z0-9-]+$/);
  assert.match(manifest.version, /^\d+\.\d+\.\d+$/);
  assert.equal(manifest.types, './index.d.ts');
  assert.equal(manifest.exports['.'].types, './index.d.ts');
  for (const target of targets(manifest.exports)) assert.ok(existsSync(join(ROOT, target)), `${target} missing`);
});

test('the type declarations name every runtime export of the entry', async () => {
  const entry = await import(join(ROOT, 'index.js'));
  const dts = readFileSync(join(ROOT, 'index.d.ts'), 'utf8');
  assert.deepEqual(Object.keys(entry).sort(), ['Annotation', 'LabelStudio', 'LabelingInterface']);
  for (const name of Object.keys(entry)) assert.match(dts, new RegExp(`export class ${name}\\b`));
});

test('the classic bundle defines window.LabelStudio beside window.LabelingInterface', () => {
  const window = {};
  vm.runInNewContext(bundle(), { window, console, queueMicrotask, performance });
  assert.equal(typeof window.LabelStudio, 'function');
  assert.equal(typeof window.LabelingInterface, 'function');
});
