// Allowlist HTML sanitizer, DOM-free: tokenizes the input and re-serializes only
// allowed tags/attributes, so nothing the browser would re-interpret survives.
// Dropped with their content: script, style, iframe, object, embed, template, ...
// Dropped attributes: every on*, style with url()/expression, non-allowlisted ones;
// URLs must be http(s), mailto, relative, #anchors or data:image.

const ALLOWED_TAGS = new Set(('a abbr b bdi bdo blockquote br caption cite code col colgroup dd del details dfn div dl dt em ' +
  'figcaption figure h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre q s samp section small span strong sub summary sup ' +
  'table tbody td tfoot th thead time tr u ul article aside footer header main nav').split(' '));
const DROP_WITH_CONTENT = new Set(['script', 'style', 'iframe', 'object', 'embed', 'template', 'noscript', 'frame', 'frameset', 'applet', 'svg', 'math', 'textarea', 'select', 'xmp', 'noembed', 'noframes', 'plaintext', 'title', 'head']);
const VOID = new Set(['br', 'hr', 'img', 'col', 'wbr']);
const ALLOWED_ATTRS = new Set(['title', 'alt', 'class', 'lang', 'dir', 'colspan', 'rowspan', 'width', 'height', 'align', 'valign', 'datetime', 'cite', 'open', 'start', 'reversed', 'type', 'scope', 'headers', 'style']);
const URL_ATTRS = new Set(['href', 'src']);

export const escapeHTML = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

function decodeEntities(s) {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);?/gi, (m, e) => {
    if (e[0] === '#') {
      const n = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return n > 0 && n < 0x110000 ? String.fromCodePoint(n) : '';
    }
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', colon: ':', tab: '\t', newline: '\n' }[e.toLowerCase()] ?? m;
  });
}

export function safeUrl(url, { allowData = false } = {}) {
  // strip control chars and whitespace that browsers ignore inside schemes
  const u = decodeEntities(String(url)).replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(u);
  if (!scheme) return true; // relative / anchor
  const s = scheme[1].toLowerCase();
  if (s === 'http' || s === 'https' || s === 'mailto') return true;
  if (allowData && s === 'data' && /^data:image\/(png|jpe?g|gif|webp|bmp);/i.test(u)) return true;
  return false;
}

const ATTR_RE = /([^\s"'>\/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;
const TAG_RE = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s"'>\/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*(\/?)>/y;

function cleanAttrs(tag, raw) {
  const out = [];
  const seen = new Set();
  for (const m of raw.matchAll(ATTR_RE)) {
    const name = m[1].toLowerCase();
    if (seen.has(name)) continue;
    seen.add(name);
    const value = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
    if (name.startsWith('on')) continue;
    if (URL_ATTRS.has(name)) {
      if ((name === 'href' && tag !== 'a') || (name === 'src' && tag !== 'img')) continue;
      if (!safeUrl(value, { allowData: name === 'src' })) continue;
    } else if (name === 'style') {
      if (/url\s*\(|expression\s*\(|javascript:|@import|behavior\s*:/i.test(value)) continue;
    } else if (name === 'class') {
      out.push(` class="${escapeHTML(value.split(/\s+/).filter((c) => c && !c.startsWith('ls-')).join(' '))}"`);
      continue;
    } else if (!ALLOWED_ATTRS.has(name) && !name.startsWith('data-') && !name.startsWith('aria-')) continue;
    out.push(` ${name}="${escapeHTML(value)}"`);
  }
  if (tag === 'a' && out.some((a) => a.startsWith(' href='))) out.push(' rel="noopener noreferrer" target="_blank"');
  return out.join('');
}

/** Sanitize an HTML string; returns safe HTML. */
export function sanitizeHTML(html) {
  const src = String(html ?? '');
  let out = '';
  let i = 0;
  const open = [];
  let dropUntil = null; // tag name whose closing tag ends a dropped block
  while (i < src.length) {
    const lt = src.indexOf('<', i);
    if (lt < 0) {
      if (!dropUntil) out += escapeHTML(decodeEntities(src.slice(i)));
      break;
    }
    if (lt > i && !dropUntil) out += escapeHTML(decodeEntities(src.slice(i, lt)));
    i = lt;
    if (src.startsWith('<!--', i)) {
      const end = src.indexOf('-->', i + 4);
      i = end < 0 ? src.length : end + 3;
      continue;
    }
    if (src[i + 1] === '!' || src[i + 1] === '?') {
      const end = src.indexOf('>', i);
      i = end < 0 ? src.length : end + 1;
      continue;
    }
    TAG_RE.lastIndex = i;
    const m = TAG_RE.exec(src);
    if (!m) {
      if (!dropUntil) out += '&lt;';
      i += 1;
      continue;
    }
    i = TAG_RE.lastIndex;
    const closing = m[1] === '/';
    const tag = m[2].toLowerCase();
    if (dropUntil) {
      if (closing && tag === dropUntil) dropUntil = null;
      continue;
    }
    if (DROP_WITH_CONTENT.has(tag)) {
      if (!closing && !m[4]) dropUntil = tag;
      continue;
    }
    if (!ALLOWED_TAGS.has(tag)) continue; // unwrap: keep children
    if (closing) {
      const idx = open.lastIndexOf(tag);
      if (idx >= 0) {
        while (open.length > idx) out += `</${open.pop()}>`;
      }
      continue;
    }
    out += `<${tag}${cleanAttrs(tag, m[3] || '')}>`;
    if (!VOID.has(tag)) open.push(tag);
  }
  while (open.length) out += `</${open.pop()}>`;
  return out;
}
