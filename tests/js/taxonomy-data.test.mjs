import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../static/labeling/config.js';
import { applyDynamicOptions } from '../../static/labeling/dynamic-options.js';

const CONFIG = `<View>
  <Text name="text" value="$text"/>
  <Taxonomy name="tax" toName="text" value="$tree"><Choice value="Other"/></Taxonomy>
</View>`;

const paths = (nodes) => nodes.flatMap((n) => [n.path.join('/'), ...paths(n.children)]);

test('Taxonomy value="$field": the task tree [{value, alias?, children}] is merged after the config items', () => {
  const config = parseConfig(CONFIG);
  const tax = config.byName.get('tax');
  const data = {
    text: 't',
    tree: [
      { value: 'Animal', children: [{ value: 'Bird' }, { value: 'Mammal', children: ['Cat', { value: 'Dog', alias: 'dog' }] }] },
      'Plant',
      { value: 'Other', children: [{ value: 'Rock' }] }, // joins the config's "Other"
      { nope: 1 },
    ],
  };
  assert.deepEqual(applyDynamicOptions(config, data).map((c) => c.name), ['tax']);
  assert.deepEqual(paths(tax.tree), ['Other', 'Other/Rock', 'Animal', 'Animal/Bird', 'Animal/Mammal', 'Animal/Mammal/Cat', 'Animal/Mammal/dog', 'Plant']);
  const dog = tax.tree[1].children[1].children[1];
  assert.equal(dog.value, 'Dog'); // shown by its value, written by its alias
  assert.equal(dog.key, 'dog');
  // a config reused for another task starts again from its own items
  applyDynamicOptions(config, { tree: ['Fungus'] });
  assert.deepEqual(paths(tax.tree), ['Other', 'Fungus']);
  applyDynamicOptions(config, {});
  assert.deepEqual(paths(tax.tree), ['Other']);
});
