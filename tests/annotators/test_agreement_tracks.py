"""Agreement for video tracks (mean per-frame IoU, interpolated) and timeline ranges, by hand."""

import pytest

from annotators.agreement.compare import compare, control_score


def key(frame, x, enabled=True):
    return {
        "frame": frame,
        "time": frame / 25,
        "x": x,
        "y": 0,
        "width": 10,
        "height": 10,
        "rotation": 0,
        "enabled": enabled,
    }


def track(*keys, labels=("Car",), count=10):
    value = {"framesCount": count, "duration": count / 25, "sequence": list(keys), "labels": list(labels)}
    return {"id": "t", "from_name": "box", "to_name": "video", "type": "videorectangle", "value": value}


def test_identical_tracks_agree_and_labels_matter():
    a = track(key(1, 0), key(10, 90))
    assert control_score("videorectangle", [a], [a]) == 1.0
    assert control_score("videorectangle", [a], [track(key(1, 0), key(10, 90), labels=("Person",))]) == 0.0


def test_mean_iou_over_frames():
    # b is a's box shifted by 5 (half the width) on every frame: IoU = 5*10 / (15*10) = 1/3 per frame
    a, b = track(key(1, 0), key(10, 45)), track(key(1, 5), key(10, 50))
    assert control_score("videorectangle", [a], [b]) == 0.0  # 1/3 < 0.5: not matched
    # c equals a on frames 1..5 and is switched off after frame 5: 5 frames IoU 1, 5 frames a alone -> 0.5
    c = track(key(1, 0), key(5, 20, enabled=False))
    assert control_score("videorectangle", [a], [c]) == 1.0  # mean IoU exactly 0.5 is a match
    d = track(key(1, 0), key(4, 15, enabled=False))
    assert control_score("videorectangle", [a], [d]) == 0.0  # 4 of 10 frames


def test_timeline_ranges_compare_by_frames():
    def rng(start, end):
        value = {"ranges": [{"start": start, "end": end}], "timelinelabels": ["Moving"]}
        return {"id": "r", "from_name": "tl", "to_name": "video", "type": "timelinelabels", "value": value}

    assert compare([rng(1, 9)], [rng(1, 9)])[0] == 1.0
    assert compare([rng(1, 9)], [rng(2, 9)])[0] == pytest.approx(0.0)
