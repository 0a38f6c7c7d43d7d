"""Benchmark: Label Studio brush RLE of a 4000x3000 mask, encode and decode, on the server (Python,
``tasks/exporters/brush_rle.py``) and in the browser (``static/labeling/rle.js`` in Debian's
headless Chromium through Playwright), next to the converter's own encoder/decoder.

    .venv/bin/python bench/brush_rle_bench.py [--width 4000 --height 3000 --repeat 5]

The mask is binary RGBA as Label Studio writes it (0 or 255 in every channel): a disc, a wide
band, a thin diagonal stroke and 200 small dots, the same in both languages. Times are the median
of ``--repeat`` runs; the browser's are ``performance.now()`` around the calls. Results:
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import statistics
import sys
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tasks.exporters import brush_rle  # noqa: E402

MASK_JS = """
(w, h) => {
  const a = new Uint8Array(w * h * 4);
  const set = (x, y) => { if (x >= 0 && y >= 0 && x < w && y < h) a.fill(255, (y * w + x) * 4, (y * w + x) * 4 + 4); };
  const cx = w / 2, cy = h / 2, r = h / 4;
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const disc = (x - cx) ** 2 + (y - cy) ** 2 < r * r;
    const band = y >= h / 10 && y < h / 5;
    const stroke = Math.abs(x - y) < 6;
    if (disc || band || stroke) set(x, y);
  }
  for (let i = 0; i < 200; i++) { const x = (i * 7919) % w, y = (i * 104729) % h; for (let d = 0; d < 9; d++) set(x + (d % 3), y + Math.floor(d / 3)); }
  return a;
}
"""


def make_mask(w: int, h: int) -> np.ndarray:
    yy, xx = np.mgrid[:h, :w]
    m = ((xx - w / 2) ** 2 + (yy - h / 2) ** 2 < (h / 4) ** 2) | ((yy >= h / 10) & (yy < h / 5)) | (np.abs(xx - yy) < 6)
    for i in range(200):
        x, y = (i * 7919) % w, (i * 104729) % h
        m[y : y + 3, x : x + 3] = True
    return np.repeat(m.ravel().astype(np.uint8) * 255, 4)


def timed(fn, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def python_side(w, h, repeat):
    flat = make_mask(w, h)
    enc_t, rle = timed(lambda: brush_rle.encode(flat), repeat)
    dec_t, back = timed(lambda: brush_rle.decode(rle), repeat)
    assert np.array_equal(back, flat)
    rows = [("server, ours (numpy)", enc_t, dec_t, len(rle))]
    try:
        from label_studio_sdk.converter import brush

        assert brush.encode_rle(flat) == rle
        enc2, _ = timed(lambda: brush.encode_rle(flat), 1)
        dec2, _ = timed(lambda: brush.decode_rle(rle), 1)
        rows.append(("server, label_studio_sdk converter", enc2, dec2, len(rle)))
    except ImportError:
        pass
    return rows, rle


def browser_side(w, h, repeat, expected):
    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(ROOT / "static" / "labeling"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/README.md")
            result = page.evaluate(
                """async ([w, h, repeat, mask]) => {
                  const { encode, decode } = await import('/rle.js');
                  const data = eval(mask)(w, h);
                  const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
                  const enc = [], dec = [];
                  let rle, back;
                  for (let i = 0; i < repeat; i++) { const t = performance.now(); rle = encode(data); enc.push(performance.now() - t); }
                  for (let i = 0; i < repeat; i++) { const t = performance.now(); back = decode(rle); dec.push(performance.now() - t); }
                  let same = back.length === data.length;
                  for (let i = 0; same && i < data.length; i++) same = back[i] === data[i];
                  // what a stroke costs in the labeling UI: read the canvas, binarize, encode;
                  // and what showing a stored mask costs: decode, putImageData
                  const { binarize } = await import('/tags/brush.js');
                  const c = document.createElement('canvas');
                  c.width = w; c.height = h;
                  const ctx = c.getContext('2d');
                  ctx.fillStyle = '#fff'; ctx.beginPath(); ctx.arc(w / 2, h / 2, h / 4, 0, 2 * Math.PI); ctx.fill();
                  ctx.fillRect(0, h / 10, w, h / 10);
                  const commit = [], show = [];
                  for (let i = 0; i < repeat; i++) {
                    let t = performance.now();
                    const img = ctx.getImageData(0, 0, w, h); binarize(img.data); const r = encode(img.data);
                    commit.push(performance.now() - t);
                    t = performance.now();
                    const rgba = decode(r);
                    ctx.putImageData(new ImageData(new Uint8ClampedArray(rgba.buffer), w, h), 0, 0);
                    show.push(performance.now() - t);
                  }
                  return { enc: median(enc) / 1000, dec: median(dec) / 1000, rle, same, ua: navigator.userAgent,
                           commit: median(commit) / 1000, show: median(show) / 1000 };
                }""",
                [w, h, repeat, MASK_JS],
            )
            browser.close()
    finally:
        server.shutdown()
    assert result["same"], "browser round trip differs"
    assert result["rle"] == expected, "browser RLE differs from the server's"
    version = result["ua"].split("Chrome/")[1].split()[0]
    return [
        (f"browser, rle.js (Chromium {version})", result["enc"], result["dec"], len(result["rle"])),
        ("browser, a stroke's commit / showing a mask (canvas read + binarize + encode / decode + draw)",
         result["commit"], result["show"], None),
    ]  # fmt: skip


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--width", type=int, default=4000)
    ap.add_argument("--height", type=int, default=3000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--no-browser", action="store_true")
    args = ap.parse_args()
    rows, rle = python_side(args.width, args.height, args.repeat)
    if not args.no_browser:
        rows += browser_side(args.width, args.height, args.repeat, rle)
    print(f"mask {args.width}x{args.height} RGBA ({args.width * args.height * 4:,} bytes)")
    print("| where | encode s | decode s | RLE bytes |\n| --- | ---: | ---: | ---: |")
    for name, enc, dec, size in rows:
        print(f"| {name} | {enc:.3f} | {dec:.3f} | {'' if size is None else f'{size:,}'} |")


if __name__ == "__main__":
    main()
