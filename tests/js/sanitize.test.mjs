import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sanitizeHTML, safeUrl } from '../../static/labeling/sanitize.js';

test('keeps allowed markup', () => {
  assert.equal(sanitizeHTML('<p class="x">Hi <b>there</b><br>ok</p>'), '<p class="x">Hi <b>there</b><br>ok</p>');
  assert.equal(sanitizeHTML('<a href="https://e.com/?a=1&amp;b=2">l</a>'), '<a href="https://e.com/?a=1&amp;b=2" rel="noopener noreferrer" target="_blank">l</a>');
  assert.equal(sanitizeHTML('<img src="data:image/png;base64,AAA" alt="x">'), '<img src="data:image/png;base64,AAA" alt="x">');
  assert.equal(sanitizeHTML('1 < 2 & 3 > 2'), '1 &lt; 2 &amp; 3 &gt; 2');
});

test('drops script, style, iframe and friends with their content', () => {
  const out = sanitizeHTML('<div>a<script>alert(1)</script>b<style>body{}</style>c<iframe src="x">z</iframe>d<object>o</object><svg><script>1</script></svg>e</div>');
  assert.equal(out, '<div>abcde</div>');
  assert.equal(sanitizeHTML('<SCRIPT SRC=//evil></SCRIPT>x'), 'x');
  assert.equal(sanitizeHTML('<scr<script>ipt>alert(1)</script>'), '&lt;scr');
  assert.doesNotMatch(sanitizeHTML('<script>never closed'), /never/);
});

test('drops on* attributes and javascript: URLs', () => {
  assert.equal(sanitizeHTML('<p onclick="x()" onmouseover=y title="t">p</p>'), '<p title="t">p</p>');
  assert.equal(sanitizeHTML('<img src=x onerror=alert(1)>'), '<img src="x">');
  assert.equal(sanitizeHTML('<a href="javascript:alert(1)">x</a>'), '<a>x</a>');
  assert.equal(sanitizeHTML('<a href=" JaVa&#115;cript:alert(1)">x</a>'), '<a>x</a>');
  assert.equal(sanitizeHTML('<a href="java\tscript:alert(1)">x</a>'), '<a>x</a>');
  assert.equal(sanitizeHTML('<a href="data:text/html,<script>">x</a>'), '<a>x</a>');
  assert.equal(sanitizeHTML('<img src="data:text/html;base64,xx">'), '<img>');
  assert.equal(sanitizeHTML('<p style="background:url(javascript:x)">s</p>'), '<p>s</p>');
  assert.equal(sanitizeHTML('<p style="color: red">s</p>'), '<p style="color: red">s</p>');
  assert.equal(sanitizeHTML('<form action="/x"><input value=1><button>b</button></form>'), 'b');
  assert.equal(sanitizeHTML('<p id="x" name="y" class="ls-submit z">q</p>'), '<p class="z">q</p>');
});

test('attribute values are re-quoted; unbalanced tags are closed', () => {
  assert.equal(sanitizeHTML('<p title=\'a"b\'>x'), '<p title="a&quot;b">x</p>');
  assert.equal(sanitizeHTML('<b><i>x</b>y'), '<b><i>x</i></b>y');
  assert.equal(sanitizeHTML('</p>stray'), 'stray');
  assert.equal(sanitizeHTML('<!-- c --><p>x</p><!DOCTYPE html>'), '<p>x</p>');
});

test('safeUrl', () => {
  for (const ok of ['https://x', 'http://x', 'mailto:a@b', '/rel', '#a', 'page.html']) assert.equal(safeUrl(ok), true, ok);
  for (const bad of ['javascript:x', 'vbscript:x', 'data:text/html,x', 'JAVASCRIPT:x', '\u0001javascript:x']) assert.equal(safeUrl(bad), false, bad);
});
