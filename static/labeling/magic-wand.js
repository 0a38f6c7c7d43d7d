// Magic wand flood fill, DOM-free: from a seed pixel, every 4-connected pixel whose colour is
// within `threshold` of the seed's (each of R, G, B differs by at most that much) joins the mask.
// The interface redoes the fill as the pointer is dragged (farther = higher threshold), as Label
// Studio's MagicWand does, and writes the mask as an ordinary brush region (RLE).

/** Threshold for a drag of `distance` screen pixels from the seed, starting at `base`. */
export const dragThreshold = (base, distance) => Math.max(0, Math.min(255, Math.round(base + distance / 2)));

/**
 * Flood fill of a flat RGBA image (`width` x `height`) from (x, y): a Uint8Array with 1 for every
 * selected pixel. Alpha is ignored; a seed outside the image selects nothing.
 */
export function floodFill(rgba, width, height, x, y, threshold) {
  const mask = new Uint8Array(width * height);
  x = Math.floor(x);
  y = Math.floor(y);
  if (x < 0 || y < 0 || x >= width || y >= height) return mask;
  const s = (y * width + x) * 4;
  const r0 = rgba[s], g0 = rgba[s + 1], b0 = rgba[s + 2];
  const t = Math.max(0, threshold);
  const near = (p) => {
    const i = p * 4;
    return Math.abs(rgba[i] - r0) <= t && Math.abs(rgba[i + 1] - g0) <= t && Math.abs(rgba[i + 2] - b0) <= t;
  };
  const stack = [y * width + x];
  mask[stack[0]] = 1;
  while (stack.length) {
    const p = stack.pop();
    const px = p % width;
    if (px > 0 && !mask[p - 1] && near(p - 1)) { mask[p - 1] = 1; stack.push(p - 1); }
    if (px < width - 1 && !mask[p + 1] && near(p + 1)) { mask[p + 1] = 1; stack.push(p + 1); }
    if (p >= width && !mask[p - width] && near(p - width)) { mask[p - width] = 1; stack.push(p - width); }
    if (p < width * (height - 1) && !mask[p + width] && near(p + width)) { mask[p + width] = 1; stack.push(p + width); }
  }
  return mask;
}

/** A 0/1 mask as RGBA pixels for a mask canvas: selected = opaque white, else transparent. */
export function maskToRGBA(mask) {
  const out = new Uint8ClampedArray(mask.length * 4);
  for (let i = 0; i < mask.length; i++) if (mask[i]) out[i * 4] = out[i * 4 + 1] = out[i * 4 + 2] = out[i * 4 + 3] = 255;
  return out;
}
