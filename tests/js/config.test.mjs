import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, dirname } from 'node:path';
import { parseConfig, summarize, isVisible, resolveValue, ConfigError, perRegionApplies } from '../../static/labeling/config.js';
import { MiniDOMParser } from '../../static/labeling/xml.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'data', 'configs');

test('fixture directory has config/summary pairs', () => {
  assert.ok(existsSync(FIXTURES));
  assert.ok(readdirSync(FIXTURES).some((f) => f.endsWith('.xml')));
});

// Every tests/data/configs/<name>.xml must summarize exactly to <name>.summary.json (shared with Python).
for (const f of existsSync(FIXTURES) ? readdirSync(FIXTURES).filter((x) => x.endsWith('.xml')).sort() : []) {
  test(`summarize() matches ${f.replace('.xml', '.summary.json')}`, () => {
    const summaryFile = join(FIXTURES, f.replace(/\.xml$/, '.summary.json'));
    assert.ok(existsSync(summaryFile), `missing ${summaryFile}`);
    const want = JSON.parse(readFileSync(summaryFile, 'utf8'));
    const got = summarize(parseConfig(readFileSync(join(FIXTURES, f), 'utf8'), { DOMParser: MiniDOMParser }));
    assert.deepEqual(got, want);
  });
}

test('summary basics: order, toName split, alias labels, header keys', () => {
  const c = parseConfig(`<View>
    <Header value="$title"/>
    <Text name="t" value="$text"/>
    <Choices name="c" toName="t, t2"><Choice value="A"/><Choice value="B" alias="b"/></Choices>
    <Text name="t2" value="Literal $other"/>
  </View>`);
  assert.deepEqual(summarize(c), {
    objects: [{ name: 't', tag: 'Text', value: '$text' }, { name: 't2', tag: 'Text', value: 'Literal $other' }],
    controls: [{ name: 'c', tag: 'Choices', type: 'choices', toName: ['t', 't2'], labels: ['A', 'b'] }],
    dataKeys: ['other', 'text', 'title'],
  });
});

test('config errors: root, duplicate names, unknown toName', () => {
  assert.throws(() => parseConfig('<Text name="a" value="$a"/>'), ConfigError);
  assert.throws(() => parseConfig('<View><Text name="a" value="$a"/><Text name="a" value="$b"/></View>'), /Duplicate name "a".*line 1/);
  assert.throws(() => parseConfig('<View>\n<Choices name="c" toName="nope"><Choice value="x"/></Choices></View>'), /names no object \(line 2\)/);
  assert.throws(() => parseConfig('<View><Text></View>'), /Mismatched closing tag/);
});

test('resolveValue', () => {
  assert.equal(resolveValue('$text', { text: 'hi' }), 'hi');
  assert.deepEqual(resolveValue('$obj', { obj: { a: 1 } }), { a: 1 });
  assert.equal(resolveValue('Hi $name!', { name: 'Ann' }), 'Hi Ann!');
  assert.equal(resolveValue('plain', {}), 'plain');
});

test('visibleWhen: choice-selected / choice-unselected / region-selected / no-region-selected', () => {
  const c = parseConfig(`<View>
    <Text name="t" value="$t"/>
    <Choices name="sent" toName="t"><Choice value="Pos"/><Choice value="Neg"/></Choices>
    <Labels name="ner" toName="t"><Label value="PER"/><Label value="ORG"/></Labels>
    <View visibleWhen="choice-selected" whenTagName="sent" whenChoiceValue="Neg,Other"><Header value="why?"/></View>
    <View visibleWhen="choice-selected"><Header value="any"/></View>
    <View visibleWhen="choice-unselected" whenTagName="sent"><Header value="none"/></View>
    <View visibleWhen="region-selected" whenTagName="ner" whenLabelValue="PER"><Header value="per"/></View>
    <View visibleWhen="no-region-selected"><Header value="free"/></View>
    <TextArea name="note" toName="t" perRegion="true"/>
  </View>`);
  const views = c.root.children.filter((n) => n.attrs.visibleWhen);
  const [neg, any, unselected, per, free] = views;
  const ctx = (choices, region = null) => ({ choices: (n) => (n === 'sent' ? choices : []), allChoices: () => choices, selectedRegion: region });
  assert.equal(isVisible(neg, ctx([])), false);
  assert.equal(isVisible(neg, ctx(['Pos'])), false);
  assert.equal(isVisible(neg, ctx(['Neg'])), true);
  assert.equal(isVisible(any, ctx([])), false);
  assert.equal(isVisible(any, ctx(['Pos'])), true);
  assert.equal(isVisible(unselected, ctx([])), true);
  assert.equal(isVisible(unselected, ctx(['Pos'])), false);
  assert.equal(isVisible(per, ctx([])), false);
  assert.equal(isVisible(per, ctx([], { from_name: 'ner', labels: ['ORG'] })), false);
  assert.equal(isVisible(per, ctx([], { from_name: 'ner', labels: ['PER'] })), true);
  assert.equal(isVisible(per, ctx([], { from_name: 'other', labels: ['PER'] })), false);
  assert.equal(isVisible(free, ctx([])), true);
  assert.equal(isVisible(free, ctx([], { from_name: 'ner', labels: [] })), false);
  const note = c.byName.get('note');
  assert.equal(note.perRegion, true);
  assert.equal(perRegionApplies(note, null), false);
  assert.equal(perRegionApplies(note, { to_name: 't' }), true);
  assert.equal(perRegionApplies(note, { to_name: 'img' }), false);
});

test('case-insensitive tags and attributes, aliases', () => {
  const c = parseConfig('<view><html name="h" value="$h"/><choices name="c" toname="h"><choice value="x" HOTKEY="q"/></choices></view>');
  assert.equal(c.objects[0].tag, 'HyperText');
  assert.deepEqual(c.controls[0].toName, ['h']);
  assert.equal(c.controls[0].options[0].hotkey, 'q');
});

test('whenRole: a view for the selected message of a role (Chat)', async () => {
  const { parseConfig, isVisible } = await import('../../static/labeling/config.js');
  const config = parseConfig('<View><Chat name="chat" value="$chat"/><View visibleWhen="region-selected" whenRole="assistant"><Rating name="r" toName="chat" perRegion="true"/></View></View>');
  const view = config.root.children[1];
  const ctx = (role) => ({ choices: () => [], allChoices: () => [], selectedRegion: role ? { from_name: 'chat', to_name: 'chat', labels: [], role } : null });
  assert.equal(isVisible(view, ctx('assistant')), true);
  assert.equal(isVisible(view, ctx('user')), false);
  assert.equal(isVisible(view, ctx(null)), false);
  assert.deepEqual(config.controls.map((c) => [c.name, c.type, c.toName]), [['chat', 'chatmessage', ['chat']], ['r', 'rating', ['chat']]]);
});
