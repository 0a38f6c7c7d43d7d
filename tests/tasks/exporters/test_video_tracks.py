"""interpolate_key_frames equals Label Studio's own expansion (label-studio-sdk's extract_key_frames)."""

import copy

import pytest

from tasks.exporters.tracks import interpolate_key_frames

sdk_video = pytest.importorskip("label_studio_sdk._extensions.label_studio_tools.postprocessing.video")


def key(frame, x, *, time=None, enabled=True, **extra):
    box = {"frame": frame, "time": (frame - 1) / 25 if time is None else time, "x": x, "y": 10.0, "width": 20.0}
    return {**box, "height": 30.0, "rotation": 0, "enabled": enabled, **extra}


def track(*keys, count=40, duration=1.6, labels=("Car",)):
    value = {"framesCount": count, "duration": duration, "sequence": list(keys), "labels": list(labels)}
    return {"id": "t1", "from_name": "box", "to_name": "video", "type": "videorectangle", "value": value}


CASES = {
    "two keyframes, held to the end": [track(key(1, 10), key(11, 50))],
    "switched off and on": [track(key(1, 10), key(5, 20, enabled=False), key(9, 40), key(20, 60, rotation=15))],
    "unsorted keyframes, equal times": [track(key(11, 50, time=0.0), key(1, 10, time=0.0), duration=0)],
    "mixed with other results": [
        track(key(3, 5), key(6, 8, enabled=False), count=10),
        {"id": "c", "from_name": "c", "to_name": "video", "type": "choices", "value": {"choices": ["a"]}},
        track(key(2, 70, enabled=False), count=5),
    ],
}


@pytest.mark.parametrize("name", CASES)
def test_same_frames_as_label_studio(name):
    result = CASES[name]
    ours = interpolate_key_frames(copy.deepcopy(result))
    assert ours == sdk_video.extract_key_frames(copy.deepcopy(result))
    assert result == CASES[name]  # the input is left alone


def test_by_hand():
    (out,) = interpolate_key_frames([track(key(1, 10), key(11, 50), count=12, duration=0.48)])
    frames = out["value"]["sequence"]
    assert [f["frame"] for f in frames] == list(range(1, 13))
    assert frames[5]["x"] == 30 and frames[5]["auto"] is True and frames[5]["time"] == 0.2
    assert "auto" not in frames[0] and "auto" not in frames[10]
    assert frames[11] == {**frames[10], "frame": 12, "auto": True, "time": 0.48}
