// Time series decimation: draw what the screen can show, not what the data holds.
// For each pixel column, the min and max of the points falling in it (a line through them draws
// the same picture as every point). A block index (min/max per BLOCK points) lets a column that
// covers many points read its blocks instead, so the cost is about the number of columns whatever
// the zoom: O(width * BLOCK + points / BLOCK) at worst. DOM-free, node-tested.

export const BLOCK = 64;

/** Min/max of each block of BLOCK points (NaN skipped). */
export function blockIndex(ys) {
  const n = Math.ceil(ys.length / BLOCK);
  const mins = new Float64Array(n);
  const maxs = new Float64Array(n);
  for (let b = 0; b < n; b++) {
    let lo = Infinity; let hi = -Infinity;
    const end = Math.min(ys.length, (b + 1) * BLOCK);
    for (let i = b * BLOCK; i < end; i++) {
      const v = ys[i];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    mins[b] = lo; maxs[b] = hi;
  }
  return { mins, maxs };
}

/** First index i with xs[i] >= x (xs ascending). */
export function lowerBound(xs, x) {
  let lo = 0; let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid] < x) lo = mid + 1; else hi = mid;
  }
  return lo;
}

function rangeMinMax(ys, index, from, to) {
  let lo = Infinity; let hi = -Infinity;
  let i = from;
  if (index) {
    const firstBlock = Math.ceil(from / BLOCK);
    const lastBlock = Math.floor(to / BLOCK); // exclusive
    if (lastBlock - firstBlock >= 2) {
      for (; i < firstBlock * BLOCK; i++) { const v = ys[i]; if (v < lo) lo = v; if (v > hi) hi = v; }
      for (let b = firstBlock; b < lastBlock; b++) {
        if (index.mins[b] < lo) lo = index.mins[b];
        if (index.maxs[b] > hi) hi = index.maxs[b];
      }
      i = lastBlock * BLOCK;
    }
  }
  for (; i < to; i++) { const v = ys[i]; if (v < lo) lo = v; if (v > hi) hi = v; }
  return [lo, hi];
}

/**
 * Columns for x in [x0, x1] over `width` pixels: {cols: Int32Array, mins, maxs: Float64Array,
 * count} — one entry per pixel column holding points (empty columns are skipped), plus the
 * points just outside the window so lines run to the edges (as columns -1 and width).
 */
export function decimate(xs, ys, x0, x1, width, index = null) {
  const w = Math.max(1, Math.floor(width));
  const cols = new Int32Array(w + 2);
  const mins = new Float64Array(w + 2);
  const maxs = new Float64Array(w + 2);
  let count = 0;
  const span = x1 - x0 || 1;
  const start = lowerBound(xs, x0);
  let stop = lowerBound(xs, x1); // first index past the window (points at x1 are in)
  while (stop < xs.length && xs[stop] === x1) stop++;
  if (start > 0) { cols[count] = -1; mins[count] = maxs[count] = ys[start - 1]; count++; }
  let i = start;
  for (let c = 0; c < w && i < stop; c++) {
    const edge = x0 + (span * (c + 1)) / w;
    let j = c === w - 1 ? stop : lowerBound(xs, edge);
    if (j > stop) j = stop;
    if (j > i) {
      const [lo, hi] = rangeMinMax(ys, index, i, j);
      cols[count] = c; mins[count] = lo; maxs[count] = hi; count++;
      i = j;
    }
  }
  if (stop < xs.length) { cols[count] = w; mins[count] = maxs[count] = ys[stop]; count++; }
  return { cols, mins, maxs, count };
}
