"""Sample task data for the config editor's live preview: one plausible value per data key."""

from __future__ import annotations

import re

from .config import LabelConfig, parse
from .tags import ObjectTag, Tag
from .tags.objects import Paragraphs
from .tags.timebased import TimeSeries

SAMPLE_IMAGE = "/static/samples/sample.jpg"
SAMPLE_AUDIO = "/static/samples/sample.wav"
SAMPLE_VIDEO = "/static/samples/sample.mp4"
SAMPLE_SERIES_URL = "/static/samples/sample-timeseries.csv"
SAMPLE_TEXT_URL = "/static/samples/sample.txt"
SAMPLE_HTML_URL = "/static/samples/sample.html"
SAMPLE_PDF = "/static/samples/sample.pdf"
SAMPLE_TEXT = "To have faith is to trust yourself to the water. When you swim you don't grab hold of the water."
SAMPLE_HTML = "<div><h3>Sample page</h3><p>Label Studio <b>configs</b> work here unchanged.</p></div>"


def _for_object(obj: ObjectTag) -> object:
    """A JSON value for the object's data key."""
    url = obj.value_is_url()
    kind = obj.data_kind
    if obj.tag_name == "Image":
        return SAMPLE_IMAGE
    if obj.tag_name == "Pdf":
        return SAMPLE_PDF
    if obj.tag_name == "Audio":
        return SAMPLE_AUDIO
    if obj.tag_name == "Video":
        return SAMPLE_VIDEO
    if isinstance(obj, TimeSeries):  # the CSV's columns, or inline columns named as the channels
        if url:
            return SAMPLE_SERIES_URL
        columns: dict[str | None, list[float]] = {c.node.get("column"): [0.0, 1.0, 0.5, 2.0] for c in obj.channels}
        time = obj.node.get("timeColumn")
        times: dict[str | None, list[float]] = {time: [0, 1, 2, 3]} if time else {}
        return {**times, **columns}
    if kind == "html":
        return SAMPLE_HTML_URL if url else SAMPLE_HTML
    if isinstance(obj, Paragraphs):  # data_kind "paragraphs"
        name, text = obj.name_key, obj.text_key
        return [
            {name: "Alice", text: "Hi, how can I help you today?"},
            {name: "Bob", text: "My order has not arrived yet."},
            {name: "Alice", text: "Sorry to hear that, let me check."},
        ]
    if kind == "chat":
        return [
            {"role": "user", "content": "How do I export my annotations?"},
            {"role": "assistant", "content": "Open the project, choose **Export** and pick a format."},
        ]
    if kind == "table":
        return {"Name": "Ada Lovelace", "Born": "1815", "Field": "Mathematics"}
    if kind == "list":
        return [
            {"id": "a", "title": "First result", "body": "The most relevant document."},
            {"id": "b", "title": "Second result", "body": "A related document."},
            {"id": "c", "title": "Third result", "body": "An unrelated document."},
        ]
    return SAMPLE_TEXT_URL if url else SAMPLE_TEXT


def _repeated(repeater: Tag, key: str) -> list[dict[str, object]]:
    """Two elements for ``<Repeater on="$key">``, with the fields its objects read (``$key[{{idx}}].url``)."""
    item: dict[str, object] = {}
    for tag in repeater.descendants():
        if isinstance(tag, ObjectTag):
            for field in re.findall(rf"\${key}\[[^\]]*\]\.(\w+)", tag.node.get("value") or ""):
                item[field] = _for_object(tag)
    return [dict(item), dict(item)]


def sample_task(config: LabelConfig | str) -> dict[str, object]:
    """``{key: sample}`` for every data key the config reads."""
    config = config if isinstance(config, LabelConfig) else parse(config)
    data: dict[str, object] = {}
    for obj in config.objects.values():
        key = obj.value_key
        if key and key not in data:
            data[key] = _for_object(obj)
        for list_key in obj.list_keys():
            data.setdefault(list_key, [SAMPLE_IMAGE, SAMPLE_IMAGE])
        audio = obj.node.get("audioUrl") if obj.tag_name == "Paragraphs" else None
        if audio and audio.startswith("$"):
            data.setdefault(audio[1:], SAMPLE_AUDIO)
    for key in config.data_keys:  # Header titles, dynamic choices, templated values
        if key in data:
            continue
        users = [t for t in config.tags if key in t.data_keys()]
        repeater = next((t for t in users if t.tag_name == "Repeater"), None)
        if repeater is not None:
            data[key] = _repeated(repeater, key)
        elif any(t.tag_name in ("Choices", "Taxonomy", "Labels") for t in users):
            data[key] = [{"value": "Option A"}, {"value": "Option B"}]
        elif any(url_key == key for url_key in config.url_keys):
            data[key] = SAMPLE_IMAGE
        else:
            data[key] = f"Sample {key.replace('_', ' ')}"
    return data
