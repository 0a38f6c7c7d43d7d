import { test } from 'node:test';
import assert from 'node:assert/strict';
import { markdownToHTML } from '../../static/labeling/markdown.js';
import { sanitizeHTML } from '../../static/labeling/sanitize.js';

test('headings, paragraphs, lists, code and emphasis', () => {
  const html = markdownToHTML('# Title\nSome **bold** and *it* with `x<y`\n\n- one\n- two\n\n1. first\n\n```\n<b>raw</b>\n```');
  assert.match(html, /<h1>Title<\/h1>/);
  assert.match(html, /<p>Some <strong>bold<\/strong> and <em>it<\/em> with <code>x&lt;y<\/code><\/p>/);
  assert.match(html, /<ul><li>one<\/li><li>two<\/li><\/ul>/);
  assert.match(html, /<ol><li>first<\/li><\/ol>/);
  assert.match(html, /<pre><code>&lt;b&gt;raw&lt;\/b&gt;<\/code><\/pre>/);
});

test('raw HTML is text, unsafe links lose their URL', () => {
  const html = sanitizeHTML(markdownToHTML('<img src=x onerror=alert(1)> [a](javascript:alert(1)) [b](https://example.com/?q=1&r=2)'));
  assert.doesNotMatch(html, /<img/);
  assert.doesNotMatch(html, /javascript:/);
  assert.match(html, /<a href="https:\/\/example.com\/\?q=1&amp;r=2"/);
});
