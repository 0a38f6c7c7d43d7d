"""Pure pieces of the exporters: brush RLE, rotation in pixels, VOC boxes, IOB tags, media paths."""

import math

import numpy as np
import pytest
from label_studio_sdk.converter.brush import decode_rle as ls_decode_rle
from label_studio_sdk.converter.brush import encode_rle as ls_encode_rle

from tasks.exporters import geometry as g
from tasks.exporters.conll import tags
from tasks.exporters.masks import decode_rle
from tasks.exporters.media import Media, MediaError, base_name
from tasks.exporters.voc import voc_box


def test_rle_decoder_agrees_with_label_studio():
    rng = np.random.default_rng(7)
    canvas = np.zeros((37, 53, 4), dtype=np.uint8)
    canvas[5:20, 10:40, 3] = 255  # long runs
    canvas[25:30, :, 3] = rng.integers(0, 256, size=(5, 53))  # literal runs
    canvas[0, 0, 3] = 17
    rle = ls_encode_rle(canvas.flatten())
    ours = np.frombuffer(bytes(decode_rle(rle)), dtype=np.uint8)
    assert np.array_equal(ours, ls_decode_rle(rle))
    assert np.array_equal(ours.reshape(37, 53, 4)[:, :, 3], canvas[:, :, 3])


def test_rotation_is_applied_in_pixels():
    # 90 degrees clockwise about the top-left corner of a 10%x10% box on a 200x100 image
    corners = g.rect_corners({"x": 50, "y": 10, "width": 10, "height": 10, "rotation": 90}, 200, 100)
    expected = [(100, 10), (100, 30), (90, 30), (90, 10)]  # width 20 px becomes a 20 px tall side
    assert all(
        math.isclose(a, b, abs_tol=1e-9)
        for p, q in zip(corners, expected, strict=True)
        for a, b in zip(p, q, strict=True)
    )
    x, y, w, h = g.envelope(corners, 200, 100)
    assert (x, y, w, h) == pytest.approx((90, 10, 10, 20))


def test_envelope_clips_to_the_image():
    corners = g.rect_corners({"x": 95, "y": -1, "width": 10, "height": 50, "rotation": 0}, 100, 100)
    assert g.envelope(corners, 100, 100) == pytest.approx((95, 0, 5, 49))


@pytest.mark.parametrize(
    ("value", "box"),
    [
        ({"x": 0, "y": 0, "width": 100, "height": 100}, (1, 1, 64, 48)),  # whole image
        ({"x": 0, "y": 0, "width": 1 / 64 * 100, "height": 1 / 48 * 100}, (1, 1, 1, 1)),  # the top-left pixel
        ({"x": 50, "y": 50, "width": 60, "height": 60}, (33, 25, 64, 48)),  # past the border: clipped
    ],
)
def test_voc_boxes_are_one_based_and_inside(value, box):
    assert voc_box({**value, "rotation": 0}, 64, 48) == box


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("New York City is in New York.", [(0, 13, "LOC"), (20, 28, "LOC")]),
        ("Ann Bob", [(0, 3, "PER"), (4, 7, "PER")]),  # adjacent spans: B- each
        ("Zoë Müller isn't here, said Ōtsuka-san.", [(0, 3, "PER"), (28, 34, "ORG")]),  # part of a word
        ("a bc def ghi", [(2, 8, "X"), (5, 12, "Y")]),  # overlapping
        ("a bc def", [(3, 4, "X"), (5, 8, "Y")]),  # a span inside a token
        ("  spaced   out  ", [(1, 9, "X")]),  # span starts on whitespace
        ("one two", [(0, 3, None)]),  # a span without label
        ("東京 is big", [(0, 2, "LOC")]),
    ],
)
def test_iob2_tags_equal_label_studio(text, spans):
    from label_studio_sdk.converter.utils import create_tokens_and_tags

    values = [{"start": s, "end": e, "labels": [label] if label else []} for s, e, label in spans]
    their_tokens, their_tags = create_tokens_and_tags(text, [dict(v) for v in values])
    assert tags(text, values) == list(zip(their_tokens, their_tags, strict=True))


TREEBANK_CORPUS = [
    "Good muffins cost $3.88\nin New York.  Please buy me\ntwo of them.\nThanks.",
    "They'll save and invest more. hi, my name can't hello,",
    'He said "hi", then "left" -- and ``so did she... (maybe) [x] {y} <z>!',
    "I cannot go; gonna wanna gotta lemme gimme more'n 'tis 'twas d'ye.",
    "Zoë Müller isn't here: Ōtsuka-san's 東京 office, 3,36 euros @ 10:30 #1 & 50% off?",
    "The plane, bound for St Petersburg, crashed in Egypt's Sinai desert just 23 minutes after take-off.",
    "'Quoted' words' endings, O'Neil's rock 'n' roll. WE'LL SEE THEY'RE I'M YOU'D IT'S",
    'Ends with a quote." Ends with a bracket.) Ends "',
    "  leading and   trailing   spaces  ",
    "",
    "...",
    "a.b.c. e.g. U.S.A. end.",
]


@pytest.mark.parametrize("text", TREEBANK_CORPUS)
def test_treebank_spans_equal_nltk(text):
    from nltk.tokenize.treebank import TreebankWordTokenizer

    from tasks.exporters import treebank

    assert treebank.spans(text) == list(TreebankWordTokenizer().span_tokenize(text))


def test_iob2_tags():
    text = "New York City is in New York."
    pairs = tags(text, [{"start": 0, "end": 13, "labels": ["LOC"]}, {"start": 20, "end": 28, "labels": ["LOC"]}])
    assert pairs == [
        ("New", "B-LOC"),
        ("York", "I-LOC"),
        ("City", "I-LOC"),
        ("is", "O"),
        ("in", "O"),
        ("New", "B-LOC"),
        ("York", "I-LOC"),
        (".", "O"),
    ]
    assert [t for _, t in tags("isn't", [])] == ["O", "O"]  # Treebank: is n't


def test_media_paths_stay_in_the_media_dir(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    media = Media(tmp_path)
    with pytest.raises(MediaError, match="outside"):
        media.fetch("/data/../../etc/passwd")
    with pytest.raises(MediaError, match="cannot read s3"):
        media.fetch("s3://bucket/key.jpg")
    with pytest.raises(MediaError):
        media.fetch("http://127.0.0.1:1/x.jpg")  # loopback: refused unless allowed
    assert media.image_size("/data/upload/missing.png") is None


def test_archive_names_are_unique_by_stem(tmp_path):
    media = Media(tmp_path)
    assert media.archive_name("/data/upload/1/cat.jpg", 1) == "cat.jpg"
    assert media.archive_name("https://x.org/2/cat.png?sig=1", 2) == "2-cat.png"  # same stem as cat.jpg
    assert media.archive_name("/data/local-files/?d=photos/dög 1.jpg", 3) == "dög_1.jpg"
    assert base_name(None) == ""


def test_zip_member_records_wait_on_disk(tmp_path):
    """Thousands of members: the archive reads back whole, and memory does not hold their records."""
    import tracemalloc
    import zipfile

    from tasks.exporters.sinks import HashingFile, ZipSink

    stream = HashingFile(tmp_path / "out.zip")
    sink = ZipSink(stream, tmp_path)
    tracemalloc.start()
    for i in range(20_000):
        sink.add_bytes(f"labels/image-{i}.txt", f"0 0.5 0.5 0.1 {i}\n".encode())
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    sink.close()
    assert peak < 2 * 2**20  # an in-memory member list alone would be ~10 MB here
    with zipfile.ZipFile(tmp_path / "out.zip") as zf:
        names = zf.namelist()
        assert len(names) == 20_000 and zf.read("labels/image-19999.txt") == b"0 0.5 0.5 0.1 19999\n"
        assert zf.testzip() is None
    assert stream.size == (tmp_path / "out.zip").stat().st_size


def test_digest_set():
    from tasks.exporters.media import DigestSet

    digests = DigestSet(capacity=4)
    values = [0, 1, 2**64 - 1, 12345, 4, 8, 16] + list(range(1000, 3000, 7))
    for v in values:
        digests.add(v)
    assert all(v in digests for v in values) and 2**63 not in digests and 999 not in digests
    assert digests.size == len(set(values) - {0})  # 0 is stored as 1, which is also in the list
