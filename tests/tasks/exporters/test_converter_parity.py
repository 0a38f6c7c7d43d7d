"""Parity with Label Studio's own converter (label_studio_sdk.converter, run on our JSON export)
where it has no known defect: one completion per task, upright boxes, polygons. Same category
numbering, same pixel boxes and polygons, same YOLO lines, same JSON-MIN records."""

import json
import math
import zipfile

import pytest
from label_studio_sdk.converter import Converter

from tests import factories

from .cases import IMAGE_CONFIG, TEXT_CONFIG, box, choice, polygon, span
from .conftest import build, image_file, run_export

pytestmark = pytest.mark.django_db


def convert(project, tmp_path, fmt: str):
    """Run Label Studio's converter on our JSON export; returns its output directory."""
    source = tmp_path / "export.json"
    source.write_bytes(run_export(project, "JSON", only_completed=True)["result.json"])
    out = tmp_path / fmt
    Converter(project.label_config, project_dir=str(tmp_path), download_resources=False).convert(
        str(source), str(out), fmt, is_dir=False
    )
    return out


@pytest.fixture
def users(db):
    return {"alice": factories.make_user("alice")}


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
                        box(75, 50, 25, 50, "Car", s),
                        polygon([[0, 100], [100, 100], [50, 60]], "Road", s),
                        choice("good", "quality", "image"),
                    ],
                }
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
    ]
    return build(IMAGE_CONFIG, tasks, users)


def close(a, b) -> bool:
    return all(math.isclose(x, y, abs_tol=1e-4) for x, y in zip(a, b, strict=True))


def test_coco_matches_label_studio(image_project, tmp_path):
    theirs = json.loads((convert(image_project, tmp_path, "COCO") / "result.json").read_text())
    ours = json.loads(run_export(image_project, "COCO")["result.json"])
    region_labels = {"Car", "Person", "Road"}
    assert {c["name"]: c["id"] for c in theirs["categories"] if c["name"] in region_labels} == {
        c["name"]: c["id"] for c in ours["categories"]
    }

    def by_image(doc):
        names = {c["id"]: c["name"] for c in doc["categories"]}
        files = {i["id"]: i["file_name"].rsplit("/", 1)[-1] for i in doc["images"]}
        sizes = {files[i["id"]]: (i["width"], i["height"]) for i in doc["images"]}
        anns = sorted(
            (files[a["image_id"]], names[a["category_id"]], a["bbox"], a["segmentation"], a["area"])
            for a in doc["annotations"]
        )
        return sizes, anns

    (their_sizes, their_anns), (our_sizes, our_anns) = by_image(theirs), by_image(ours)
    assert their_sizes == our_sizes
    assert len(their_anns) == len(our_anns) == 6
    for t, o in zip(their_anns, our_anns, strict=True):
        assert t[:2] == o[:2] and close(t[2], o[2]) and math.isclose(t[4], o[4], abs_tol=1e-3)
        assert len(t[3]) == len(o[3]) and all(close(x, y) for x, y in zip(t[3], o[3], strict=True))


def test_yolo_matches_label_studio(image_project, tmp_path):
    theirs = convert(image_project, tmp_path, "YOLO")
    ours = run_export(image_project, "YOLO")
    their_classes = (theirs / "classes.txt").read_text().split()
    our_classes = ours["classes.txt"].decode().split()
    assert their_classes[: len(our_classes)] == our_classes  # LS also lists the Choices labels after them
    for name in ("a", "b"):
        their_lines = (theirs / "labels" / f"{name}.txt").read_text().split("\n")
        our_lines = ours[f"labels/{name}.txt"].decode().split("\n")
        assert len(their_lines) == len(our_lines)
        for t, o in zip(their_lines, our_lines, strict=True):
            assert close([float(v) for v in t.split()], [float(v) for v in o.split()])


def test_json_min_matches_label_studio(users, tmp_path):
    project = build(
        TEXT_CONFIG,
        [
            {
                "data": {"text": "Zoë Müller works"},
                "completions": [
                    {"by": "alice", "lead_time": 1.5, "result": [span(0, 10, "Zoë Müller", "PER"), choice("Positive")]}
                ],
            },
            {"data": {"text": "plain"}, "completions": [{"by": "alice", "result": [choice("Negative")]}]},
        ],
        users,
    )
    theirs = json.loads((convert(project, tmp_path, "JSON_MIN") / "result.json").read_text())
    ours = json.loads(run_export(project, "JSON_MIN")["result.json"])
    assert theirs == ours


def test_include_images_puts_files_in_the_archive(image_project, tmp_path):
    files = run_export(image_project, "COCO", include_images=True)
    assert sorted(files) == ["images/a.png", "images/b.png", "result.json"]
    doc = json.loads(files["result.json"])
    assert [i["file_name"] for i in doc["images"]] == ["images/a.png", "images/b.png"]
    path = tmp_path / "coco.zip"
    with zipfile.ZipFile(path, "w") as zf:  # what a user unpacks reads back as images
        for name, data in files.items():
            zf.writestr(name, data)
    from PIL import Image

    with zipfile.ZipFile(path) as zf, zf.open("images/a.png") as f, Image.open(f) as img:
        assert img.size == (200, 100)
