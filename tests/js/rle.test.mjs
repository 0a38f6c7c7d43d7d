import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { encode, decode } from '../../static/labeling/rle.js';

// RLE made by label_studio_sdk.converter.brush.encode_rle (tests/js/fixtures/make_rle_fixtures.py)
const FIXTURES = JSON.parse(readFileSync(new URL('./fixtures/rle.json', import.meta.url), 'utf8'));
const expand = (runs) => Uint8Array.from(runs.flatMap(([v, n]) => Array(n).fill(v)));

for (const [name, { runs, rle }] of Object.entries(FIXTURES)) {
  test(`${name}: encode gives the converter's bytes, decode reads them back`, () => {
    const data = expand(runs);
    assert.deepEqual(encode(data), rle);
    assert.deepEqual(decode(rle), data);
  });
}

test('literal runs of several words (as thi.ng/rle-pack writes them) decode', () => {
  let bits = (6).toString(2).padStart(32, '0') + '00111' + [3, 4, 8, 16].map((s) => (s - 1).toString(2).padStart(4, '0')).join('');
  bits += '0' + '00' + '010' + [1, 2, 3].map((v) => v.toString(2).padStart(8, '0')).join('') + '1' + '00' + '010' + '00001001';
  bits = bits.padEnd(Math.ceil(bits.length / 8) * 8, '0');
  const bytes = bits.match(/.{8}/g).map((b) => parseInt(b, 2));
  assert.deepEqual([...decode(bytes)], [1, 2, 3, 9, 9, 9]);
});

test('truncated stream and empty mask are refused', () => {
  assert.throws(() => decode(FIXTURES.noise.rle.slice(0, 20)), /truncated/);
  assert.throws(() => encode(new Uint8Array(0)), /empty/);
  // a made-up length is refused before anything is allocated
  const huge = [0xff, 0xff, 0xff, 0xfc, ...FIXTURES.zeros.rle.slice(4)];
  assert.throws(() => decode(huge, 64), /holds 4294967292 values, expected 64/);
  assert.equal(decode(FIXTURES.zeros.rle, 64).length, 64);
});
