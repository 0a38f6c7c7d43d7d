"""Video and time-series results are checked against the config on submit and on import."""

import pytest

from tests import factories
from tests.conftest import client_for
from tests.tasks.importers.conftest import json_file

CONFIG = """<View>
  <Labels name="videoLabels" toName="video"><Label value="Car"/></Labels>
  <Video name="video" value="$video" frameRate="25"/>
  <VideoRectangle name="box" toName="video"/>
  <TimelineLabels name="timeline" toName="video"><Label value="Moving"/></TimelineLabels>
</View>"""
KEY = {"frame": 1, "time": 0.04, "x": 90, "y": 10, "width": 20, "height": 20, "rotation": 0, "enabled": True}
BAD_TRACK = {
    "id": "t1",
    "from_name": "box",
    "to_name": "video",
    "type": "videorectangle",
    "value": {"framesCount": 100, "duration": 4, "sequence": [KEY], "labels": ["Car"]},
}
GOOD_RANGE = {
    "id": "r1",
    "from_name": "timeline",
    "to_name": "video",
    "type": "timelinelabels",
    "value": {"ranges": [{"start": 1, "end": 9}], "timelinelabels": ["Moving"]},
}


@pytest.fixture
def video_project(manager):
    return factories.make_project(created_by=manager, label_config=CONFIG)


def test_import_refuses_a_track_outside_the_frame(video_project, run_import):
    rows = [{"data": {"video": "/data/upload/1/a.mp4"}, "annotations": [{"result": [GOOD_RANGE, BAD_TRACK]}]}]
    job = run_import(video_project, files=[json_file("tasks.json", rows)])
    assert job.status == "failed"
    assert "annotations[0].result[1].value.sequence[0].width" in job.error and "x + width must be <= 100" in job.error
    assert video_project.tasks.count() == 0
    good = [{"data": {"video": "/data/upload/1/a.mp4"}, "annotations": [{"result": [GOOD_RANGE]}]}]
    assert run_import(video_project, files=[json_file("ok.json", good)]).status == "succeeded"


def test_submit_refuses_a_backwards_range(video_project, manager):
    task = factories.make_task(video_project, {"video": "/data/upload/1/a.mp4"})
    backwards = {**GOOD_RANGE, "value": {"ranges": [{"start": 9, "end": 1}], "timelinelabels": ["Moving"]}}
    response = client_for(manager).post(f"/api/tasks/{task.pk}/annotations/", {"result": [backwards]}, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "result[0].value.ranges[0].end"
    ok = client_for(manager).post(f"/api/tasks/{task.pk}/annotations/", {"result": [GOOD_RANGE]}, format="json")
    assert ok.status_code == 201, ok.json()
