"""Media referenced by tasks (images, audio): where the file is, its true size, its name in an archive.

Only two kinds of source are read: files under MEDIA_ROOT (our uploads, ``/data/...`` URLs) and
http(s) URLs that pass ``check_url`` (no private addresses unless allowed). Anything else (cloud
storage URIs, paths outside the media dir) is reported as a warning, never read.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections import OrderedDict
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from django.conf import settings

MAX_DOWNLOAD_BYTES = 512 * 1024 * 1024
SIZE_CACHE = 4096
SAFE_NAME = re.compile(r"[^\w.\-]+")


class MediaError(Exception):
    pass


class Media:
    """Resolves URLs for one export run; downloads go to its temp dir and are deleted after use."""

    def __init__(self, tmpdir: Path):
        self.tmpdir = Path(tmpdir)
        self.root = os.path.realpath(settings.MEDIA_ROOT)
        self.sizes: OrderedDict[str, tuple[int, int, int] | None] = OrderedDict()
        self.names = DigestSet()

    # --- files ------------------------------------------------------------------------------
    def media_path(self, url: str) -> str | None:
        """The local file behind a ``/data/...`` URL, confined to MEDIA_ROOT; None for other URLs.
        (os.path rather than pathlib: this runs once per image of a large export.)"""
        prefix = settings.MEDIA_URL
        if not url.startswith(prefix):
            return None
        relative = unquote(url[len(prefix) :].split("?", 1)[0].split("#", 1)[0])
        path = os.path.normpath(os.path.join(self.root, relative))
        if os.path.exists(path):
            path = os.path.realpath(path)  # a symlink must not lead out either
        if not path.startswith(self.root + os.sep):
            raise MediaError(f"{url} points outside the media directory")
        return path

    def fetch(self, url: str) -> tuple[Path | str, bool]:
        """(local path, is_temporary) for a media URL; raises MediaError saying why not."""
        if not isinstance(url, str) or not url:
            raise MediaError(f"expected a URL, got {url!r}")
        local = self.media_path(url)
        if local is not None:
            if not os.path.isfile(local):
                raise MediaError(f"{url}: file not found in the media directory")
            return local, False
        scheme = urlparse(url).scheme
        if scheme not in ("http", "https"):
            raise MediaError(f"{url}: cannot read {scheme or 'relative'} URLs during export")
        return self._download(url), True

    def _download(self, url: str) -> Path:
        import requests

        from labelstudio.core.net import UnsafeURLError, check_url

        try:
            check_url(url)
        except UnsafeURLError as exc:
            raise MediaError(f"{url}: {exc.message}") from None
        fd, name = tempfile.mkstemp(dir=self.tmpdir, suffix=Path(urlparse(url).path).suffix[:10])
        try:
            with os.fdopen(fd, "wb") as out, requests.get(url, stream=True, timeout=30, allow_redirects=False) as r:
                if r.status_code != 200:
                    raise MediaError(f"{url}: HTTP {r.status_code}")
                size = 0
                for chunk in r.iter_content(1 << 16):
                    size += len(chunk)
                    if size > MAX_DOWNLOAD_BYTES:
                        raise MediaError(f"{url}: larger than {MAX_DOWNLOAD_BYTES} bytes")
                    out.write(chunk)
        except requests.RequestException as exc:
            os.unlink(name)
            raise MediaError(f"{url}: {type(exc).__name__}") from None
        except MediaError:
            os.unlink(name)
            raise
        return Path(name)

    # --- image facts ------------------------------------------------------------------------
    def image_size(self, url: str) -> tuple[int, int, int] | None:
        """(width, height, channels) read with Pillow; None when the image cannot be read."""
        if url in self.sizes:
            self.sizes.move_to_end(url)
            return self.sizes[url]
        try:
            path, temporary = self.fetch(url)
        except MediaError:
            size = None
        else:
            size = read_image_size(path)
            if temporary:
                Path(path).unlink(missing_ok=True)
        self.sizes[url] = size
        if len(self.sizes) > SIZE_CACHE:
            self.sizes.popitem(last=False)
        return size

    # --- names ------------------------------------------------------------------------------
    def archive_name(self, url, task_id: int) -> str:
        """A file name for the task's media, unique in this export by its stem (label files are
        ``<stem>.txt``/``.xml``): ``<task id>-<name>`` on a clash."""
        name = base_name(url) or f"task-{task_id}"
        digest = _stem_digest(name)
        if digest in self.names:
            name = f"{task_id}-{name}"
            digest = _stem_digest(name)
        self.names.add(digest)
        return name


def _stem_digest(name: str) -> int:
    return int.from_bytes(hashlib.blake2b(name.rsplit(".", 1)[0].encode(), digest_size=8).digest(), "little")


class DigestSet:
    """A set of 64-bit digests in one flat array (open addressing, linear probing): 16 bytes a name
    at most, where a Python set of them takes about 60 — it holds one entry per image exported."""

    def __init__(self, capacity: int = 1024):
        self.size = 0
        self._alloc(capacity)

    def _alloc(self, capacity: int) -> None:
        self.mask = capacity - 1
        self.slots = memoryview(bytearray(8 * capacity)).cast("Q")

    def _find(self, digest: int) -> int:
        i = digest & self.mask
        while self.slots[i] not in (0, digest):
            i = (i + 1) & self.mask
        return i

    def __contains__(self, digest: int) -> bool:
        return self.slots[self._find(digest or 1)] != 0

    def add(self, digest: int) -> None:
        digest = digest or 1  # 0 marks an empty slot
        i = self._find(digest)
        if self.slots[i]:
            return
        self.slots[i] = digest
        self.size += 1
        if self.size * 2 > len(self.slots):
            old = self.slots
            self._alloc(2 * len(old))
            for value in old:
                if value:
                    self.slots[self._find(value)] = value


def base_name(url) -> str:
    """The file name part of a URL (Label Studio's ``?d=path`` local-file URLs included), made safe."""
    if not isinstance(url, str):
        return ""
    if "?" in url or "%" in url or "#" in url or "\\" in url:
        parsed = urlparse(url)
        path = unquote(parse_qs(parsed.query).get("d", [parsed.path])[0]).replace("\\", "/")
    else:
        path = url
    name = path.rsplit("/", 1)[-1]
    return SAFE_NAME.sub("_", name).strip("._")[:200]


def read_image_size(path: Path) -> tuple[int, int, int] | None:
    """Size as a browser shows the image: EXIF orientations 5-8 (quarter turns) swap width and
    height, and the labeling UI's percent coordinates refer to the shown image."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as img:
            width, height = img.width, img.height
            if img.getexif().get(0x0112) in (5, 6, 7, 8):
                width, height = height, width
            return width, height, len(img.getbands())
    except (OSError, UnidentifiedImageError, ValueError):
        return None
