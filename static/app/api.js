// Fetch wrapper for the pages: session cookie + CSRF token, JSON in and out, errors as ApiError.

export class ApiError extends Error {
  constructor(status, body) {
    const detail = body && typeof body === 'object' ? body.detail || firstMessage(body) : body;
    super(detail || `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

function firstMessage(body) {
  for (const [key, value] of Object.entries(body)) {
    const text = Array.isArray(value) ? value.join(' ') : typeof value === 'string' ? value : '';
    if (text) return `${key}: ${text}`;
  }
  return '';
}

export function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  if (meta && meta.content) return meta.content;
  const m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return m ? decodeURIComponent(m[1]) : '';
}

/** api('/api/x', {method, json, body, query}) -> parsed JSON (or null for 204). */
export async function api(url, { method = 'GET', json, body, query, signal } = {}) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET' && method !== 'HEAD') headers['X-CSRFToken'] = csrfToken();
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  }
  if (query) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.append(k, v);
    const qs = params.toString();
    if (qs) url += (url.includes('?') ? '&' : '?') + qs;
  }
  const res = await fetch(url, { method, headers, body, signal, credentials: 'same-origin' });
  const type = res.headers.get('Content-Type') || '';
  const data = res.status === 204 ? null : type.includes('json') ? await res.json() : await res.text();
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

/** Poll a job until it finishes; onProgress(job) after each poll. */
export async function pollJob(jobId, onProgress, { interval = 500 } = {}) {
  for (;;) {
    const job = await api(`/api/jobs/${jobId}`);
    onProgress?.(job);
    if (['succeeded', 'failed', 'cancelled'].includes(job.status)) return job;
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** Read a json_script block. */
export function pageData(id) {
  const el = document.getElementById(id);
  return el ? JSON.parse(el.textContent) : null;
}

/** Show a transient status message in #flash (or a given element). */
export function flash(text, kind = 'info', el = document.getElementById('flash')) {
  if (!el) return;
  el.textContent = text;
  el.className = `flash ${kind}`;
  el.hidden = !text;
}

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') node.textContent = v;
    else if (k === 'class') node.className = v;
    else if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) node.append(c instanceof Node ? c : String(c));
  return node;
}
