"""HTTP range requests on uploaded media: what a <video> needs to seek (206 + Content-Range)."""

import pytest

from labelstudio.core.ranges import Unsatisfiable, parse_range
from tests import factories
from tests.conftest import client_for
from tests.tasks.importers.conftest import upload

VIDEO_CONFIG = (
    '<View><Video name="video" value="$video"/><Choices name="c" toName="video"><Choice value="a"/></Choices></View>'
)
BODY = bytes(range(256)) * 40  # 10,240 bytes


def test_parse_range():
    assert parse_range("bytes=0-99", 1000) == (0, 99)
    assert parse_range("bytes=900-", 1000) == (900, 999)
    assert parse_range("bytes=-100", 1000) == (900, 999)
    assert parse_range("bytes=990-5000", 1000) == (990, 999)
    assert parse_range("bytes=5-2", 1000) is None  # invalid: whole file
    assert parse_range("bytes=0-1,5-6", 1000) is None  # several ranges: whole file
    assert parse_range(None, 1000) is None
    with pytest.raises(Unsatisfiable):
        parse_range("bytes=1000-", 1000)


def test_uploaded_video_answers_ranges(manager, annotator, run_import):
    project = factories.make_project(created_by=manager, label_config=VIDEO_CONFIG)
    job = run_import(project, files=[upload("clip.mp4", BODY)])
    assert job.status == "succeeded", job.error
    url = project.tasks.get().data["video"]
    client = client_for(manager)
    whole = client.get(url)
    assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes"
    assert whole["Content-Type"] == "video/mp4"
    part = client.get(url, HTTP_RANGE="bytes=100-199")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 100-199/{len(BODY)}" and part["Content-Length"] == "100"
    assert b"".join(part.streaming_content) == BODY[100:200]
    tail = client.get(url, HTTP_RANGE="bytes=10000-")
    assert b"".join(tail.streaming_content) == BODY[10000:]
    past = client.get(url, HTTP_RANGE=f"bytes={len(BODY)}-")
    assert past.status_code == 416 and past["Content-Range"] == f"bytes */{len(BODY)}"
    assert client_for(annotator).get(url, HTTP_RANGE="bytes=0-9").status_code == 404  # not a member
