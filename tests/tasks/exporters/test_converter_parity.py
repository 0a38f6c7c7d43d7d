"""Parity with Label Studio's own converter (label_studio_sdk.converter 2.1.2): the converter runs on
OUR JSON export of hand-written projects and its output is compared, file by file, with our export
of the same format — as Label Studio itself makes every format (JSON first, then the converter).

The projects hold: skipped (cancelled) completions, a task whose only completion was skipped,
several annotators per task, unlabeled tasks, unicode, a data key named like a control, keypoints
with and without a box, polygons, brushes. Both of Label Studio's task selections run: every task
(``download_all_tasks=true`` / an export snapshot) and only tasks with completions (its default
direct download).

ALLOWED DEVIATIONS — everything else must be equal. Each is also in docs/export.md ("Deviations
from Label Studio's converter") with the reason; the normalizers below undo exactly these:

  D1  one image per task (COCO/YOLO/VOC/masks): the converter lists an image once per completion
      (COCO) or rewrites the image's label file for each completion so the last one written wins
      (YOLO/VOC). We list each image once with every exported completion's regions. Normalized:
      COCO compares the multiset of regions per image file; YOLO/VOC: theirs ⊆ ours per file.
  D2  COCO annotation ids start at 1 (pycocotools' COCOeval treats id 0 as "unmatched"). Ids are
      not compared; regions are compared by content.
  D3  categories/classes are the image's region labels only; the converter also numbers Choices
      labels. Compared: their ids for our labels are ours; our classes.txt is a prefix of theirs.
  D4  VOC: the devkit's 1-based pixel indices (converter: 0-based truncated values, which
      loaders that subtract 1 turn into -1); a file for every image; ``source``/``folder`` tell
      what is true. Compared: name and box (ours xmin/ymin - 1), width, height.
  D5  YOLO OBB leaves polygons out (the format is 4 corners a line; the converter writes the
      polygon's n points, which Ultralytics rejects). Compared: their 9-value lines.
  D6  COCO keypoints go to their parent box's annotation (the converter gathers every keypoint
      of a completion into one annotation whatever box it belongs to). Compared: boxes as regions,
      and every keypoint of theirs is in one of ours at the same place.
  D7  masks: one PNG per completion and label (brushes of a label merged; the converter writes one
      per brush region), in ``masks/`` named ``task-T-annotation-A-by-U-<label>.png`` (the
      converter: at the root, ``...-<control>-<label>-<n>.png``). Compared: the union of their
      regions' pixels per completion and label is our mask.
  D8  CSV/TSV columns: every control of the config has a column (and a data key named like any
      control becomes ``_data_<key>``), so the columns do not depend on which answers the export
      happens to hold; the converter adds a control's column only when some row answers it.
      (The parity project answers every control, so its CSV/TSV files are equal byte for byte.)
  D9  COCO ``file_name`` is ``images/<name>`` (where *_WITH_IMAGES puts it); the converter writes a
      path relative to its output folder. Compared: the file's base name.
"""

import io
import json
import math
import zipfile
from datetime import timedelta

import pytest
from django.conf import settings
from label_studio_sdk.converter import Converter

from tests import factories

from .cases import IMAGE_CONFIG, KEYPOINT_CONFIG, box, choice, image_file, keypoint, polygon, span
from .conftest import FIXED, build, run_export

pytestmark = pytest.mark.django_db

SELECTIONS = {"all tasks": {}, "only labeled": {"download_all_tasks": False}}
# also for the text formats: Label Studio's snapshot filter object, and users expanded to emails
TEXT_SELECTIONS = {
    **SELECTIONS,
    "usual only": {"annotation_filter_options": {"usual": True}},
    "users expanded": {"serialization_options": {"annotations__completed_by": {"only_id": False}}},
}
ROWS = {"all tasks": 5, "only labeled": 4, "usual only": 5, "users expanded": 5}

TEXT_CONFIG = """<View>
  <Text name="text" value="$text"/>
  <Labels name="ner" toName="text">
    <Label value="PER"/><Label value="ORG"/><Label value="LOC"/>
  </Labels>
  <Choices name="sentiment" toName="text" choice="single">
    <Choice value="Positive"/><Choice value="Negative"/>
  </Choices>
</View>"""


@pytest.fixture
def users(db):
    return {name: factories.make_user(name) for name in ("alice", "bob", "carol")}


def spread_times(project):
    """Completion times out of id order, so 'newest first' is tested (not only ties)."""
    from annotators.models import Completion

    for i, c in enumerate(Completion.objects.filter(project=project).order_by("pk")):
        Completion.objects.filter(pk=c.pk).update(created_at=FIXED + timedelta(seconds=(i * 7) % 5))


@pytest.fixture
def text_project(users):
    tasks = [
        {  # several annotators, a skipped completion, unicode, a data key named like a control
            "data": {"text": "Zoë Müller works at Ōtsuka GmbH in São Paulo.", "sentiment": "raw/feed"},
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
                {"by": "carol", "cancelled": True, "result": []},
            ],
        },
        {  # only a skipped completion
            "data": {"text": "Skipped by everyone.", "sentiment": "x"},
            "completions": [{"by": "carol", "cancelled": True, "result": []}],
        },
        {"data": {"text": "No labels here, isn't it?", "sentiment": "y"}},  # unlabeled
        {  # ground truth, Treebank tokens, a quote and newline, extra data keys (a list, a number)
            "data": {"text": 'He said "hi",\nthen left Berlin\'s zoo.', "sentiment": "z", "tags": ["a", "b/c"], "n": 7},
            "completions": [
                {"by": "alice", "result": [span(25, 33, "Berlin's", "LOC"), choice("Negative")]},
                {"by": "bob", "ground_truth": True, "result": [span(9, 11, "hi", "ORG")]},
            ],
        },
    ]
    project = build(TEXT_CONFIG, tasks, users)
    spread_times(project)
    return project


@pytest.fixture
def image_project(users, media):
    s = (200, 100)
    tasks = [
        {
            "data": {"image": image_file(media, "a.png", s)},
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
                {"by": "bob", "result": [box(75, 50, 25, 50, "Car", s)]},
                {"by": "carol", "cancelled": True, "result": []},
            ],
        },
        {
            "data": {"image": image_file(media, "b.png", s)},
            "completions": [
                {
                    "by": "alice",
                    "result": [
                        box(33.3, 12.5, 10.1, 20.7, "Person", s),
                        polygon([[10, 10], [20, 15.5], [12, 30], [5, 22]], "Road", s),
                    ],
                }
            ],
        },
        {"data": {"image": image_file(media, "c.png", s)}, "completions": [{"by": "bob", "cancelled": True}]},
        {"data": {"image": image_file(media, "d.png", s)}},  # unlabeled
        {
            "data": {"image": image_file(media, "e.png", s)},
            "completions": [{"by": "bob", "result": [choice("bad", "quality", "image")]}],
        },  # answered, no regions
    ]
    project = build(IMAGE_CONFIG, tasks, users)
    spread_times(project)
    return project


@pytest.fixture
def keypoint_project(users, media):
    s = (100, 100)
    pose = image_file(media, "pose.png", s)
    return build(
        KEYPOINT_CONFIG,
        [
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
            },  # a keypoint without a box
            {"data": {"image": image_file(media, "empty.png", s)}},
        ],
        users,
    )


# --- running both sides -------------------------------------------------------------------------


def ours(project, fmt, selection) -> dict[str, bytes]:
    return run_export(project, fmt, **TEXT_SELECTIONS[selection])


def theirs(project, fmt, selection, tmp_path) -> dict[str, bytes]:
    """Label Studio's converter on our JSON export (the same selection); {relative path: bytes}."""
    work = tmp_path / f"{fmt}-{selection.replace(' ', '_')}"
    work.mkdir()
    source = work / "export.json"
    source.write_bytes(ours(project, "JSON", selection)["result.json"])
    out = work / "out"
    out.mkdir()  # the brush converter does not make it
    Converter(project.label_config, project_dir=str(settings.MEDIA_ROOT), download_resources=False).convert(
        str(source), str(out), fmt, is_dir=False
    )
    return {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def close(a, b, tol=1e-4) -> bool:
    return len(a) == len(b) and all(math.isclose(x, y, abs_tol=tol) for x, y in zip(a, b, strict=True))


# --- JSON: lossless -------------------------------------------------------------------------------


def test_json_is_lossless_and_follows_label_studio_selection(text_project):
    from annotators.models import Completion

    every = json.loads(ours(text_project, "JSON", "all tasks")["result.json"])
    ids = sorted(a["id"] for t in every for a in t["annotations"])
    assert ids == sorted(Completion.objects.filter(project=text_project).values_list("pk", flat=True))
    assert sum(a["was_cancelled"] for t in every for a in t["annotations"]) == 2  # kept, marked
    assert len(every) == 4
    labeled = json.loads(ours(text_project, "JSON", "only labeled")["result.json"])
    # Label Studio's default download: tasks with any completion, a skipped one included
    assert [t["id"] for t in labeled] == [every[0]["id"], every[1]["id"], every[3]["id"]]
    # an LS export snapshot that sends annotation_filter_options filters: skipped off by default
    filtered = json.loads(run_export(text_project, "JSON", annotation_filter_options={"usual": True})["result.json"])
    assert not any(a["was_cancelled"] for t in filtered for a in t["annotations"])


# --- text formats: equal ----------------------------------------------------------------------


@pytest.mark.parametrize("selection", TEXT_SELECTIONS)
def test_json_min_equals_converter(text_project, tmp_path, selection):
    mine = json.loads(ours(text_project, "JSON_MIN", selection)["result.json"])
    assert json.loads(theirs(text_project, "JSON_MIN", selection, tmp_path)["result.json"]) == mine
    assert len(mine) == ROWS[selection]  # no row for the skipped-only task (usual only: a row without answers)


@pytest.mark.parametrize("fmt", ["CSV", "TSV"])
@pytest.mark.parametrize("selection", TEXT_SELECTIONS)
def test_csv_tsv_equal_converter(text_project, tmp_path, fmt, selection):
    mine = ours(text_project, fmt, selection)[f"result.{fmt.lower()}"]
    their = theirs(text_project, fmt, selection, tmp_path)["result.csv"]  # its TSV file is named .csv too
    assert b'"_data_sentiment"' in mine.replace(b"\t", b",")  # data key named like a control kept apart
    assert mine.decode() == their.decode()


@pytest.mark.parametrize("selection", TEXT_SELECTIONS)
def test_conll_equals_converter(text_project, tmp_path, selection):
    mine = ours(text_project, "CONLL2003", selection)["result.conll"].decode()
    assert theirs(text_project, "CONLL2003", selection, tmp_path)["result.conll"].decode() == mine
    assert mine.count("\n\n") == ROWS[selection]  # one document per record
    assert "Berlin -X- _ B-LOC\n's -X- _ I-LOC" in mine  # Treebank tokens


# --- image formats: equal up to D1-D7 ---------------------------------------------------------


def _coco_regions(doc):
    names = {c["id"]: c["name"] for c in doc["categories"]}
    files = {i["id"]: i["file_name"].rsplit("/", 1)[-1] for i in doc["images"]}  # D9
    sizes = {files[i["id"]]: (i["width"], i["height"]) for i in doc["images"]}
    regions = sorted(
        (
            files[a["image_id"]],
            names[a["category_id"]],
            [round(v, 3) for v in a["bbox"]],
            [[round(v, 3) for v in s] for s in a["segmentation"]],
            round(a["area"], 2),
        )
        for a in doc["annotations"]
        if names[a["category_id"]] != "default"  # D6: keypoint-only annotations compared apart
    )
    return sizes, regions


@pytest.mark.parametrize("selection", SELECTIONS)
def test_coco_equals_converter(image_project, tmp_path, selection):
    their = json.loads(theirs(image_project, "COCO", selection, tmp_path)["result.json"])
    mine = json.loads(ours(image_project, "COCO", selection)["result.json"])
    assert {c["name"]: c["id"] for c in their["categories"] if c["name"] in {"Car", "Person", "Road"}} == {
        c["name"]: c["id"] for c in mine["categories"]
    }  # D3
    their_sizes, their_regions = _coco_regions(their)
    my_sizes, my_regions = _coco_regions(mine)
    assert their_sizes == my_sizes  # D1: theirs repeats a.png per completion; a dict keeps one
    assert their_regions == my_regions  # D2: ids not compared
    assert "c.png" not in my_sizes  # the skipped-only task lists no image
    assert len(mine["images"]) == (4 if selection == "all tasks" else 3)


def _yolo_lines(data: bytes) -> list[list[float]]:
    return sorted([float(v) for v in line.split()] for line in data.decode().split("\n") if line.strip())


@pytest.mark.parametrize("fmt", ["YOLO", "YOLO_OBB"])
@pytest.mark.parametrize("selection", SELECTIONS)
def test_yolo_equals_converter(image_project, tmp_path, fmt, selection):
    their = theirs(image_project, fmt, selection, tmp_path)
    mine = ours(image_project, fmt, selection)
    assert their["classes.txt"].decode().startswith(mine["classes.txt"].decode())  # D3
    their_labels = {k: v for k, v in their.items() if k.startswith("labels/")}
    assert sorted(their_labels) == sorted(k for k in mine if k.startswith("labels/"))
    for name, data in their_labels.items():
        want = [line for line in _yolo_lines(data) if fmt == "YOLO" or len(line) == 9]  # D5
        got = _yolo_lines(mine[name])
        if name == "labels/a.txt":  # D1: theirs holds one completion (the last written), ours all
            got = [g for g in got if any(close(g, w) for w in want)]
        assert len(got) == len(want) and all(close(g, w) for g, w in zip(got, want, strict=False)), name


@pytest.mark.parametrize("selection", SELECTIONS)
def test_voc_equals_converter(image_project, tmp_path, selection):
    from defusedxml import ElementTree

    def read(data):
        root = ElementTree.fromstring(data)
        size = (int(root.findtext("size/width")), int(root.findtext("size/height")))
        boxes = sorted(
            (o.findtext("name"), *(int(float(o.findtext(f"bndbox/{k}"))) for k in ("xmin", "ymin", "xmax", "ymax")))
            for o in root.iter("object")
        )
        return size, boxes

    their = theirs(image_project, "VOC", selection, tmp_path)
    mine = ours(image_project, "VOC", selection)
    assert "Annotations/c.xml" not in mine
    for name, data in their.items():
        size, their_boxes = read(data)
        my_size, my_boxes = read(mine[name])
        assert size == my_size
        for box_ in their_boxes:  # D4: ours 1-based; theirs truncates x, y and the size apart (±1)
            assert any(
                box_[0] == m[0]
                and all(abs(t - o) <= 1 for t, o in zip(box_[1:], (m[1] - 1, m[2] - 1, m[3], m[4]), strict=False))
                for m in my_boxes
            ), name  # D1: theirs holds one completion of a.png, ours all


def test_keypoints_yolo_and_coco_equal_converter(keypoint_project, tmp_path):
    their = theirs(keypoint_project, "YOLO", "all tasks", tmp_path)
    mine = ours(keypoint_project, "YOLO", "all tasks")
    assert their["classes.txt"] == mine["classes.txt"]
    assert json.loads(their["notes.json"])["categories"] == json.loads(mine["notes.json"])["categories"]
    for name in ("labels/pose.txt", "labels/empty.txt"):
        want, got = _yolo_lines(their[name]), _yolo_lines(mine[name])
        assert len(got) == len(want) and all(close(g, w) for g, w in zip(got, want, strict=False))

    their = json.loads(theirs(keypoint_project, "COCO", "all tasks", tmp_path)["result.json"])
    mine = json.loads(ours(keypoint_project, "COCO", "all tasks")["result.json"])
    assert [(c["id"], c["name"]) for c in their["categories"]] == [(c["id"], c["name"]) for c in mine["categories"]]
    assert _coco_regions(their) == _coco_regions(mine)

    def points(doc):  # D6: (category of the annotation aside) every visible keypoint, in place
        out = set()
        for a in doc["annotations"]:
            kp = a.get("keypoints") or []
            out |= {(round(kp[i], 3), round(kp[i + 1], 3)) for i in range(0, len(kp), 3) if kp[i + 2]}
        return out

    # theirs has one slot per keypoint name per completion, so the Dog's Nose overwrites the Person's
    assert points(their) < points(mine) and len(points(mine)) == 4


def test_include_images_puts_files_in_the_archive(image_project, tmp_path):
    files = run_export(image_project, "COCO", include_images=True)
    assert sorted(files) == ["images/a.png", "images/b.png", "images/d.png", "images/e.png", "result.json"]
    doc = json.loads(files["result.json"])
    assert [i["file_name"] for i in doc["images"]] == ["images/a.png", "images/b.png", "images/d.png", "images/e.png"]
    path = tmp_path / "coco.zip"
    with zipfile.ZipFile(path, "w") as zf:  # what a user unpacks reads back as images
        for name, data in files.items():
            zf.writestr(name, data)
    from PIL import Image

    with zipfile.ZipFile(path) as zf, zf.open("images/a.png") as f, Image.open(f) as img:
        assert img.size == (200, 100)


# --- masks and speech: equal up to D7 / the ASR notes in docs/export.md ------------------------


BRUSH_CONFIG = """<View>
  <Image name="img" value="$image"/>
  <BrushLabels name="paint" toName="img"><Label value="Sky"/><Label value="Tree"/></BrushLabels>
</View>"""


def test_brush_png_equals_converter(users, media, tmp_path):
    import numpy as np
    from label_studio_sdk.converter.brush import encode_rle
    from PIL import Image

    def brush(cells, label):
        canvas = np.zeros((6, 8, 4), dtype=np.uint8)
        for row, col in cells:
            canvas[row, col] = (255, 0, 0, 255)
        value = {"format": "rle", "rle": [int(b) for b in encode_rle(canvas.flatten())], "brushlabels": [label]}
        return {"from_name": "paint", "to_name": "img", "type": "brushlabels", "original_width": 8,
                "original_height": 6, "value": value}  # fmt: skip

    project = build(BRUSH_CONFIG, [
        {"data": {"image": image_file(media, "t.png", (8, 6))}, "completions": [
            {"by": "alice", "result": [brush([(0, c) for c in range(8)], "Sky"), brush([(1, 0), (2, 0)], "Sky"),
                                       brush([(5, 7)], "Tree")]},
            {"by": "bob", "result": [brush([(3, 3)], "Tree")]},
            {"by": "carol", "cancelled": True}]},
        {"data": {"image": image_file(media, "u.png", (8, 6))}, "completions": [{"by": "bob", "cancelled": True}]},
        {"data": {"image": image_file(media, "v.png", (8, 6))}},
    ], users)  # fmt: skip

    def pixels(data):
        with Image.open(io.BytesIO(data)) as img:
            return {(i % img.width, i // img.width) for i, v in enumerate(img.convert("L").tobytes()) if v}

    their = theirs(project, "BRUSH_TO_PNG", "all tasks", tmp_path)
    mine = ours(project, "BRUSH_TO_PNG", "all tasks")
    merged: dict[str, set] = {}
    for name, data in their.items():  # task-T-annotation-A-by-U-paint-Sky-0.png: one per region (D7)
        key = "masks/" + name.rsplit("-", 1)[0].replace("-paint-", "-") + ".png"
        merged.setdefault(key, set()).update(pixels(data))
    assert sorted(merged) == sorted(mine)
    assert all(merged[name] == pixels(mine[name]) for name in mine)
    assert len(mine) == 3  # alice Sky + Tree, bob Tree; nothing for skipped completions


AUDIO_CONFIG = """<View><Audio name="audio" value="$audio"/><TextArea name="transcript" toName="audio"/></View>"""


def test_asr_manifest_equals_converter(users, media, tmp_path):
    from .cases import wav_file

    def text(lines):
        return [{"from_name": "transcript", "to_name": "audio", "type": "textarea", "value": {"text": lines}}]

    one, two = wav_file(media, "one.wav", 1.5), wav_file(media, "two.wav", 0.25)
    project = build(AUDIO_CONFIG, [
        {"data": {"audio": one}, "completions": [
            {"by": "alice", "result": text(["hello wörld"])}, {"by": "carol", "cancelled": True},
            {"by": "bob", "result": text(["second"])}]},
        {"data": {"audio": two}, "completions": [{"by": "bob", "cancelled": True}]},
    ], users)  # fmt: skip
    work = tmp_path / "asr"
    work.mkdir()
    (work / "export.json").write_bytes(ours(project, "JSON", "all tasks")["result.json"])
    Converter(project.label_config, project_dir=str(settings.MEDIA_ROOT), download_resources=True).convert(
        str(work / "export.json"), str(work / "out"), "ASR_MANIFEST", is_dir=False
    )
    their = [json.loads(line) for line in (work / "out" / "manifest.json").read_text().splitlines()]
    mine = [json.loads(line) for line in run_export(project, "ASR_MANIFEST", include_images=True)["manifest.json"]
            .decode().splitlines()]  # fmt: skip
    assert mine == their


# --- which formats are offered ----------------------------------------------------------------

POLYGON_CONFIG = """<View><Image name="image" value="$image"/>
  <PolygonLabels name="poly" toName="image"><Label value="Road"/></PolygonLabels></View>"""
NOT_OFFERED = {"BRUSH_TO_NUMPY", "BRUSH_TO_COCO", "CSV_OLD", "DOCLANG"}  # docs/export.md "Not done"
OURS_ONLY = {"JSONL"}


CONFIGS = {
    "text": TEXT_CONFIG,
    "image": IMAGE_CONFIG,
    "keypoints": KEYPOINT_CONFIG,
    "brush": BRUSH_CONFIG,
    "audio": AUDIO_CONFIG,
    "polygons": POLYGON_CONFIG,
}


@pytest.mark.parametrize("case", CONFIGS)
def test_offered_formats_equal_converter(case):
    from tasks.exporters.registry import formats_for
    from tasks.exporters.schema import Schema

    config = CONFIGS[case]
    theirs_ = set(Converter(config, project_dir=None).supported_formats) - NOT_OFFERED
    mine = {f["name"] for f in formats_for(Schema.from_text(config)) if not f["disabled"]} - OURS_ONLY
    if "PolygonLabels" in config and "BrushLabels" not in config:
        mine -= {"BRUSH_TO_PNG"}  # ours only: masks of polygons (the converter draws brushes only)
    assert mine == theirs_
