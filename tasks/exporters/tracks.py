"""Video tracks in exports: ``interpolate_key_frames`` (the MOT format is in ``video_mot.py``).

- ``interpolate_key_frames`` (an export option, Label Studio's name): each ``videorectangle``
  result's keyframes become one box per frame, as Label Studio's exporter writes them: the
  keyframes plus, after every enabled keyframe, the frames up to the next keyframe (or to
  ``framesCount`` after the last one) marked ``"auto": true``, linearly interpolated, ``time``
  rounded to 2 decimals.
"""

from __future__ import annotations

from copy import deepcopy

BOX_KEYS = ("x", "y", "width", "height", "rotation")


def interpolate_key_frames(result):
    """The result with every videorectangle's sequence expanded to one box per frame."""
    if not isinstance(result, list):
        return result
    out = []
    for item in result:
        if not isinstance(item, dict) or str(item.get("type", "")).lower() != "videorectangle":
            out.append(item)
            continue
        value = item.get("value") or {}
        keys = sorted((k for k in value.get("sequence") or [] if isinstance(k, dict)), key=lambda k: k["frame"])
        if not keys:
            continue  # Label Studio drops a track without keyframes
        expanded = deepcopy(item)
        frames = expanded["value"]["sequence"]
        count, duration = value.get("framesCount", 0) or 0, value.get("duration", 0) or 0
        for i, first in enumerate(keys):
            following = keys[i + 1] if i + 1 < len(keys) else None
            frames.extend(_between(first, following, count, duration))
        frames.sort(key=lambda k: k["frame"])
        out.append(expanded)
    return out


def _between(first: dict, following: dict | None, count: int, duration: float) -> list[dict]:
    """The frames after ``first`` up to ``following`` (exclusive) or to ``count`` (inclusive)."""
    if not first.get("enabled", True):
        return []
    if following is not None and first["frame"] > following["frame"]:
        return []
    span = (following["frame"] if following else count) - first["frame"]
    out = []
    for i in range(1, span + 1):
        frame = first["frame"] + i
        if following is not None and frame == following["frame"]:
            continue
        step = i / max(1, span)
        moved = {
            key: 0
            if following is None or first.get(key, 0) == following.get(key)
            else (following.get(key, 0) - first.get(key, 0)) * step
            for key in (*BOX_KEYS, "time")
        }
        box = deepcopy(first)
        box.update({key: first.get(key, 0) + moved[key] for key in BOX_KEYS})
        box["frame"] = frame
        box["time"] = round(first.get("time", 0) + moved["time"], 2)
        box["auto"] = True
        if moved["time"] == 0 and duration > 0:
            box["time"] = round(first.get("time", 0) + step * (duration - first.get("time", 0)), 2)
        out.append(box)
    return out


def box_at(sequence, frame: int) -> dict | None:
    """The box a track shows at ``frame`` (Label Studio's rule, as ``static/labeling/tracks.js``):
    the last keyframe at or before it, interpolated towards the next; None before the first
    keyframe or after a disabled one."""
    keys = sorted((k for k in sequence or [] if isinstance(k, dict) and "frame" in k), key=lambda k: k["frame"])
    before = [k for k in keys if k["frame"] <= frame]
    if not before:
        return None
    first = before[-1]
    if first["frame"] == frame:
        return {key: first.get(key, 0) for key in BOX_KEYS}
    if not first.get("enabled", True):
        return None
    after = [k for k in keys if k["frame"] > frame]
    if not after:
        return {key: first.get(key, 0) for key in BOX_KEYS}
    step = (frame - first["frame"]) / (after[0]["frame"] - first["frame"])
    return {key: first.get(key, 0) + (after[0].get(key, 0) - first.get(key, 0)) * step for key in BOX_KEYS}
