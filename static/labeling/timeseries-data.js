// Time series data: CSV/TSV text or an object of columns -> {xs: Float64Array, columns: {name: Float64Array},
// isTime}. Times are parsed with the config's strftime-style timeFormat into epoch milliseconds (UTC)
// and written back in results in the same format. DOM-free, node-tested.

const FIELDS = {
  '%Y': ['(\\d{4})', (d, v) => { d.Y = +v; }], '%m': ['(\\d{1,2})', (d, v) => { d.m = +v; }], '%d': ['(\\d{1,2})', (d, v) => { d.d = +v; }],
  '%H': ['(\\d{1,2})', (d, v) => { d.H = +v; }], '%M': ['(\\d{1,2})', (d, v) => { d.M = +v; }], '%S': ['(\\d{1,2})', (d, v) => { d.S = +v; }],
  '%f': ['(\\d{1,6})', (d, v) => { d.f = Number(`0.${v}`) * 1000; }], '%y': ['(\\d{2})', (d, v) => { d.Y = 2000 + +v; }],
};

/** A parser for a strftime subset (%Y %y %m %d %H %M %S %f, literals), or null for numbers. */
export function timeParser(format) {
  if (!format) return null;
  const setters = [];
  let re = '^';
  for (const part of format.split(/(%[a-zA-Z])/)) {
    if (!part) continue;
    if (FIELDS[part]) { re += FIELDS[part][0]; setters.push(FIELDS[part][1]); } else re += part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  const rx = new RegExp(`${re}$`);
  return (text) => {
    const m = rx.exec(String(text).trim());
    if (!m) return NaN;
    const d = { Y: 1970, m: 1, d: 1, H: 0, M: 0, S: 0, f: 0 };
    setters.forEach((set, i) => set(d, m[i + 1]));
    return Date.UTC(d.Y, d.m - 1, d.d, d.H, d.M, d.S) + d.f;
  };
}

const pad = (v, n = 2) => String(v).padStart(n, '0');
/** Format epoch ms with the same strftime subset (UTC). */
export function formatTime(ms, format) {
  const d = new Date(ms);
  const map = {
    '%Y': d.getUTCFullYear(), '%y': pad(d.getUTCFullYear() % 100), '%m': pad(d.getUTCMonth() + 1), '%d': pad(d.getUTCDate()),
    '%H': pad(d.getUTCHours()), '%M': pad(d.getUTCMinutes()), '%S': pad(d.getUTCSeconds()), '%f': pad(d.getUTCMilliseconds() * 1000, 6),
  };
  return format.replace(/%[a-zA-Z]/g, (k) => (k in map ? map[k] : k));
}

/** A number in a d3-format subset, as Label Studio's timeDisplayFormat for numeric x values:
 * `[,][.precision][f|d|e|%]` (`,` groups thousands); anything else: rounded to 3 decimals. */
export function formatNumber(x, spec) {
  const m = /^(,)?(?:\.(\d+))?([fde%])?$/.exec(spec || '');
  if (!spec || !m || (!m[1] && m[2] == null && !m[3])) return String(Math.round(x * 1000) / 1000);
  const [, comma, digits, type] = m;
  const p = digits == null ? 6 : Number(digits);
  let text;
  if (type === 'f') text = x.toFixed(p);
  else if (type === 'd') text = String(Math.round(x));
  else if (type === 'e') text = x.toExponential(p);
  else if (type === '%') text = `${(x * 100).toFixed(p)}%`;
  else text = digits == null ? String(x) : String(Number(x.toPrecision(Math.max(1, p))));
  if (comma && type !== 'e') text = text.replace(/^(-?)(\d+)/, (_, sign, int) => sign + int.replace(/\B(?=(\d{3})+(?!\d))/g, ','));
  return text;
}

/** Rows of a delimited text (header first); quotes handled for simple cases. */
export function parseDelimited(text, sep = ',') {
  const delimiter = sep === '\\t' ? '\t' : sep;
  const lines = String(text).split(/\r?\n/).filter((l) => l.trim() !== '');
  const split = (line) => (line.includes('"') ? splitQuoted(line, delimiter) : line.split(delimiter));
  const header = split(lines[0]).map((s) => s.trim());
  return { header, rows: lines.slice(1).map(split) };
}

function splitQuoted(line, d) {
  const out = []; let cur = ''; let q = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (q) { if (c === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (c === '"') q = false; else cur += c; }
    else if (c === '"') q = true; else if (c === d) { out.push(cur); cur = ''; } else cur += c;
  }
  out.push(cur);
  return out;
}

/**
 * Columns of a series. `source` is CSV/TSV text or an object of columns; `timeColumn` (else the row
 * index) gives x, parsed with `timeFormat` when set. Rows come sorted by x (stable).
 */
export function seriesFrom(source, { sep = ',', timeColumn, timeFormat, columns }) {
  let table;
  if (typeof source === 'string') {
    const { header, rows } = parseDelimited(source, sep);
    table = Object.fromEntries(header.map((name, i) => [name, rows.map((r) => r[i])]));
  } else table = source || {};
  const n = Math.max(0, ...Object.values(table).map((c) => (Array.isArray(c) ? c.length : 0)));
  const parse = timeParser(timeFormat);
  const raw = timeColumn ? table[timeColumn] : null;
  if (timeColumn && !raw) throw new Error(`timeColumn "${timeColumn}" is not in the data (columns: ${Object.keys(table).join(', ')})`);
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = raw ? (parse ? parse(raw[i]) : Number(raw[i])) : i;
  const out = {};
  for (const name of columns) {
    const col = table[name];
    if (!col) throw new Error(`column "${name}" is not in the data (columns: ${Object.keys(table).join(', ')})`);
    out[name] = Float64Array.from(col, Number);
  }
  let sorted = true;
  for (let i = 1; i < n; i++) if (xs[i] < xs[i - 1]) { sorted = false; break; }
  if (!sorted) {
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => xs[a] - xs[b] || a - b);
    const sx = Float64Array.from(order, (i) => xs[i]);
    for (const name of columns) out[name] = Float64Array.from(order, (i) => out[name][i]);
    return { xs: sx, columns: out, isTime: !!parse };
  }
  return { xs, columns: out, isTime: !!parse };
}
