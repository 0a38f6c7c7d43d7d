"""Task data against a config, and the sample data for the editor preview."""

import wave
from pathlib import Path

import pytest
from PIL import Image

from projects.label_config import is_url, parse, sample_task

from .helpers import config

STATIC = Path(__file__).resolve().parents[3] / "static" / "samples"

MEDIA = config(
    '  <Header value="$title"/>',
    '  <Image name="img" value="$image"/>',
    '  <Image name="gallery" valueList="$images"/>',
    '  <Audio name="audio" value="$audio"/>',
    '  <Text name="text" value="$text"/>',
    '  <HyperText name="page" value="$page" valueType="url"/>',
    '  <Paragraphs name="chat" value="$chat" nameKey="who" textKey="said"/>',
    '  <Table name="table" value="$table"/>',
    '  <List name="items" value="$items"/>',
    '  <Choices name="c" toName="text" value="$options"/>',
)


def test_data_and_url_keys():
    assert MEDIA.data_keys == ["audio", "chat", "image", "images", "items", "options", "page", "table", "text", "title"]
    assert MEDIA.url_keys == ["audio", "image", "page"]


def test_missing_keys_name_the_tag():
    problems = config('  <Text name="text" value="$text"/>', '  <Header value="$title"/>').validate_task_data(
        {"text": "x"}
    )
    assert problems == ["data key 'title' is missing (used by <Header>)"]
    assert MEDIA.validate_task_data([1]) == ["task data must be a JSON object, got [1]"]


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/a.jpg",
        "http://x/y",
        "s3://bucket/key.png",
        "gs://b/k",
        "/data/upload/1/a.jpg",
        "data:image/png;base64,iVBOR",
    ],
)
def test_accepted_urls(url):
    assert is_url(url)


@pytest.mark.parametrize("url", ["a.jpg", "javascript:alert(1)", "file:///etc/passwd", "//evil/x", "", 5, None, ["/a"]])
def test_rejected_urls(url):
    assert not is_url(url)


def test_wrong_types_are_reported():
    data = sample_task(MEDIA)
    data.update(
        image=42,
        images=["/ok.jpg", "nope"],
        page="page.html",
        chat="hello",
        table=3,
        items=[{"title": "no id"}],
        text={"a": 1},
    )
    problems = MEDIA.validate_task_data(data)
    assert problems == [
        "data key 'image' must be a URL (http(s)://, s3://, gs://, /data/... or data:), got 42",
        "data key 'page' must be a URL (http(s)://, s3://, gs://, /data/... or data:), got \"page.html\"",
        'data key \'images\' must be a non-empty list of URLs, got ["/ok.jpg", "nope"]',
        'data key \'text\' must be text for <Text name="text">, got {"a": 1}',
        "data key 'chat' must be a list of objects (paragraphs), got \"hello\"",
        "data key 'table' must be an object (table rows), got 3",
        'data key \'items\' must be a list of objects with an id, got [{"title": "no id"}]',
    ]


def test_sample_task_fits_the_config():
    data = sample_task(MEDIA)
    assert MEDIA.validate_task_data(data) == []
    assert data["image"] == "/static/samples/sample.jpg" and data["audio"] == "/static/samples/sample.wav"
    assert data["chat"][0].keys() == {"who", "said"}
    assert isinstance(data["table"], dict) and data["items"][0]["id"]
    assert data["options"] == [{"value": "Option A"}, {"value": "Option B"}]
    assert data["title"] == "Sample title"


def test_sample_task_accepts_text_and_paragraph_defaults():
    data = sample_task('<View><Paragraphs name="p" value="$dialogue"/><HyperText name="h" value="$html"/></View>')
    assert data["dialogue"][0].keys() == {"author", "text"}
    assert data["html"].startswith("<div>")


def test_sample_media_files_are_real():
    with Image.open(STATIC / "sample.jpg") as image:
        assert image.format == "JPEG" and image.size[0] > 0
    with wave.open(str(STATIC / "sample.wav")) as audio:
        assert audio.getnframes() > 0
    assert (
        parse('<View><Text name="t" value="$t" valueType="url"/></View>').validate_task_data(
            {"t": "/static/samples/sample.txt"}
        )
        == []
    )
    assert (STATIC / "sample.txt").exists() and (STATIC / "sample.html").exists()
