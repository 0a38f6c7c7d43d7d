"""Media files (images, audio, video, HTML, text): each becomes one task whose single data key
points at the stored file (or, from a storage, at its ``s3://`` URL).

The file must suit the object tag that reads the key: an ``.mp3`` for an ``<Image>`` is an
error, not a broken task.
"""

from __future__ import annotations

from .documents import Document, ParseContext, RawRow
from .errors import RowError

#: object tags that can show each media family
FAMILY_TAGS = {
    "image": {"Image"},
    "audio": {"Audio"},
    "video": {"Video"},
    "html": {"HyperText"},
    "text": {"Text", "HyperText"},
    "timeseries": {"TimeSeries"},
}


def media_target(config) -> tuple[str | None, str | None]:
    """(data key, object tag name) that media files fill, or (None, reason)."""
    keys = config.data_keys
    if len(keys) != 1:
        return None, (
            f"a media file fills one data key, but the config reads {', '.join(keys) or 'none'}; "
            "import a JSON or CSV file that names the keys"
        )
    key = keys[0]
    for obj in config.objects.values():
        if obj.value_key == key:
            return key, obj.tag_name
    return key, None


def text_is_media(config) -> bool:
    """A ``.txt`` file is one media task when the config's single key must be a URL
    (``<Text valueType="url">``); otherwise it holds one task per line."""
    keys = config.data_keys
    return len(keys) == 1 and keys[0] in config.url_keys


def series_url_key(config) -> str | None:
    """The data key of a ``<TimeSeries valueType="url">``: a CSV/TSV upload is then one task whose
    key points at the stored file (Label Studio does the same), not a file of tasks."""
    for obj in config.objects.values():
        if obj.tag_name == "TimeSeries" and obj.value_is_url() and obj.url_keys():
            return obj.url_keys()[0]
    return None


def read(doc: Document, ctx: ParseContext):
    family = doc.fmt.split(":", 1)[1]
    if family == "timeseries":
        yield RawRow(None, None, {series_url_key(ctx.config): doc.url}, "data", storage_key=doc.storage_key)
        return
    key, tag = media_target(ctx.config)
    if key is None:
        yield RowError(file=doc.name, message=tag)
        return
    allowed = FAMILY_TAGS.get(family, set())
    if tag is not None and allowed and tag not in allowed:
        yield RowError(
            file=doc.name,
            key=key,
            message=f"this is {'an' if family[0] in 'aeiou' else 'a'} {family} file, which <{tag}> "
            f"cannot show; the config's data key '{key}' expects {_expects(tag)}",
        )
        return
    yield RawRow(None, None, {key: doc.url}, "data", storage_key=doc.storage_key)


def _expects(tag: str) -> str:
    for family, tags in FAMILY_TAGS.items():
        if tag in tags:
            return f"{family} files"
    return "other data"
