"""Browser-test fixtures: one headless Debian Chromium per test module (never a downloaded browser),
a fresh context and page per test, pytest-django's live_server, sample media, and a screenshot of
every failing test in build/test-artifacts/.

Helpers: ``login(page, live_server, user)`` sets the session cookie; ``shoot(page, name)`` saves a
screenshot of the page into build/screenshots/ (git-ignored), so a test run never dirties the
checkout. ``make screenshots`` sets SCREENSHOTS_DIR=docs/screenshots to refresh the docs' images on
purpose.
"""

from __future__ import annotations

import http.server
import io
import math
import os
import re
import shutil
import struct
import threading
import wave
from functools import partial
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run inside one
# unless told that this is a synchronous test process.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "build"
ARTIFACTS = BUILD / "test-artifacts"
# where shoot() writes: build/screenshots unless SCREENSHOTS_DIR says otherwise (make screenshots)
SCREENSHOTS = Path(os.environ.get("SCREENSHOTS_DIR") or BUILD / "screenshots")
if not SCREENSHOTS.is_absolute():
    SCREENSHOTS = ROOT / SCREENSHOTS
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--autoplay-policy=no-user-gesture-required",
]
VIEWPORT = {"width": 1280, "height": 800}
TIMEOUT_MS = int(os.environ.get("BROWSER_TIMEOUT_MS", "20000"))


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.live)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


# Module scope, not session: Playwright allows one sync driver at a time, and a test module may
# start its own (test_embed_example.py does). One browser per module costs about a second.
@pytest.fixture(scope="module")
def playwright_instance():
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)  # 2 shared cores: give auto-waiting room

    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (install Debian's chromium; never download one)")
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="module")
def browser(playwright_instance):
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS * 2)
    inflight: set = set()
    context.on("request", lambda r: inflight.add(r))
    context.on("requestfinished", lambda r: inflight.discard(r))
    context.on("requestfailed", lambda r: inflight.discard(r))
    yield context
    _settle(context, inflight)
    context.close()


def _settle(context, inflight: set) -> None:
    """Leave every open page (its pagehide beacon, a lock release, goes out now) and let the
    requests in flight finish before the test's database is flushed: a request reading tables while
    the flush truncates them can deadlock it (seen in a CI run: test_review_loop's teardown)."""
    pages = [p for p in context.pages if not p.is_closed()]
    for p in pages:
        try:
            p.goto("about:blank")
        except Exception:  # a page that can no longer navigate has nothing left to send
            pass
    for _ in range(200):  # event pumping: Playwright delivers request events while it waits
        if not inflight or not pages:
            return
        pages[0].wait_for_timeout(25)


@pytest.fixture
def page(context, request):
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(f"console.{msg.type}: {msg.text}") if msg.type == "error" else None)
    page.js_errors = errors
    yield page
    failed = any(
        getattr(request.node, f"rep_{when}", None) and getattr(request.node, f"rep_{when}").failed
        for when in ("setup", "call")
    )
    if failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid.split("::", 1)[-1])
        try:
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
            (ARTIFACTS / f"{name}.html").write_text(page.content())
            (ARTIFACTS / f"{name}.log").write_text("\n".join(errors))
        except Exception as exc:  # the page may be gone; the failure itself matters more
            print(f"could not save artefacts for {name}: {exc}")


def login(page, live_server, user) -> None:
    """Log ``user`` in by giving the browser a session cookie (the login form has its own test)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


def shoot(page, name: str, *, full_page: bool = False) -> Path:
    """Save a screenshot (build/screenshots/<name>.png; docs/screenshots/ under make screenshots)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


# --- sample media, generated and served from a directory over HTTP ----------------------------


def make_png(path: Path, width: int = 640, height: int = 400) -> Path:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (width, height), (226, 232, 240))
    draw = ImageDraw.Draw(img)
    draw.rectangle([60, 60, 300, 260], fill=(96, 165, 250))
    draw.ellipse([360, 120, 560, 320], fill=(248, 180, 80))
    draw.polygon([(120, 360), (220, 300), (320, 380)], fill=(52, 211, 153))
    img.save(path, format="PNG")
    return path


def make_wav(path: Path, seconds: float = 3.0, rate: int = 8000) -> Path:
    frames = io.BytesIO()
    for i in range(int(seconds * rate)):
        t = i / rate
        amp = 0.6 if (t % 1.0) < 0.5 else 0.15
        frames.write(struct.pack("<h", int(32767 * amp * math.sin(2 * math.pi * 440 * t))))
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(frames.getvalue())
    return path


class _CORSHandler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self):
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Accept-Ranges", "bytes")
        super().end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def media(tmp_path_factory):
    """A directory with sample.png and sample.wav served at ``media.url`` (with CORS)."""
    root = tmp_path_factory.mktemp("media")
    make_png(root / "sample.png")
    make_wav(root / "sample.wav")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_CORSHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    class Media:
        path = root
        url = f"http://127.0.0.1:{server.server_address[1]}"

    yield Media
    server.shutdown()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def users(transactional_db):
    """A manager and two annotators (the manager owns the projects the tests make)."""
    from tests import factories

    return {
        "manager": factories.make_user("manager", is_staff=True),
        "ann1": factories.make_user("alice"),
        "ann2": factories.make_user("bob"),
    }
