"""Video and time-series results in exports: JSON/JSON_MIN/CSV carry them as stored, the
interpolate_key_frames option (Label Studio's) expands tracks, and VIDEO_MOT writes MOTChallenge
lines, checked by hand against https://motchallenge.net/instructions/ (frame,id,left,top,w,h,conf,class,vis)."""

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from .conftest import build, run_export

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parents[3] / "static" / "samples" / "sample.mp4"  # 320x180, 25 fps, 4 s
CONFIG = """<View>
  <Labels name="videoLabels" toName="video"><Label value="Car"/><Label value="Person"/></Labels>
  <Video name="video" value="$video" frameRate="25"/>
  <VideoRectangle name="box" toName="video"/>
  <TimelineLabels name="timeline" toName="video"><Label value="Moving"/></TimelineLabels>
</View>"""
SERIES = """<View>
  <TimeSeriesLabels name="label" toName="ts"><Label value="Run"/></TimeSeriesLabels>
  <TimeSeries name="ts" value="$csv" valueType="url" timeColumn="time"><Channel column="a"/></TimeSeries>
</View>"""


def key(frame, x, enabled=True):
    return {
        "frame": frame,
        "time": (frame - 1) / 25,
        "x": x,
        "y": 10,
        "width": 25,
        "height": 50,
        "rotation": 0,
        "enabled": enabled,
    }


TRACK = {
    "id": "t1",
    "from_name": "box",
    "to_name": "video",
    "type": "videorectangle",
    "value": {
        "framesCount": 8,
        "duration": 0.32,
        "sequence": [key(1, 10), key(5, 50, enabled=False)],
        "labels": ["Person"],
    },
}
RANGE = {
    "id": "r1",
    "from_name": "timeline",
    "to_name": "video",
    "type": "timelinelabels",
    "value": {"ranges": [{"start": 2, "end": 6}], "timelinelabels": ["Moving"]},
}


@pytest.fixture
def project(media, manager):
    (media / "upload" / "1").mkdir(parents=True)
    shutil.copy(SAMPLE, media / "upload" / "1" / "clip.mp4")
    tasks = [{"data": {"video": "/data/upload/1/clip.mp4"}, "completions": [{"by": "m", "result": [TRACK, RANGE]}]}]
    return build(CONFIG, tasks, {"m": manager})


def test_json_formats_carry_the_results_as_stored(project):
    (exported,) = json.loads(run_export(project, "JSON")["result.json"])
    assert exported["annotations"][0]["result"] == [TRACK, RANGE]
    (row,) = json.loads(run_export(project, "JSON_MIN")["result.json"])
    assert row["box"] == [TRACK["value"]]  # Label Studio's JSON_MIN: the value of each region
    assert row["timeline"] == [RANGE["value"]]
    (line,) = csv.DictReader(io.StringIO(run_export(project, "CSV")["result.csv"].decode()))
    assert json.loads(line["box"]) == [TRACK["value"]]


def test_interpolate_key_frames_option(project):
    (exported,) = json.loads(run_export(project, "JSON", interpolate_key_frames=True)["result.json"])
    track, timeline = exported["annotations"][0]["result"]
    assert timeline == RANGE
    frames = track["value"]["sequence"]
    assert [f["frame"] for f in frames] == [1, 2, 3, 4, 5]  # switched off at 5: nothing after
    assert [f["x"] for f in frames] == [10, 20, 30, 40, 50]
    assert [f.get("auto", False) for f in frames] == [False, True, True, True, False]
    ls_options = {"serialization_options": {"interpolate_key_frames": True}}  # Label Studio's spelling
    (again,) = json.loads(run_export(project, "JSON", **ls_options)["result.json"])
    assert again["annotations"][0]["result"][0] == track


def test_mot_lines_by_hand(project):
    files = run_export(project, "VIDEO_MOT")
    folder = f"{project.tasks.get().pk}-clip"
    assert files["classes.txt"] == b"Car\nPerson\n"
    # 320x180 pixels: x 10% = 32 px, y 10% = 18 px, 25% wide = 80 px, 50% high = 90 px; class 2 = Person
    assert files[f"{folder}/gt/gt.txt"].decode().splitlines() == [
        "1,1,32,18,80,90,1,2,1",
        "2,1,64,18,80,90,1,2,1",
        "3,1,96,18,80,90,1,2,1",
        "4,1,128,18,80,90,1,2,1",
        "5,1,160,18,80,90,1,2,1",
    ]  # frame 5 is the keyframe that switches the track off: its box is the last one
    info = files[f"{folder}/seqinfo.ini"].decode()
    assert "frameRate=25\n" in info and "imWidth=320\n" in info and "imHeight=180\n" in info and "seqLength=8\n" in info


def test_mot_needs_video_rectangles(manager):
    from labelstudio.core.exceptions import ApplicationError

    series = build(SERIES, [{"data": {"csv": "/data/x.csv"}}], {"m": manager})
    with pytest.raises(ApplicationError, match="VideoRectangle"):
        run_export(series, "VIDEO_MOT")


def test_coco_video_by_hand(media, manager):
    """Checked by hand against COCO's object-detection fields (https://cocodataset.org/#format-data:
    bbox [x, y, width, height] in pixels, area, iscrowd, image and category ids) and MMTracking's
    CocoVID additions (videos, image video_id/frame_id from 0, annotation instance_id)."""
    (media / "upload" / "1").mkdir(parents=True)
    shutil.copy(SAMPLE, media / "upload" / "1" / "clip.mp4")
    edge = {  # unlabelled, runs off the right edge: clipped; a second track of the same task
        "id": "t2",
        "from_name": "box",
        "to_name": "video",
        "type": "videorectangle",
        "value": {"framesCount": 8, "duration": 0.32, "sequence": [{**key(7, 90), "y": 0}]},
    }
    tasks = [
        {"data": {"video": "/data/upload/1/clip.mp4"}, "completions": [{"by": "m", "result": [TRACK, RANGE, edge]}]},
        {"data": {"video": "/data/upload/1/clip.mp4"}, "completions": [{"by": "m", "result": [TRACK]}]},
    ]
    project = build(CONFIG, tasks, {"m": manager})
    first, second = sorted(project.tasks.values_list("pk", flat=True))
    files = run_export(project, "VIDEO_COCO")
    assert list(files) == ["result.json"]  # one JSON file, not an archive
    coco = json.loads(files["result.json"])
    assert coco["categories"] == [{"id": 1, "name": "Car"}, {"id": 2, "name": "Person"}, {"id": 3, "name": "default"}]
    assert coco["videos"] == [
        {"id": 1, "name": f"{first}-clip", "file_name": "/data/upload/1/clip.mp4", "width": 320, "height": 180,
         "fps": 25, "length": 8},
        {"id": 2, "name": f"{second}-clip", "file_name": "/data/upload/1/clip.mp4", "width": 320, "height": 180,
         "fps": 25, "length": 8},
    ]  # fmt: skip
    images = coco["images"]
    assert [im["id"] for im in images] == list(range(1, 17))  # 8 frames per video, every frame listed
    assert images[0] == {
        "id": 1, "video_id": 1, "frame_id": 0, "file_name": f"{first}-clip/img1/000001.jpg", "width": 320, "height": 180,
    }  # fmt: skip
    assert images[9] == {
        "id": 10, "video_id": 2, "frame_id": 1, "file_name": f"{second}-clip/img1/000002.jpg", "width": 320,
        "height": 180,
    }  # fmt: skip
    anns = coco["annotations"]
    assert [a["id"] for a in anns] == list(range(1, 13))  # 5 + 2 boxes in the first video, 5 in the second
    # 320x180: x 10% = 32 px, step 40% / 4 frames = 32 px; y 10% = 18, 25% x 50% = 80 x 90 px; Person = 2
    person = [a for a in anns if a["video_id"] == 1 and a["instance_id"] == 1]
    assert [(a["image_id"], a["bbox"]) for a in person] == [
        (1, [32, 18, 80, 90]),
        (2, [64, 18, 80, 90]),
        (3, [96, 18, 80, 90]),
        (4, [128, 18, 80, 90]),
        (5, [160, 18, 80, 90]),
    ]  # fmt: skip  (frame 5 switches the track off: no box after it)
    assert {(a["category_id"], a["area"], a["iscrowd"]) for a in person} == {(2, 7200, 0)}
    # the unlabelled track: 90% = 288 px, 80 px wide ends at 368, clipped to 320; held to the last frame
    edge_anns = [a for a in anns if a["instance_id"] == 2]
    assert [(a["image_id"], a["video_id"], a["category_id"], a["bbox"], a["area"]) for a in edge_anns] == [
        (7, 1, 3, [288, 0, 32, 90], 2880), (8, 1, 3, [288, 0, 32, 90], 2880),
    ]  # fmt: skip
    # the second task's track is another instance, on the second video's frames
    again = [a for a in anns if a["video_id"] == 2]
    assert {a["instance_id"] for a in again} == {3} and [a["image_id"] for a in again] == [9, 10, 11, 12, 13]
    # every annotation's image is a frame of its video
    by_id = {im["id"]: im for im in images}
    assert all(by_id[a["image_id"]]["video_id"] == a["video_id"] for a in anns)


def test_coco_video_needs_video_rectangles(manager):
    from labelstudio.core.exceptions import ApplicationError

    series = build(SERIES, [{"data": {"csv": "/data/x.csv"}}], {"m": manager})
    with pytest.raises(ApplicationError, match="VideoRectangle"):
        run_export(series, "VIDEO_COCO")
