// Project instructions are HTML (as in Label Studio): render them through the labeling
// interface's allowlist sanitizer (static/labeling/sanitize.js: no scripts, no on* handlers, no
// javascript: URLs). Plain text keeps its line breaks; the server-rendered escaped text stays
// as the no-JavaScript fallback.
import { sanitizeHTML, escapeHTML } from '../labeling/sanitize.js';

export function instructionsHTML(raw) {
  const text = String(raw ?? '');
  if (/<[a-z!/]/i.test(text)) return sanitizeHTML(text);
  return text.split(/\n{2,}/).map((p) => `<p>${escapeHTML(p).replace(/\n/g, '<br>')}</p>`).join('');
}

if (typeof document !== 'undefined') {
  for (const el of document.querySelectorAll('[data-html-from]')) {
    const source = document.getElementById(el.dataset.htmlFrom);
    if (source) el.innerHTML = instructionsHTML(JSON.parse(source.textContent));
  }
}
