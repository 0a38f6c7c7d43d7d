import test from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../static/labeling/config.js';
import { visiblePaths, addItem, mergePaths, nodeAt, pathKey } from '../../static/labeling/taxonomy-tree.js';

const CONFIG = `<View><Text name="t" value="$t"/>
  <Taxonomy name="tax" toName="t" isEditable="true">
    <Choice value="Animal"><Choice value="Bird"/><Choice value="Mammal"><Choice value="Cat"/></Choice></Choice>
    <Choice value="Plant"><Choice value="Tree"/></Choice>
  </Taxonomy></View>`;
const treeOf = () => parseConfig(CONFIG).controls.find((c) => c.name === 'tax').tree;

test('search shows matches, their ancestors and descendants', () => {
  const tree = treeOf();
  assert.equal(visiblePaths(tree, ''), null);
  const cat = visiblePaths(tree, 'CA');
  assert.deepEqual([...cat].sort(), [pathKey(['Animal']), pathKey(['Animal', 'Mammal']), pathKey(['Animal', 'Mammal', 'Cat'])].sort());
  const mam = visiblePaths(tree, 'mamm');
  assert.ok(mam.has(pathKey(['Animal', 'Mammal', 'Cat'])));
  assert.ok(!mam.has(pathKey(['Animal', 'Bird'])) && !mam.has(pathKey(['Plant'])));
  assert.equal(visiblePaths(tree, 'zzz').size, 0);
});

test('user items are added under a parent, refused when empty or duplicate', () => {
  const tree = treeOf();
  const fish = addItem(tree, ['Animal'], ' Fish ');
  assert.deepEqual(fish.path, ['Animal', 'Fish']);
  assert.equal(nodeAt(tree, ['Animal', 'Fish']), fish);
  assert.deepEqual(addItem(tree, [], 'Fungus').path, ['Fungus']);
  assert.throws(() => addItem(tree, ['Animal'], 'Bird'), /already there/);
  assert.throws(() => addItem(tree, ['Animal'], '  '), /needs a name/);
  assert.throws(() => addItem(tree, ['Nope'], 'X'), /No item/);
});

test('paths of a loaded result add their missing user items', () => {
  const tree = treeOf();
  mergePaths(tree, [['Animal', 'Bird'], ['Plant', 'Moss', 'Peat']]);
  assert.deepEqual(nodeAt(tree, ['Plant', 'Moss', 'Peat']).path, ['Plant', 'Moss', 'Peat']);
  assert.equal(nodeAt(tree, ['Animal']).children.length, 2);
});
