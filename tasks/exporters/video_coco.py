"""VIDEO_COCO: per-frame boxes of video tracks as COCO-video JSON (the "CocoVID" layout of
OpenMMLab's MMTracking, also used by TAO and BDD100K MOT): COCO's ``images``/``annotations``/
``categories`` plus a ``videos`` array, each image a frame of a video, each annotation a box with
the track's ``instance_id``. Definition: https://cocodataset.org/#format-data (object detection) and
MMTracking's CocoVID (https://github.com/open-mmlab/mmtracking, ``mmtrack/datasets/parsers/coco_video_parser.py``).

- ``videos``: ``{id, name, file_name, width, height, fps, length}`` per task video with tracks
  (ids from 1; ``name`` = ``<task id>-<video name>`` as the MOT export's folder; ``file_name`` the
  task's video URL).
- ``images``: one per frame 1..``length`` of each video (frames without a box included, as a
  tracker reads whole sequences): ``{id, video_id, frame_id, file_name, width, height}``,
  ``frame_id`` from 0 (MMTracking's), ``file_name`` = ``<name>/img1/<frame:06d>.jpg`` (MOT's frame
  names, from 1), ids from 1.
- ``annotations``: one per box per frame, from the keyframes with Label Studio's interpolation
  (nothing after a keyframe that switches the track off): ``{id, image_id, video_id, category_id,
  instance_id, bbox: [x, y, w, h] pixels, area, iscrowd: 0}``; ids from 1; ``instance_id`` numbers
  the tracks across the export from 1. Boxes are clipped to the frame (a box wholly outside is
  dropped); rotation is dropped, as in VIDEO_MOT.
- ``categories``: the labels in the config's order, ids from 1 (VIDEO_MOT's class numbers);
  unlabelled tracks get a ``default`` category.

Streaming: images and annotations go to two temp files; the JSON is assembled at the end.
"""

from __future__ import annotations

import json
from datetime import datetime

from .registry import Format, register
from .sinks import copy_text
from .video_mot import video_classes, video_sequences


@register
class VideoCOCO(Format):
    name = "VIDEO_COCO"
    title = "COCO video (tracks per frame)"
    description = (
        "Video object tracks as COCO-video JSON (MMTracking's CocoVID): a videos array, one image per "
        "frame and one box annotation per frame with the track's instance id, keyframes interpolated."
    )
    link = "https://cocodataset.org/#format-data"
    tags = ("video", "object tracking")
    requires = "a Video object with VideoRectangle"

    def unsupported(self, schema):
        if not any(c.tag == "VideoRectangle" for c in schema.controls):
            return "needs a Video object with a VideoRectangle control"
        return None

    def write(self, tasks, sink, ctx):
        classes = video_classes(ctx.schema)
        videos: list[dict] = []
        count = {"image": 0, "annotation": 0, "instance": 0}
        images_path, annotations_path = ctx.tmpdir / "images.part", ctx.tmpdir / "annotations.part"
        with open(images_path, "w", encoding="utf-8") as images, open(annotations_path, "w", encoding="utf-8") as anns:
            for task in tasks:
                for seq in video_sequences(task, classes, ctx):
                    self._video(seq, classes, videos, count, images, anns)
                yield
        now = ctx.now or datetime.now()
        info = {"year": now.year, "version": "1.0", "description": "", "contributor": "labelstudio", "url": ""}
        info["date_created"] = str(now)
        categories = [{"id": i, "name": name} for name, i in sorted(classes.items(), key=lambda kv: kv[1])]
        with sink.text("result.json") as out:
            out.write(
                '{\n"info": ' + json.dumps(info) + ',\n"categories": ' + json.dumps(categories, ensure_ascii=False)
            )
            out.write(',\n"videos": ' + json.dumps(videos, ensure_ascii=False) + ',\n"images": [')
            copy_text(images_path, out)
            out.write('\n],\n"annotations": [')
            copy_text(annotations_path, out)
            out.write("\n]\n}\n")
        yield

    @staticmethod
    def _video(seq, classes, videos, count, images, anns) -> None:
        video_id = len(videos) + 1
        videos.append(
            {
                "id": video_id,
                "name": seq.folder,
                "file_name": seq.url,
                "width": seq.width,
                "height": seq.height,
                "fps": seq.fps,
                "length": seq.length,
            }
        )
        first_image = count["image"] + 1
        for frame in range(1, seq.length + 1):
            count["image"] += 1
            image = {
                "id": count["image"],
                "video_id": video_id,
                "frame_id": frame - 1,
                "file_name": f"{seq.folder}/img1/{frame:06d}.jpg",
                "width": seq.width,
                "height": seq.height,
            }
            images.write(("\n" if count["image"] == 1 else ",\n") + json.dumps(image, ensure_ascii=False))
        instances: dict[int, int] = {}
        for box in seq.boxes:
            left, top = max(box.left, 0), max(box.top, 0)
            right, bottom = min(box.left + box.width, seq.width), min(box.top + box.height, seq.height)
            if right <= left or bottom <= top or box.frame > seq.length:
                continue
            if box.track not in instances:
                count["instance"] += 1
                instances[box.track] = count["instance"]
            category = box.cls or classes.setdefault("default", len(classes) + 1)
            w, h = round(right - left, 2), round(bottom - top, 2)
            count["annotation"] += 1
            ann = {
                "id": count["annotation"],
                "image_id": first_image + box.frame - 1,
                "video_id": video_id,
                "category_id": category,
                "instance_id": instances[box.track],
                "bbox": [round(left, 2), round(top, 2), w, h],
                "area": round(w * h, 2),
                "iscrowd": 0,
            }
            anns.write(("\n" if count["annotation"] == 1 else ",\n") + json.dumps(ann, ensure_ascii=False))
