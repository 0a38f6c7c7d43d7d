// Helper for tests/tasks/exporters/test_brush_rle_js.py (not a node test): reads
// {name: {data: [...bytes], rle: [...converter bytes]}} from argv[2] and writes
// {name: {encoded: [...], decoded: [...]}} (our JS encode of data, our decode of rle) to argv[3].
import { readFileSync, writeFileSync } from 'node:fs';
import { encode, decode } from '../../static/labeling/rle.js';

const cases = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const out = {};
for (const [name, { data, rle }] of Object.entries(cases)) {
  out[name] = { encoded: encode(Uint8Array.from(data)), decoded: Array.from(decode(rle)) };
}
writeFileSync(process.argv[3], JSON.stringify(out));
