// Copy pdf.js (npm package `pdfjs-dist`) into static/vendor/pdfjs/: the minified ES module build
// and its worker, with the licence. The <Pdf> tag loads them on demand (see docs/embed.md).
// Usage: npm install --no-save pdfjs-dist@5.4.394 --prefix build/npm && node static/labeling/tools/vendor-pdfjs.mjs build/npm
// (or `make vendor`). Nothing is fetched at run time.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const prefix = resolve(process.argv[2] || join(ROOT, 'build', 'npm'));
const src = join(prefix, 'node_modules', 'pdfjs-dist');
const out = join(ROOT, 'static', 'vendor', 'pdfjs');
const pkg = JSON.parse(readFileSync(join(src, 'package.json'), 'utf8'));
mkdirSync(out, { recursive: true });
for (const f of ['pdf.min.mjs', 'pdf.worker.min.mjs']) copyFileSync(join(src, 'build', f), join(out, f));
copyFileSync(join(src, 'LICENSE'), join(out, 'LICENSE'));
writeFileSync(join(out, 'VERSION'), `pdfjs-dist ${pkg.version} (${pkg.license}) from the npm registry\n`);
console.log(`vendored pdfjs-dist ${pkg.version} into ${out}`);
