// Tiny DOM helpers shared by the tag modules.
const SVG_NS = 'http://www.w3.org/2000/svg';

function apply(el, attrs, svg = false) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k === 'class') el.setAttribute('class', v);
    else if (k === 'text') el.textContent = v;
    else if (k === 'style' && typeof v === 'object') for (const [p, x] of Object.entries(v)) el.style.setProperty(p.startsWith('--') ? p : p.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`), x);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2).toLowerCase(), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (!svg && k in el && typeof v !== 'string' && k !== 'list') el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  return el;
}

/** h('div', {class: 'x', onClick}, child, 'text', ...) */
export function h(tag, attrs, ...children) {
  const el = apply(document.createElement(tag), attrs);
  for (const c of children.flat()) if (c != null && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

export function s(tag, attrs) {
  return apply(document.createElementNS(SVG_NS, tag), attrs, true);
}

export function setAttrs(el, attrs) {
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null) el.removeAttribute(k);
    else el.setAttribute(k, String(v));
  }
}

const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#9333ea', '#0891b2', '#db2777', '#65a30d', '#7c3aed', '#ea580c'];
export const paletteColor = (i) => PALETTE[i % PALETTE.length];

export function cssColor(c, fallback = '#2563eb') {
  if (!c) return fallback;
  return /^[#a-z0-9(),.\s%]+$/i.test(c) ? c : fallback;
}

/** Pointer drag helper: calls move(ev) and up(ev) until release. */
export function drag(startEv, move, up) {
  const doc = startEv.target.ownerDocument || document;
  const onMove = (ev) => move(ev);
  const onUp = (ev) => {
    doc.removeEventListener('pointermove', onMove);
    doc.removeEventListener('pointerup', onUp);
    up?.(ev);
  };
  doc.addEventListener('pointermove', onMove);
  doc.addEventListener('pointerup', onUp);
}
