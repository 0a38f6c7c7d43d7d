import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig, optionResultValue } from '../../static/labeling/config.js';
import { applyDynamicOptions } from '../../static/labeling/dynamic-options.js';

const CONFIG = `<View>
  <Text name="text" value="$text"/>
  <Choices name="pick" toName="text" value="$options"><Choice value="None of these"/></Choices>
  <Labels name="lab" toName="text" value="$labels"/>
  <Choices name="fixed" toName="text"><Choice value="A"/></Choices>
</View>`;

test('options come from the task data after the config ones; a reused config does not pile up', () => {
  const config = parseConfig(CONFIG);
  const data = {
    text: 't', options: [{ value: 'Hypothesis 1', hint: 'first' }, { value: 'Hypothesis 2', alias: 'h2' }, 'plain', { nope: 1 }, 'plain'],
    labels: [{ value: 'PER', background: 'red' }, 'ORG'],
  };
  const changed = applyDynamicOptions(config, data);
  assert.deepEqual(changed.map((c) => c.name), ['pick', 'lab']);
  const pick = config.byName.get('pick');
  assert.deepEqual(pick.options.map((o) => o.value), ['None of these', 'Hypothesis 1', 'Hypothesis 2', 'plain']);
  assert.deepEqual(pick.options.map(optionResultValue), ['None of these', 'Hypothesis 1', 'h2', 'plain']);
  assert.equal(pick.options[1].attrs.hint, 'first');
  assert.equal(config.byName.get('lab').options[0].background, 'red');
  assert.deepEqual(config.byName.get('fixed').options.map((o) => o.value), ['A']);
  applyDynamicOptions(config, { options: ['other'] });
  assert.deepEqual(pick.options.map((o) => o.value), ['None of these', 'other']);
  assert.deepEqual(config.byName.get('lab').options, []);
});
