"""Our brush RLE against Label Studio's converter (label_studio_sdk.converter.brush), bit for bit."""

from __future__ import annotations

import numpy as np
import pytest
from label_studio_sdk.converter import brush

from tasks.exporters import brush_rle


def masks():
    rng = np.random.default_rng(15)
    yield "one byte", np.array([7], np.uint8)
    yield "all zero", np.zeros(4 * 50, np.uint8)
    for length in (65535, 65536, 65537, 65538, 2 * 65536, 2 * 65536 + 1, 300_001):
        yield f"run {length}", np.zeros(length, np.uint8)
    spots = np.zeros(400_000, np.uint8)
    spots[[0, 9, 17, 256, 257, 70_000, 399_999]] = 255
    yield "spots", spots
    for size in (8, 9, 16, 17, 256, 257):
        yield f"runs of {size}", np.repeat(np.arange(40, dtype=np.uint8) * 5, size)
    yield "noise", rng.integers(0, 256, 4000).astype(np.uint8)
    yield "two values", (rng.integers(0, 2, 40_000) * 255).astype(np.uint8)
    blob = np.zeros((120, 160), np.uint8)
    yy, xx = np.mgrid[:120, :160]
    blob[(yy - 60) ** 2 + (xx - 80) ** 2 < 40**2] = 255
    yield "disc mask", np.repeat(blob.ravel(), 4)
    yield "rgba colours", np.tile(np.array([255, 0, 0, 128], np.uint8), 5000)


CASES = dict(masks())


@pytest.mark.parametrize("name", CASES)
def test_encode_is_the_converters_bytes(name):
    data = CASES[name]
    ours = brush_rle.encode(data)
    assert ours == brush.encode_rle(data)
    assert np.array_equal(brush.decode_rle(ours), data)


@pytest.mark.parametrize("name", CASES)
def test_decode_reads_the_converters_rle(name):
    data = CASES[name]
    assert np.array_equal(brush_rle.decode(brush.encode_rle(data)), data)


def test_mask2rle_and_literal_runs():
    mask = np.zeros((30, 40), np.uint8)
    mask[5:20, 10:33] = 200
    assert brush_rle.encode(np.repeat(mask.ravel(), 4)) == brush.mask2rle(mask)
    # thi.ng/rle-pack (the browser) packs literal runs of several words: hand-made stream
    # header: 6 values, word 8, sizes 3/4/8/16; literal of 3 words, then a repeat of 3 zeros
    bits = f"{6:032b}{7:05b}" + "".join(f"{s - 1:04b}" for s in (3, 4, 8, 16))
    bits += "0" + "00" + "010" + "".join(f"{v:08b}" for v in (1, 2, 3)) + "1" + "00" + "010" + f"{9:08b}"
    bits += "0" * (-len(bits) % 8)
    stream = [int(bits[i : i + 8], 2) for i in range(0, len(bits), 8)]
    assert list(brush_rle.decode(stream)) == [1, 2, 3, 9, 9, 9]
    assert list(brush.decode_rle(stream)) == [1, 2, 3, 9, 9, 9]


def test_truncated_and_empty():
    with pytest.raises(ValueError, match="truncated"):
        brush_rle.decode(brush.encode_rle(CASES["noise"])[:-40])
    huge = [0xFF, 0xFF, 0xFF, 0xFC, *brush.encode_rle(CASES["all zero"])[4:]]
    with pytest.raises(ValueError, match="holds 4294967292 values, expected 200"):
        brush_rle.decode(huge, expected=200)
    assert brush_rle.decode(brush.encode_rle(CASES["all zero"]), expected=200).size == 200
    with pytest.raises(ValueError, match="empty"):
        brush_rle.encode(np.zeros(0, np.uint8))
