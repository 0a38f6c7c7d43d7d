// Label Studio's brush RLE (the thi.ng/rle-pack bit stream over a flat RGBA byte array).
// DOM-free. encode() writes exactly what label_studio_sdk.converter.brush.encode_rle writes
// (one token per run of equal bytes, a run of one as a one-word literal, runs over 65536
// split, 1-8 zero pad bits); decode() reads any rle-pack stream, also literal runs.
// Stream: 32 bits count, 5 bits word size - 1, four 4-bit run-size widths - 1, then tokens
// [repeat flag:1][size index:2][run length - 1:size][word (repeat) | words (literal)].

const SIZES = [3, 4, 8, 16];
const CHUNK = 65536;

class BitWriter {
  constructor(capacity = 1024) {
    this.buf = new Uint8Array(capacity);
    this.pos = 0; // bits written
  }

  /** Write the low k bits of v (k <= 32), most significant first. */
  write(v, k) {
    if (((this.pos + k) >> 3) + 1 >= this.buf.length) {
      const next = new Uint8Array(this.buf.length * 2 + 16);
      next.set(this.buf);
      this.buf = next;
    }
    for (let left = k; left > 0;) {
      const byte = this.pos >> 3;
      const free = 8 - (this.pos & 7);
      const take = Math.min(free, left);
      const bits = Math.floor(v / 2 ** (left - take)) & ((1 << take) - 1);
      this.buf[byte] |= bits << (free - take);
      this.pos += take;
      left -= take;
    }
  }
}

/** Flat RGBA bytes (Uint8Array or array) -> array of RLE bytes, identical to the converter's. */
export function encode(data) {
  const n = data.length;
  if (!n) throw new Error('cannot encode an empty mask');
  const w = new BitWriter(Math.max(1024, n >> 6));
  w.write(n, 32);
  w.write(7, 5);
  for (const s of SIZES) w.write(s - 1, 4);
  let i = 0;
  while (i < n) {
    const v = data[i];
    let j = i + 1;
    while (j < n && data[j] === v) j++;
    let len = j - i;
    if (len === 1) w.write(v, 14); // 0 00 000 + word
    else if (len <= 8) w.write((0b100 << 11) | ((len - 1) << 8) | v, 14);
    else if (len <= 16) w.write((0b101 << 12) | ((len - 1) << 8) | v, 15);
    else if (len <= 256) w.write((0b110 << 16) | ((len - 1) << 8) | v, 19);
    else {
      while (len > CHUNK) {
        w.write(0b111, 3); w.write(CHUNK - 1, 16); w.write(v, 8);
        len -= CHUNK;
      }
      w.write(0b111, 3); w.write(len - 1, 16); w.write(v, 8);
    }
    i = j;
  }
  const nbytes = (w.pos + 8 - (w.pos % 8)) >> 3; // always 1-8 pad bits, as the converter
  return Array.from(w.buf.subarray(0, nbytes));
}

/**
 * RLE bytes -> Uint8Array of the flat RGBA bytes. Throws on a truncated stream, or before
 * allocating when the stream's length is not `expected` (width * height * 4).
 */
export function decode(rle, expected) {
  const src = rle instanceof Uint8Array ? rle : Uint8Array.from(rle);
  const limit = src.length * 8;
  let pos = 0;
  const read = (k) => {
    if (pos + k > limit) throw new Error('truncated RLE stream');
    let v = 0;
    for (let left = k; left > 0;) {
      const free = 8 - (pos & 7);
      const take = Math.min(free, left);
      v = v * 2 ** take + ((src[pos >> 3] >> (free - take)) & ((1 << take) - 1));
      pos += take;
      left -= take;
    }
    return v;
  };
  const total = read(32);
  if (expected != null && total !== expected) throw new Error(`the mask holds ${total} values, expected ${expected}`);
  const word = read(5) + 1;
  const sizes = [0, 0, 0, 0].map(() => read(4) + 1);
  const out = new Uint8Array(total);
  for (let i = 0; i < total;) {
    const repeat = read(1);
    const j = Math.min(total, i + 1 + read(sizes[read(2)]));
    if (repeat) {
      const v = read(word) & 0xff;
      if (v) out.fill(v, i, j);
      i = j;
    } else {
      for (; i < j; i++) out[i] = read(word) & 0xff;
    }
  }
  return out;
}
