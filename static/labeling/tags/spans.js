// Text-span helpers shared by Text, HyperText and Paragraphs: DOM offsets,
// XPath, and wrapping character ranges in (possibly nested) highlight spans.
import { snapSpan } from '../granularity.js';

/** Character offset of a DOM point (node, offset) inside container. */
export function offsetIn(container, node, offset) {
  const r = container.ownerDocument.createRange();
  r.setStart(container, 0);
  r.setEnd(node, offset);
  return r.toString().length;
}

/** {start, end} offsets of the window selection inside container, or null. */
export function selectionOffsets(container, { word = false, granularity = word ? 'word' : 'symbol' } = {}) {
  const sel = container.ownerDocument.getSelection();
  if (!sel || sel.isCollapsed || !sel.rangeCount) return null;
  const range = sel.getRangeAt(0);
  if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) return null;
  const start = offsetIn(container, range.startContainer, range.startOffset);
  const end = offsetIn(container, range.endContainer, range.endOffset);
  return snapSpan(container.textContent, start, end, granularity);
}

function textNodes(container) {
  const out = [];
  const walker = container.ownerDocument.createTreeWalker(container, 4 /* SHOW_TEXT */);
  let pos = 0;
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    out.push([n, pos]);
    pos += n.data.length;
  }
  return out;
}

/**
 * Wrap [start, end) of container's text in span.ls-region elements (one per
 * text node piece). Overlapping regions nest, so overlaps stay visible.
 */
export function wrapRange(container, start, end, attrs) {
  const pieces = [];
  for (const [node, pos] of textNodes(container)) {
    const len = node.data.length;
    if (pos + len <= start || pos >= end || !len) continue;
    let n = node;
    const a = Math.max(start, pos) - pos;
    const b = Math.min(end, pos + len) - pos;
    if (a > 0) n = n.splitText(a);
    if (b - a < n.data.length) n.splitText(b - a);
    const span = container.ownerDocument.createElement('span');
    span.className = 'ls-region';
    for (const [k, v] of Object.entries(attrs)) if (v != null) span.setAttribute(k, v);
    n.parentNode.insertBefore(span, n);
    span.append(n);
    pieces.push(span);
  }
  if (pieces.length) {
    pieces[0].classList.add('ls-region-start');
    pieces[pieces.length - 1].classList.add('ls-region-end');
  }
  return pieces;
}

/** XPath of an element relative to root, e.g. "/p[2]/b[1]"; "" for root itself. */
export function xpathOf(el, root) {
  const parts = [];
  for (let n = el; n && n !== root; n = n.parentNode) {
    if (n.nodeType !== 1) continue;
    let i = 1;
    for (let s = n.previousElementSibling; s; s = s.previousElementSibling) if (s.tagName === n.tagName) i++;
    parts.unshift(`${n.tagName.toLowerCase()}[${i}]`);
  }
  return parts.length ? `/${parts.join('/')}` : '/';
}

export function resolveXPath(root, path) {
  let n = root;
  for (const step of String(path || '').split('/').filter(Boolean)) {
    const m = /^([a-z0-9-]+)(?:\[(\d+)\])?$/i.exec(step);
    if (!m || m[1] === 'text()') break;
    const idx = Number(m[2] || 1);
    const kids = Array.from(n.children).filter((c) => c.tagName.toLowerCase() === m[1].toLowerCase());
    n = kids[idx - 1];
    if (!n) return null;
  }
  return n;
}

/** Element containing character offset `off` plus the offset relative to that element's text. */
export function pointAt(container, off, preferEnd = false) {
  const nodes = textNodes(container);
  for (const [node, pos] of nodes) {
    const len = node.data.length;
    if (off < pos + len || (preferEnd && off === pos + len)) {
      const el = node.parentNode.closest('.ls-region') ? nonRegionParent(node) : node.parentNode;
      return { el, offset: offsetIn(el, node, off - pos) };
    }
  }
  return { el: container, offset: off };
}

function nonRegionParent(node) {
  let p = node.parentNode;
  while (p.classList && p.classList.contains('ls-region')) p = p.parentNode;
  return p;
}

/** Re-apply highlights for a list of {id, start, end, color, label, selected, hidden}. */
export function paint(container, regions) {
  const sorted = [...regions].sort((a, b) => a.start - b.start || b.end - a.end);
  for (const r of sorted) {
    const pieces = wrapRange(container, r.start, r.end, {
      'data-id': r.id, style: `--ls-color:${r.color}`, title: r.label || null,
    });
    for (const p of pieces) {
      if (r.selected) p.classList.add('ls-selected');
      if (r.hidden) p.classList.add('ls-hidden-region');
      if (p.parentNode.closest && p.parentNode.closest('.ls-region')) p.classList.add('ls-overlap');
    }
    if (pieces.length && r.label) pieces[pieces.length - 1].setAttribute('data-label', r.label);
  }
}
