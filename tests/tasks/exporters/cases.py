"""The projects behind the golden files (tests/data/exports/<case>/<FORMAT>/). What each golden
file was checked against is written in docs/export.md; change a case and re-check by hand."""

from __future__ import annotations

from .conftest import image_file, wav_file

TEXT_CONFIG = """<View>
  <Text name="text" value="$text"/>
  <Labels name="ner" toName="text">
    <Label value="PER"/><Label value="ORG"/><Label value="LOC"/>
  </Labels>
  <Choices name="sentiment" toName="text" choice="single">
    <Choice value="Positive"/><Choice value="Negative"/>
  </Choices>
</View>"""

IMAGE_CONFIG = """<View>
  <Image name="image" value="$image"/>
  <RectangleLabels name="box" toName="image">
    <Label value="Car"/><Label value="Person"/>
  </RectangleLabels>
  <PolygonLabels name="poly" toName="image">
    <Label value="Road"/>
  </PolygonLabels>
  <Choices name="quality" toName="image"><Choice value="good"/><Choice value="bad"/></Choices>
</View>"""

KEYPOINT_CONFIG = """<View>
  <Image name="img" value="$image"/>
  <RectangleLabels name="animal" toName="img"><Label value="Person"/><Label value="Dog"/></RectangleLabels>
  <KeyPointLabels name="kp" toName="img">
    <Label value="Nose" model_index="0"/><Label value="LeftEye" model_index="1"/><Label value="RightEye" model_index="2"/>
  </KeyPointLabels>
</View>"""

BRUSH_CONFIG = """<View>
  <Image name="img" value="$image"/>
  <BrushLabels name="paint" toName="img"><Label value="Sky"/><Label value="Tree"/></BrushLabels>
  <PolygonLabels name="outline" toName="img"><Label value="Tree"/></PolygonLabels>
</View>"""

AUDIO_CONFIG = """<View>
  <Audio name="audio" value="$audio"/>
  <TextArea name="transcript" toName="audio"/>
</View>"""


def span(start, end, text, label):
    return {
        "from_name": "ner",
        "to_name": "text",
        "type": "labels",
        "value": {"start": start, "end": end, "text": text, "labels": [label]},
    }


def choice(value, name="sentiment", to="text"):
    return {"from_name": name, "to_name": to, "type": "choices", "value": {"choices": [value]}}


def text_tasks(media=None):
    sentence = "Zoë Müller works at Ōtsuka GmbH in São Paulo."
    return [
        {
            "data": {"text": sentence},
            "completions": [
                {
                    "by": "alice",
                    "lead_time": 12.5,
                    "result": [
                        span(0, 10, "Zoë Müller", "PER"),
                        span(20, 31, "Ōtsuka GmbH", "ORG"),
                        span(35, 44, "São Paulo", "LOC"),
                        choice("Positive"),
                    ],
                },
                {"by": "bob", "lead_time": 2.5, "result": [span(0, 3, "Zoë", "PER"), choice("Negative")]},
            ],
            "predictions": [{"result": [span(0, 10, "Zoë Müller", "PER")], "score": 0.9, "model_version": "ner-1"}],
        },
        {
            "data": {"text": "東京 is big, isn't it?"},
            "completions": [
                {"by": "alice", "cancelled": True, "result": []},
                {"by": "bob", "ground_truth": True, "result": [span(0, 2, "東京", "LOC")]},
            ],
        },
        {"data": {"text": "No labels here."}},
        {
            "data": {"text": 'He said "hi",\nthen left.', "source_id": 7},
            "meta": {"source": "mail"},
            "completions": [{"by": "alice", "result": [choice("Negative")]}],
        },
    ]


def box(x, y, w, h, label, size=None, rotation=0, rid=None, name="box", to="image"):
    item = {
        "from_name": name,
        "to_name": to,
        "type": "rectanglelabels",
        "value": {"x": x, "y": y, "width": w, "height": h, "rotation": rotation, "rectanglelabels": [label]},
    }
    if size:
        item["original_width"], item["original_height"] = size
    if rid:
        item["id"] = rid
    return item


def polygon(points, label, size=None, name="poly", to="image"):
    item = {
        "from_name": name,
        "to_name": to,
        "type": "polygonlabels",
        "value": {"points": points, "polygonlabels": [label]},
    }
    if size:
        item["original_width"], item["original_height"] = size
    return item


def image_tasks(media):
    street = image_file(media, "street.png", (200, 100))
    park = image_file(media, "park.jpg", (80, 120))
    lot = image_file(media, "lot.png", (100, 50))
    street2 = image_file(media, "street.png", (200, 100), folder="2")
    phone = image_file(media, "phone.jpg", (60, 40), exif_orientation=6)
    s = (200, 100)
    return [
        {
            "data": {"image": street},
            "completions": [
                {
                    "by": "alice",
                    "result": [
                        box(10, 20, 30, 40, "Car", s),
                        box(0, 0, 25, 100, "Person", s),
                        polygon([[0, 100], [100, 100], [50, 60]], "Road", s),
                        choice("good", "quality", "image"),
                    ],
                },
                {"by": "bob", "result": [box(50, 10, 20, 30, "Car", s, rotation=30)]},
            ],
        },
        {"data": {"image": park}},
        {
            "data": {"image": lot},
            "completions": [
                {"by": "alice", "result": [box(90, 80, 10, 20, "Car"), box(60, 0, 40.00000001, 50, "Person")]},
                {"by": "bob", "cancelled": True, "result": []},
            ],
        },
        {"data": {"image": street2}, "completions": [{"by": "bob", "result": [box(40, 40, 20, 20, "Person", s)]}]},
        {"data": {"image": phone}},
    ]


def keypoint(x, y, label, parent=None):
    item = {
        "from_name": "kp",
        "to_name": "img",
        "type": "keypointlabels",
        "original_width": 100,
        "original_height": 100,
        "value": {"x": x, "y": y, "width": 0.5, "keypointlabels": [label]},
    }
    if parent:
        item["parentID"] = parent
    return item


def keypoint_tasks(media):
    pose = image_file(media, "pose.png", (100, 100))
    s = (100, 100)
    return [
        {
            "data": {"image": pose},
            "completions": [
                {
                    "by": "alice",
                    "result": [
                        box(10, 10, 50, 80, "Person", s, rid="p1", name="animal", to="img"),
                        keypoint(30, 20, "Nose", "p1"),
                        keypoint(25, 15, "LeftEye", "p1"),
                        box(60, 50, 30, 30, "Dog", s, rid="d1", name="animal", to="img"),
                        keypoint(70, 60, "Nose", "d1"),
                        keypoint(5, 5, "RightEye"),
                    ],
                }
            ],
        },
    ]


def brush_tasks(media):
    import numpy as np
    from label_studio_sdk.converter.brush import encode_rle

    def rle(cells):
        canvas = np.zeros((6, 8, 4), dtype=np.uint8)
        for row, col in cells:
            canvas[row, col] = (255, 0, 0, 255)
        return [int(b) for b in encode_rle(canvas.flatten())]

    def brush(cells, label):
        return {
            "from_name": "paint",
            "to_name": "img",
            "type": "brushlabels",
            "original_width": 8,
            "original_height": 6,
            "value": {"format": "rle", "rle": rle(cells), "brushlabels": [label]},
        }

    tree = image_file(media, "tree.png", (8, 6))
    sky_top = [(0, c) for c in range(8)]
    sky_corner = [(1, 0), (1, 1), (2, 0)]
    return [
        {
            "data": {"image": tree},
            "completions": [
                {
                    "by": "alice",
                    "result": [
                        brush(sky_top, "Sky"),
                        brush(sky_corner, "Sky"),
                        brush([(5, 7)], "Tree"),
                        {
                            **polygon(
                                [[50, 50], [100, 50], [100, 100], [50, 100]], "Tree", (8, 6), name="outline", to="img"
                            )
                        },
                    ],
                }
            ],
        },
    ]


def audio_tasks(media):
    def text(value):
        return {"from_name": "transcript", "to_name": "audio", "type": "textarea", "value": {"text": value}}

    one = wav_file(media, "one.wav", 1.5)
    two = wav_file(media, "two.wav", 0.25)
    mp3 = media / "upload" / "1" / "three.mp3"
    mp3.write_bytes(b"ID3 not really an mp3")
    return [
        {
            "data": {"audio": one},
            "completions": [
                {"by": "alice", "result": [text(["hello world"])]},
                {"by": "bob", "result": [text(["first line", "second"])]},
            ],
        },
        {"data": {"audio": two}, "completions": [{"by": "alice", "result": [text(["ünïcödé"])]}]},
        {"data": {"audio": "/data/upload/1/three.mp3"}, "completions": [{"by": "bob", "result": [text(["lost"])]}]},
        {"data": {"audio": two}},
    ]


CASES = {
    "text": (TEXT_CONFIG, text_tasks, ["JSON", "JSONL", "JSON_MIN", "CSV", "TSV", "CONLL2003"]),
    "image": (IMAGE_CONFIG, image_tasks, ["JSON_MIN", "COCO", "VOC", "YOLO", "YOLO_OBB", "BRUSH_TO_PNG"]),
    "keypoints": (KEYPOINT_CONFIG, keypoint_tasks, ["COCO", "YOLO"]),
    "brush": (BRUSH_CONFIG, brush_tasks, ["BRUSH_TO_PNG"]),
    "audio": (AUDIO_CONFIG, audio_tasks, ["ASR_MANIFEST"]),
}
