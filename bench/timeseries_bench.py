"""Benchmark: time-series rendering in headless Chromium (Debian's /usr/bin/chromium via Playwright).

    .venv/bin/python bench/timeseries_bench.py --points 1000000 --channels 3

A page imports the real ``static/labeling/tags/timeseries.js`` (served over loopback HTTP), builds
``--points`` samples per channel in the page (not timed), and measures:

- first render: ``setData`` (block index, scales, overview, every channel drawn, regions) plus the
  next animation frame, i.e. until the browser has painted it;
- panning: the view moved a little each animation frame for ``--frames`` frames, at three zooms
  (whole series, 10 %, 0.1 %); per frame the draw time (``setView``: decimation + canvas stroke of
  every channel) and the frame interval (``requestAnimationFrame`` to the next), as median / p95 ms,
  and frames per second = frames / elapsed.

Results: docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import http.server
import json
import threading
from functools import partial
from pathlib import Path

from playwright.sync_api import sync_playwright

STATIC = Path(__file__).resolve().parents[1] / "static"

PAGE = """<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="/labeling/labeling.css"><style>body{width:1200px;margin:0}</style></head>
<body><div id="root"></div><script type="module">
import { TimeSeriesView } from '/labeling/tags/timeseries.js';
const N = %(points)d, C = %(channels)d;
const channels = Array.from({ length: C }, (_, i) => ({ tag: 'Channel', attrs: { column: 'c' + i }, children: [] }));
const node = { name: 'ts', tag: 'TimeSeries', attrs: { value: '$ts', overviewChannels: 'c0' }, children: channels };
const store = { items: [], selectedId: null, isHidden: () => false };
const app = { objects: new Map(), store, readOnly: true, on: () => {}, getActive: () => null, resolve: () => ({}),
  colorFor: () => '#2563eb' };
const view = new TimeSeriesView(node, app);
document.getElementById('root').append(view.el);
const xs = new Float64Array(N); const columns = {};
for (let i = 0; i < N; i++) xs[i] = i * 10;
let seed = 1;
for (let c = 0; c < C; c++) {
  const ys = new Float64Array(N);
  for (let i = 0; i < N; i++) { seed = (seed * 16807) %% 2147483647; ys[i] = Math.sin(i / (5000 * (c + 1))) * 100 + (seed / 2147483647) * 20; }
  columns['c' + c] = ys;
}
const frame = () => new Promise((r) => requestAnimationFrame(r));
await frame();
const t0 = performance.now();
view.setData({ xs, columns, isTime: false });
await frame();
const first = performance.now() - t0;
const stats = (a) => { const s = [...a].sort((x, y) => x - y); return { median: s[Math.floor(s.length / 2)], p95: s[Math.floor(s.length * 0.95)] }; };
const pans = {};
for (const [label, fraction] of [['whole', 1], ['10%%', 0.1], ['0.1%%', 0.001]]) {
  const span = (xs[N - 1] - xs[0]) * fraction;
  let v0 = fraction === 1 ? 0 : (xs[N - 1] - span) / 3;
  const draws = []; const intervals = [];
  await frame();
  let last = performance.now(); const start = last;
  for (let f = 0; f < %(frames)d; f++) {
    v0 += span / 200;
    view.setView(fraction === 1 ? 0 : v0, fraction === 1 ? xs[N - 1] : v0 + span);
    draws.push(view.lastDrawMs);
    await frame();
    const now = performance.now(); intervals.push(now - last); last = now;
  }
  pans[label] = { draw: stats(draws), frame: stats(intervals), fps: %(frames)d / ((last - start) / 1000) };
}
window.RESULT = { first_render_ms: first, set_data_ms: view.firstRenderMs, pans };
</script></body></html>"""


class Handler(http.server.SimpleHTTPRequestHandler):
    page = b""

    def do_GET(self):  # noqa: N802 - http.server's name
        if self.path.startswith("/bench.html"):
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(self.page)
            return
        super().do_GET()

    def log_message(self, *args):
        pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--channels", type=int, default=3)
    parser.add_argument("--frames", type=int, default=120)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    Handler.page = (PAGE % {"points": args.points, "channels": args.channels, "frames": args.frames}).encode()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(STATIC)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=args.chromium, headless=True, args=["--no-sandbox", "--disable-gpu"]
            )
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.on("pageerror", lambda exc: print("page error:", exc))
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/bench.html")
            page.wait_for_function("window.RESULT", timeout=300_000)
            result = page.evaluate("window.RESULT")
            browser.close()
    finally:
        server.shutdown()
    rounded = json.loads(json.dumps(result), parse_float=lambda v: round(float(v), 1))
    print(json.dumps({"points": args.points, "channels": args.channels, **rounded}))


if __name__ == "__main__":
    main()
