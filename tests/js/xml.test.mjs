import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseXML, XMLError, MiniDOMParser } from '../../static/labeling/xml.js';

test('parses elements, attributes, text, comments, self-closing and entities', () => {
  const doc = parseXML(`<?xml version="1.0"?>
<!-- leading comment -->
<View a="1" b='two &amp; &lt;three&gt;'>
  <Header value="&quot;Q&quot; &apos;x&apos; &#65;&#x42;"/>
  <Text name="t">hello &amp; <![CDATA[<raw>]]></Text>
  <!-- inner -->
</View>`);
  const root = doc.documentElement;
  assert.equal(root.tagName, 'View');
  assert.equal(root.getAttribute('b'), "two & <three>");
  assert.equal(root.children.length, 2);
  assert.equal(root.children[0].getAttribute('value'), `"Q" 'x' AB`);
  assert.equal(root.children[1].textContent, 'hello & <raw>');
  assert.equal(root.children[1].line, 5);
  assert.equal(root.childNodes.filter((n) => n.nodeType === 8).length, 1);
  assert.equal(root.getAttribute('missing'), null);
});

test('MiniDOMParser has the DOMParser shape', () => {
  const doc = new MiniDOMParser().parseFromString('<View><A/></View>', 'text/xml');
  assert.equal(doc.documentElement.children[0].tagName, 'A');
});

const bad = [
  ['<View>\n  <Text name="x">\n</View>', 3, /Mismatched closing tag <\/View>, expected <\/Text>/],
  ['<View>\n<Text name="x"/>', 2, /Unclosed tag <View>/],
  ['<View a=1/>', 1, /must be quoted/],
  ['<View a="1" a="2"/>', 1, /Duplicate attribute "a"/],
  ['<View>\n\n &nbsp; </View>', 3, /Unknown entity "&nbsp;"/],
  ['<View/><View/>', 1, /Only one root element/],
  ['', 1, /No root element/],
  ['<View>\n<Text name="a" <Choice/></View>', 2, /Expected a name|must be quoted|no value/],
  ['<View a="x<y"/>', 1, /"<" is not allowed/],
  ['<View>\n</Text>', 2, /Mismatched closing tag/],
  ['<View>\n  <!-- open', 2, /Unterminated comment/],
  ['text<View/>', 1, /Text outside of the root element/],
];
for (const [src, line, re] of bad) {
  test(`error with line: ${JSON.stringify(src).slice(0, 40)}`, () => {
    assert.throws(() => parseXML(src), (err) => {
      assert.ok(err instanceof XMLError, err);
      assert.equal(err.line, line, err.message);
      assert.match(err.message, re);
      assert.match(err.message, /\(line \d+, column \d+\)/);
      return true;
    });
  });
}
