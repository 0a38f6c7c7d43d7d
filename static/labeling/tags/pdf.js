// <Pdf>: a PDF document rendered page by page with pdf.js (vendored in static/vendor/pdfjs/, loaded
// on demand, never part of the bundle), one page at a time in the image view: zoom, pan, page
// navigation, and boxes (OcrLabels, RectangleLabels, Rectangle...) whose value carries `pageIndex`.
// pdf.js comes from options.pdfjsUrl, window.LABELING_PDFJS_URL, or /static/vendor/pdfjs/pdf.min.mjs.
import { h } from '../ui/dom.js';
import { ImageView } from './image.js';

export const PDFJS_URL = '/static/vendor/pdfjs/pdf.min.mjs';
const libraries = new Map();
/** Pixels of the rendered page's longer side: sharp enough to zoom in a few times. */
const PAGE_PIXELS = 2000;

export function pdfjsUrls(options = {}, base = 'http://localhost/') {
  const lib = new URL(options.pdfjsUrl || globalThis.LABELING_PDFJS_URL || PDFJS_URL, base).href;
  const worker = new URL(options.pdfjsWorkerUrl || lib.replace(/pdf(\.min)?\.mjs(\?.*)?$/, 'pdf.worker$1.mjs'), base).href;
  return { lib, worker };
}

function pdfjs(options) {
  const { lib, worker } = pdfjsUrls(options, document.baseURI);
  if (!libraries.has(lib)) {
    libraries.set(lib, import(/* webpackIgnore: true */ lib).then((mod) => {
      mod.GlobalWorkerOptions.workerSrc = worker;
      return mod;
    }));
  }
  return libraries.get(lib);
}

class PdfView extends ImageView {
  constructor(node, app) {
    super(node, app, { pageField: 'pageIndex' });
  }

  load() {
    this.rendered = new Map();
    this.app.cleanups.push(() => {
      for (const p of this.rendered.values()) p.then((u) => u && URL.revokeObjectURL(u));
      this.doc?.destroy();
    });
    const url = this.pages[0];
    if (!url) return;
    this.status = h('div', { class: 'ls-pdf-status', text: 'Loading PDF…' });
    this.el.append(this.status);
    pdfjs(this.app.options)
      .then((lib) => lib.getDocument({ url, withCredentials: true, isEvalSupported: false }).promise)
      .then((doc) => {
        this.doc = doc;
        this.status.remove();
        this.el.dataset.pages = String(doc.numPages);
        return this.showPage(0);
      })
      .catch((err) => {
        this.el.classList.add('ls-image-error');
        this.status.textContent = `Could not load the PDF: ${err && err.message ? err.message : err}`;
      });
  }

  pageCount() {
    return this.doc ? this.doc.numPages : 0;
  }

  /** Page i (0-based) rendered once to a PNG object URL. */
  source(i) {
    if (!this.rendered.has(i)) {
      this.rendered.set(i, (async () => {
        const page = await this.doc.getPage(i + 1);
        const base = page.getViewport({ scale: 1 });
        const viewport = page.getViewport({ scale: Math.min(6, PAGE_PIXELS / Math.max(base.width, base.height)) });
        const canvas = document.createElement('canvas');
        canvas.width = Math.round(viewport.width);
        canvas.height = Math.round(viewport.height);
        await page.render({ canvasContext: canvas.getContext('2d'), canvas, viewport }).promise;
        const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
        return blob ? URL.createObjectURL(blob) : null;
      })());
    }
    return this.rendered.get(i);
  }
}

export const tags = {
  Pdf: {
    render(node, app) {
      return new PdfView(node, app).el;
    },
  },
};
