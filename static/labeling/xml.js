// A small, strict XML parser: elements, attributes, text, comments, CDATA,
// self-closing tags and the five predefined entities (+ numeric references).
// It produces a DOM-like tree (tagName, getAttribute, attributes, childNodes,
// textContent) so the config reader works the same in the browser and in node.

export class XMLError extends Error {
  constructor(message, line, column) {
    super(`${message} (line ${line}, column ${column})`);
    this.name = 'XMLError';
    this.reason = message;
    this.line = line;
    this.column = column;
  }
}

const ENTITIES = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const NAME_RE = /[A-Za-z_:][\w:.-]*/y;

export class XNode {
  constructor(nodeType, parentNode = null) {
    this.nodeType = nodeType; // 1 element, 3 text, 8 comment, 9 document
    this.parentNode = parentNode;
    this.childNodes = [];
  }
  get textContent() {
    if (this.nodeType === 3 || this.nodeType === 8) return this.data;
    return this.childNodes.filter((n) => n.nodeType !== 8).map((n) => n.textContent).join('');
  }
  get children() {
    return this.childNodes.filter((n) => n.nodeType === 1);
  }
}

export class XElement extends XNode {
  constructor(tagName, parentNode, line) {
    super(1, parentNode);
    this.tagName = tagName;
    this.nodeName = tagName;
    this.attributes = []; // [{name, value}]
    this.line = line;
  }
  getAttribute(name) {
    const a = this.attributes.find((x) => x.name === name);
    return a ? a.value : null;
  }
  hasAttribute(name) {
    return this.attributes.some((x) => x.name === name);
  }
}

function decode(raw, pos, where) {
  if (raw.indexOf('&') < 0) return raw;
  return raw.replace(/&([^;\s&]*);?/g, (m, name, off) => {
    if (!m.endsWith(';')) where(pos + off, `Unterminated entity "${m}"`);
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      if (!Number.isFinite(code) || code < 0 || code > 0x10ffff) where(pos + off, `Bad character reference "${m}"`);
      return String.fromCodePoint(code);
    }
    if (!(name in ENTITIES)) where(pos + off, `Unknown entity "&${name};"`);
    return ENTITIES[name];
  });
}

/** Parse XML text into a document node. Throws XMLError with line/column. */
export function parseXML(text) {
  const src = String(text);
  let i = 0;
  const lineAt = (pos) => {
    let line = 1;
    let last = -1;
    for (let k = 0; k < pos && k < src.length; k++) if (src.charCodeAt(k) === 10) { line++; last = k; }
    return [line, pos - last];
  };
  const fail = (pos, msg) => {
    const [l, c] = lineAt(pos);
    throw new XMLError(msg, l, c);
  };
  const doc = new XNode(9);
  let cur = doc;
  const stack = [];
  const readName = () => {
    NAME_RE.lastIndex = i;
    const m = NAME_RE.exec(src);
    if (!m) fail(i, `Expected a name but found "${src[i] ?? 'end of input'}"`);
    i += m[0].length;
    return m[0];
  };
  const skipWs = () => { while (i < src.length && /\s/.test(src[i])) i++; };

  while (i < src.length) {
    const lt = src.indexOf('<', i);
    const end = lt < 0 ? src.length : lt;
    if (end > i) {
      const raw = src.slice(i, end);
      if (cur === doc) {
        if (raw.trim()) fail(i + raw.search(/\S/), 'Text outside of the root element');
      } else {
        const t = new XNode(3, cur);
        t.data = decode(raw, i, fail);
        cur.childNodes.push(t);
      }
      i = end;
      continue;
    }
    if (src.startsWith('<!--', i)) {
      const close = src.indexOf('-->', i + 4);
      if (close < 0) fail(i, 'Unterminated comment');
      const c = new XNode(8, cur);
      c.data = src.slice(i + 4, close);
      cur.childNodes.push(c);
      i = close + 3;
    } else if (src.startsWith('<![CDATA[', i)) {
      const close = src.indexOf(']]>', i);
      if (close < 0) fail(i, 'Unterminated CDATA section');
      if (cur === doc) fail(i, 'CDATA outside of the root element');
      const t = new XNode(3, cur);
      t.data = src.slice(i + 9, close);
      cur.childNodes.push(t);
      i = close + 3;
    } else if (src.startsWith('<?', i)) {
      const close = src.indexOf('?>', i);
      if (close < 0) fail(i, 'Unterminated processing instruction');
      i = close + 2;
    } else if (src.startsWith('<!DOCTYPE', i) || src.startsWith('<!doctype', i)) {
      const close = src.indexOf('>', i);
      if (close < 0 || cur !== doc) fail(i, 'Bad DOCTYPE');
      i = close + 1;
    } else if (src[i + 1] === '/') {
      const start = i;
      i += 2;
      const name = readName();
      skipWs();
      if (src[i] !== '>') fail(i, `Expected ">" to close </${name}`);
      i++;
      if (cur === doc || cur.tagName !== name) {
        fail(start, cur === doc ? `Unexpected closing tag </${name}>` : `Mismatched closing tag </${name}>, expected </${cur.tagName}> (opened on line ${cur.line})`);
      }
      cur = stack.pop();
    } else {
      const start = i;
      i++;
      const name = readName();
      if (cur === doc && doc.childNodes.some((n) => n.nodeType === 1)) fail(start, `Only one root element is allowed, found a second <${name}>`);
      const el = new XElement(name, cur, lineAt(start)[0]);
      for (;;) {
        const before = i;
        skipWs();
        if (src[i] === '>' || src.startsWith('/>', i)) break;
        if (i >= src.length) fail(start, `Unterminated tag <${name}>`);
        if (i === before) fail(i, `Expected whitespace before attribute in <${name}>`);
        const aname = readName();
        skipWs();
        if (src[i] !== '=') fail(i, `Attribute "${aname}" of <${name}> has no value`);
        i++;
        skipWs();
        const q = src[i];
        if (q !== '"' && q !== "'") fail(i, `Attribute "${aname}" of <${name}> must be quoted`);
        const close = src.indexOf(q, i + 1);
        if (close < 0) fail(i, `Unterminated attribute value for "${aname}"`);
        const raw = src.slice(i + 1, close);
        if (raw.includes('<')) fail(i + 1 + raw.indexOf('<'), `"<" is not allowed in attribute "${aname}"`);
        if (el.hasAttribute(aname)) fail(before, `Duplicate attribute "${aname}" in <${name}>`);
        el.attributes.push({ name: aname, value: decode(raw, i + 1, fail) });
        i = close + 1;
      }
      cur.childNodes.push(el);
      if (src[i] === '>') {
        i++;
        stack.push(cur);
        cur = el;
      } else {
        i += 2;
      }
    }
  }
  if (cur !== doc) fail(src.length, `Unclosed tag <${cur.tagName}> (opened on line ${cur.line})`);
  const root = doc.childNodes.find((n) => n.nodeType === 1);
  if (!root) fail(0, 'No root element');
  doc.documentElement = root;
  return doc;
}

/** Minimal DOMParser look-alike backed by parseXML (throws on errors). */
export class MiniDOMParser {
  parseFromString(text) {
    return parseXML(text);
  }
}

export function escapeXML(s) {
  return String(s).replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]);
}
