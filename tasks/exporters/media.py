"""Media referenced by tasks (images, audio): where the file is, its true size, its name in an archive.

Every way a file can come into a project is read:

- uploads (``/data/upload/<project>/<job>/<name>``, stored by the importer under
  ``DATA_DIR/uploads/``), only those of the project being exported;
- other files under MEDIA_ROOT (``/data/...``);
- the same URLs written with this server's address (``http://<this host>/data/...``: the host is
  ``LABELSTUDIO_HOST``, a named ``ALLOWED_HOSTS`` entry or localhost), read from disk, not fetched;
- ``s3://bucket/key`` of one of the project's S3 storages (and our resolve URLs for them);
- other http(s) URLs that pass ``check_url`` (no private addresses unless allowed).

Anything else (paths outside the data dir, another project's files, unknown schemes) raises
MediaError; the formats turn that into a warning on the job, never a silent omission.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections import OrderedDict
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse, urlsplit

from django.conf import settings

from labelstudio.core.net import UnsafeURLError, check_url

MAX_DOWNLOAD_BYTES = 512 * 1024 * 1024
SIZE_CACHE = 4096
SAFE_NAME = re.compile(r"[^\w.\-]+")


class MediaError(Exception):
    pass


class Media:
    """Resolves URLs for one export run; downloads go to its temp dir and are deleted after use."""

    def __init__(self, tmpdir: Path, project_id: int | None = None):
        self.tmpdir = Path(tmpdir)
        self.project_id = project_id
        self.root = os.path.realpath(settings.MEDIA_ROOT)
        self.sizes: OrderedDict[str, tuple[int, int, int] | None] = OrderedDict()
        self.names = DigestSet()
        self.hosts = server_hosts()
        self._storages = None

    # --- files ------------------------------------------------------------------------------
    def _on_this_server(self, url: str) -> str | None:
        """``/data/...`` for a media URL of this server (relative, or absolute with our host)."""
        prefix = settings.MEDIA_URL
        if url.startswith(prefix):
            return url
        if url.startswith(("http://", "https://")):
            parts = urlsplit(url)
            if (parts.hostname or "").lower() in self.hosts and parts.path.startswith(prefix):
                return parts.path
        return None

    def media_path(self, url: str) -> str | None:
        """The local file behind a ``/data/...`` URL of this server: the project's uploads, else
        MEDIA_ROOT (confined to it); None for other URLs. (os.path rather than pathlib: this runs
        once per image of a large export.)"""
        prefix = settings.MEDIA_URL
        local = self._on_this_server(url)
        if local is None:
            return None
        relative = unquote(local[len(prefix) :].split("?", 1)[0].split("#", 1)[0])
        upload = self._upload(relative)
        if upload is not None:
            return upload
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
        if url.startswith("s3://") or url.startswith("/api/storages/s3/"):
            return self._from_storage(url), True
        scheme = urlparse(url).scheme
        if scheme not in ("http", "https"):
            raise MediaError(f"{url}: cannot read {scheme or 'relative'} URLs during export")
        return self._download(url), True

    def _upload(self, relative: str) -> str | None:
        """An importer's upload (``upload/<project>/<job>/<name>``) of the exported project."""
        from tasks.importers.files import uploaded_file

        if self.project_id is None or not relative.startswith("upload/"):
            return None
        project, _, rest = relative[len("upload/") :].partition("/")
        if project != str(self.project_id):
            return None
        stored = uploaded_file(self.project_id, rest)
        return os.path.realpath(stored) if stored is not None else None

    def _from_storage(self, url: str) -> Path:
        """Download an object of one of the project's S3 storages into the temp dir."""
        from tasks.models import S3ImportStorage
        from tasks.storage import s3
        from tasks.storage.resolve import storage_for

        if self.project_id is None:
            raise MediaError(f"{url}: cannot read s3 objects outside a project's storages")
        if self._storages is None:
            self._storages = list(S3ImportStorage.objects.filter(project_id=self.project_id))
        if url.startswith("/api/storages/s3/"):  # our resolve URL: /api/storages/s3/<id>/resolve?key=...
            parts = urlsplit(url)
            storage_id = parts.path.split("/")[4] if parts.path.count("/") >= 5 else ""
            key = parse_qs(parts.query).get("key", [""])[0]
            storage = next((s for s in self._storages if str(s.pk) == storage_id), None)
        else:
            storage, key = storage_for(self._storages, url)
        if storage is None or not key:
            raise MediaError(f"{url}: no S3 storage of this project holds it")
        fd, name = tempfile.mkstemp(dir=self.tmpdir, suffix=Path(key).suffix[:10])
        os.close(fd)
        try:
            s3.download(storage, key, Path(name), MAX_DOWNLOAD_BYTES)
        except Exception as exc:  # StorageError and anything boto raises: one file, one warning
            os.unlink(name)
            raise MediaError(f"{url}: {getattr(exc, 'message', None) or exc}") from None
        return Path(name)

    def _download(self, url: str) -> Path:
        import requests

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


def server_hosts() -> set[str]:
    """Host names that mean this server in a task's media URL."""
    hosts = {"localhost", "127.0.0.1", "::1"}
    hosts |= {h.lower() for h in settings.ALLOWED_HOSTS if h and h != "*" and not h.startswith(".")}
    own = getattr(settings, "LABELSTUDIO_HOST", "")
    if own:
        hosts.add((urlsplit(own if "//" in own else f"//{own}").hostname or "").lower())
    return hosts - {""}


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
