import { test } from 'node:test';
import assert from 'node:assert/strict';
import { instructionsHTML } from '../../static/app/instructions.js';

test('HTML instructions are rendered through the allowlist sanitizer', () => {
  const out = instructionsHTML('<h3>Rules</h3><p>Label <b>every</b> car.</p><script>alert(1)</script><img src=x onerror="alert(2)"><a href="javascript:alert(3)">x</a>');
  assert.match(out, /<h3>Rules<\/h3>/);
  assert.match(out, /<b>every<\/b>/);
  assert.doesNotMatch(out, /script|onerror|javascript:/i);
});

test('plain-text instructions keep paragraphs and line breaks, escaped', () => {
  assert.equal(instructionsHTML('One\nline two\n\nPara 2 & more'), '<p>One<br>line two</p><p>Para 2 &amp; more</p>');
  assert.equal(instructionsHTML('a < b'), '<p>a &lt; b</p>');
  assert.equal(instructionsHTML(null), '<p></p>');
});
