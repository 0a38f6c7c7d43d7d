"""VIDEO_MOT: per-frame boxes of video tracks for detection/tracking training, in MOTChallenge's
ground-truth text format (https://motchallenge.net/instructions/).

A zip with one sequence folder per video task, ``<task id>-<video name>/``:

- ``gt/gt.txt``: one line per box per frame, ``frame,id,bb_left,bb_top,bb_width,bb_height,1,class,1``
  (frames from 1; ``id`` numbers the tracks of the task from 1; the box in pixels, rounded to 2
  decimals; ``1`` = consider this box; ``class`` = line number in ``classes.txt``; visibility 1).
  Boxes come from the keyframes with Label Studio's interpolation (``tracks.interpolate_key_frames``):
  frames after a disabled keyframe have no box;
- ``seqinfo.ini``: ``name, frameRate, seqLength, imWidth, imHeight, imExt``.

The frame size comes from the video file (the ``tkhd`` box of an MP4/MOV, local uploads or
http(s) URLs); a task whose video cannot be read is left out with a warning. Rotated boxes are
written as they are stored (x/y/width/height, the rotation dropped).
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass

from .media import MediaError, base_name
from .registry import Format, register
from .tracks import interpolate_key_frames

CONTAINERS = {b"moov", b"trak"}


def mp4_size(path) -> tuple[int, int] | None:
    """Width and height of the first video track (``tkhd`` with a non-zero size), or None."""
    try:
        with open(path, "rb") as handle:
            return _walk(handle, 0, os.fstat(handle.fileno()).st_size)
    except OSError:
        return None


def _walk(handle, start: int, end: int) -> tuple[int, int] | None:
    pos = start
    while pos + 8 <= end:
        handle.seek(pos)
        size, kind = struct.unpack(">I4s", handle.read(8))
        header = 8
        if size == 1:
            size = struct.unpack(">Q", handle.read(8))[0]
            header = 16
        elif size == 0:
            size = end - pos
        if size < header:
            return None
        if kind in CONTAINERS:
            found = _walk(handle, pos + header, pos + size)
            if found:
                return found
        elif kind == b"tkhd":
            body = handle.read(min(size - header, 120))
            width, height = struct.unpack(">II", body[-8:]) if len(body) in (84, 96) else (0, 0)
            if width and height:
                return width >> 16, height >> 16
        pos += size
    return None


@register
class VideoMOT(Format):
    name = "VIDEO_MOT"
    title = "MOT (video tracks)"
    description = (
        "Video object tracks as MOTChallenge ground truth: one line per box per frame "
        "(frame, track id, left, top, width, height in pixels, class), keyframes interpolated."
    )
    link = "https://motchallenge.net/instructions/"
    tags = ("video", "object tracking")
    requires = "a Video object with VideoRectangle"
    multi_file = True
    extension = ".zip"

    def unsupported(self, schema):
        if not any(c.tag == "VideoRectangle" for c in schema.controls):
            return "needs a Video object with a VideoRectangle control"
        return None

    def write(self, tasks, sink, ctx):
        classes = video_classes(ctx.schema)
        for task in tasks:
            for seq in video_sequences(task, classes, ctx):
                lines = [
                    f"{b.frame},{b.track},{b.left:g},{b.top:g},{b.width:g},{b.height:g},1,{b.cls},1" for b in seq.boxes
                ]
                sink.add_bytes(f"{seq.folder}/gt/gt.txt", "".join(line + "\n" for line in lines).encode("utf-8"))
                info = (
                    f"[Sequence]\nname={seq.folder}\nframeRate={seq.fps:g}\nseqLength={seq.length}\n"
                    f"imWidth={seq.width}\nimHeight={seq.height}\nimExt=.jpg\n"
                )
                sink.add_bytes(f"{seq.folder}/seqinfo.ini", info.encode("utf-8"))
            yield
        names = sorted(classes, key=classes.get)
        sink.add_bytes("classes.txt", "".join(name + "\n" for name in names).encode("utf-8"))
        yield


@dataclass
class Box:
    frame: int
    track: int
    left: float
    top: float
    width: float
    height: float
    cls: int


@dataclass
class Sequence:
    """One video of one task: its per-frame boxes (sorted by frame, then track) and its size."""

    task_id: int
    video: str
    url: str
    folder: str
    fps: float
    width: int
    height: int
    length: int
    boxes: list[Box]


def video_classes(schema) -> dict[str, int]:
    """Label -> class number from 1, in the config's order (labels found only in results follow)."""
    videos = {v.name for v in schema.objects_of("Video")}
    classes: dict[str, int] = {}
    for control in schema.controls:
        if control.tag in ("VideoRectangle", "Labels") and set(control.to_names) & videos:
            for label in control.labels:
                classes.setdefault(label, len(classes) + 1)
    return classes


def video_sequences(task, classes, ctx):
    """The task's videos with tracks, as per-frame pixel boxes (Label Studio's interpolation)."""
    fps_of = {name: tag.frame_rate for name, tag in ctx.schema.config.objects.items() if tag.tag_name == "Video"}
    for video in ctx.schema.objects_of("Video"):
        seq = _sequence(task, video, fps_of[video.name], classes, ctx)
        if seq is not None:
            yield seq


def _sequence(task, video, fps, classes, ctx) -> Sequence | None:
    tracks = [
        item
        for completion in task.get("annotations") or []
        for item in interpolate_key_frames(completion.get("result") or [])
        if isinstance(item, dict) and item.get("type") == "videorectangle" and item.get("to_name") == video.name
    ]
    if not tracks:
        return None
    url = (task.get("data") or {}).get(video.key)
    try:
        path, temporary = ctx.media.fetch(url)
    except MediaError as exc:
        ctx.warn(f"video left out: {exc}", task["id"])
        return None
    size = mp4_size(path)
    if temporary:
        os.unlink(path)
    if size is None:
        ctx.warn(f"video left out: the frame size of {url!r} could not be read (MP4/MOV expected)", task["id"])
        return None
    width, height = size
    boxes, length = [], 0
    for track_id, item in enumerate(tracks, start=1):
        value = item["value"]
        labels = value.get("labels") or []
        for label in labels:
            classes.setdefault(label, len(classes) + 1)
        cls = classes[labels[0]] if labels else 0
        length = max(length, value.get("framesCount") or 0)
        for box in value.get("sequence") or []:  # a disabled keyframe is the track's last box
            cells = [box["x"] * width, box["y"] * height, box["width"] * width, box["height"] * height]
            left, top, w, h = (round(c / 100, 2) for c in cells)
            boxes.append(Box(box["frame"], track_id, left, top, w, h, cls))
            length = max(length, box["frame"])
    boxes.sort(key=lambda b: (b.frame, b.track))
    folder = f"{task['id']}-{os.path.splitext(base_name(url))[0] or 'video'}"
    return Sequence(task["id"], video.name, url, folder, fps, width, height, length, boxes)
