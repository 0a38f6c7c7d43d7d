"""Video tracks and time series in real Chromium: a track over two keyframes (the box between them
is interpolated, as Label Studio's exporter computes it from the submitted keyframes), frame steps
by key, a time range and an instant on a three-channel series loaded from a CSV URL."""

import shutil
from datetime import datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from projects.label_config import parse
from tasks.exporters.tracks import interpolate_key_frames
from tests.browser.conftest import login, shoot
from tests.browser.helpers import completion_of, drag, labeling_project, open_stream, submit

SAMPLES = Path(__file__).resolve().parents[2] / "static" / "samples"

VIDEO = """<View>
  <Labels name="videoLabels" toName="video"><Label value="Car"/><Label value="Person"/></Labels>
  <Video name="video" value="$video" frameRate="25"/>
  <VideoRectangle name="box" toName="video"/>
</View>"""

SERIES = """<View>
  <TimeSeriesLabels name="label" toName="ts"><Label value="Run"/><Label value="Change"/></TimeSeriesLabels>
  <TimeSeries name="ts" valueType="url" value="$csv" sep="," timeColumn="time"
              timeFormat="%Y-%m-%d %H:%M:%S.%f" overviewChannels="velocity">
    <Channel column="velocity" legend="Velocity" strokeColor="#1f77b4"/>
    <Channel column="acceleration" legend="Acceleration" strokeColor="#ff7f0e"/>
    <Channel column="signal" legend="Signal" strokeColor="#2ca02c"/>
  </TimeSeries>
</View>"""


def box_of(area):
    style = area.locator(".ls-video-box.ls-region").first.evaluate(
        "el => [el.style.left, el.style.top, el.style.width, el.style.height].map(parseFloat)"
    )
    return dict(zip(("x", "y", "width", "height"), style, strict=True))


def test_track_over_two_keyframes_and_frame_steps(page, live_server, users, media):
    shutil.copy(SAMPLES / "sample.mp4", media.path / "sample.mp4")
    project, (task,) = labeling_project(users, VIDEO, [{"video": f"{media.url}/sample.mp4"}])
    login(page, live_server, users["ann1"])
    area = open_stream(page, live_server, project)
    video = area.locator(".ls-video")
    expect(area.locator(".ls-video-total")).to_have_text("/ 100")  # 4 s at 25 frames/s
    frame = area.locator(".ls-video-frame")
    expect(frame).to_have_value("1")
    page.keyboard.press(".")
    page.keyboard.press(".")
    expect(frame).to_have_value("3")
    page.keyboard.press(",")
    expect(frame).to_have_value("2")
    expect(video).to_have_attribute("data-frame", "2")
    page.evaluate("() => new Promise(r => requestAnimationFrame(r))")

    area.locator('.ls-label[data-control="videoLabels"][data-value="Car"]').click()
    drag(page, area.locator(".ls-video-overlay"), (0.1, 0.2), (0.3, 0.5))  # keyframe at frame 2
    expect(area.locator(".ls-video-box.ls-region")).to_have_count(1)
    first = box_of(area)

    frame.fill("22")
    frame.press("Enter")
    expect(video).to_have_attribute("data-frame", "22")
    expect(area.locator(".ls-video-box.ls-region")).to_have_count(1)  # held after the last keyframe
    drag(page, area.locator(".ls-video-box.ls-region"), (0.5, 0.5), (2.5, 1.0))  # move it: keyframe at 22
    expect(area.locator(".ls-video-keyframe")).to_have_count(2)
    second = box_of(area)
    assert second["x"] > first["x"] + 10

    frame.fill("12")
    frame.press("Enter")
    expect(video).to_have_attribute("data-frame", "12")
    shown = box_of(area)
    assert shown["x"] == pytest.approx((first["x"] + second["x"]) / 2, abs=0.05)  # halfway, interpolated
    shoot(page, "label-video-track")
    submit(page, task)

    (item,) = completion_of(task, users["ann1"]).result
    assert item["type"] == "videorectangle" and item["from_name"] == "box" and item["to_name"] == "video"
    value = item["value"]
    assert (
        value["labels"] == ["Car"] and value["framesCount"] == 100 and value["duration"] == pytest.approx(4, abs=0.05)
    )
    assert [k["frame"] for k in value["sequence"]] == [2, 22]
    assert parse(VIDEO).validate_result([item]) == []
    assert set(value["sequence"][0]) == {"frame", "time", "x", "y", "width", "height", "rotation", "enabled"}
    assert all(k["enabled"] is True for k in value["sequence"])
    assert [k["time"] for k in value["sequence"]] == pytest.approx([2 / 25, 22 / 25])  # frame / frameRate, as LS
    (expanded,) = interpolate_key_frames([item])  # Label Studio's rule: one box per frame
    at12 = next(k for k in expanded["value"]["sequence"] if k["frame"] == 12)
    assert at12["auto"] is True
    for key in ("x", "y", "width", "height"):
        assert at12[key] == pytest.approx(shown[key], abs=0.05)


def test_time_range_and_instant_on_a_csv_series(page, live_server, users, media):
    shutil.copy(SAMPLES / "sample-timeseries.csv", media.path / "series.csv")
    project, (task,) = labeling_project(users, SERIES, [{"csv": f"{media.url}/series.csv"}])
    login(page, live_server, users["ann1"])
    area = open_stream(page, live_server, project)
    expect(area.locator(".ls-ts-status")).to_have_text("600 points × 3 channel(s)")
    expect(area.locator(".ls-ts-channel")).to_have_count(3)
    area.locator('.ls-label[data-control="label"][data-value="Run"]').click()
    velocity = area.locator('.ls-ts-channel[data-column="velocity"]')
    drag(page, velocity, (0.25, 0.5), (0.5, 0.5))
    expect(velocity.locator(".ls-ts-region")).to_have_count(1)
    page.keyboard.press("Escape")  # deselect the new range, so the next label is a drawing label
    area.locator('.ls-label[data-control="label"][data-value="Change"]').click()
    signal = area.locator('.ls-ts-channel[data-column="signal"]')
    box = signal.bounding_box()
    page.mouse.dblclick(box["x"] + box["width"] * 0.75, box["y"] + box["height"] / 2)
    expect(signal.locator(".ls-ts-region")).to_have_count(2)
    expect(signal.locator(".ls-ts-region.ls-instant")).to_have_count(1)
    shoot(page, "label-timeseries")
    submit(page, task)

    items = sorted(completion_of(task, users["ann1"]).result, key=lambda it: it["value"]["instant"])
    assert [it["type"] for it in items] == ["timeserieslabels", "timeserieslabels"]
    run, change = (it["value"] for it in items)
    assert run["timeserieslabels"] == ["Run"] and run["instant"] is False
    assert change["timeserieslabels"] == ["Change"] and change["instant"] is True
    assert change["start"] == change["end"]
    # x-axis values written in the config's timeFormat, snapped to samples; 600 rows 100 ms apart from
    # 12:00:00, so a quarter, a half and three quarters of the width are about 15, 30 and 45 s
    start = datetime(2024, 1, 1, 12)
    seconds = [
        (datetime.strptime(v, "%Y-%m-%d %H:%M:%S.%f") - start).total_seconds()
        for v in (run["start"], run["end"], change["start"])
    ]
    assert seconds == pytest.approx([15, 30, 45], abs=1.5)
    assert all(round(s * 10) == pytest.approx(s * 10, abs=1e-6) for s in seconds)  # on a sample
    assert parse(SERIES).validate_result(items) == []  # accepted by our own check, as on submit


TIMELINE = """<View>
  <Video name="video" value="$video" frameRate="25"/>
  <TimelineLabels name="events" toName="video"><Label value="Moving"/><Label value="Still"/></TimelineLabels>
</View>"""


def test_timeline_ranges_by_drag_and_by_key(page, live_server, users, media):
    shutil.copy(SAMPLES / "sample.mp4", media.path / "sample.mp4")
    project, (task,) = labeling_project(users, TIMELINE, [{"video": f"{media.url}/sample.mp4"}])
    login(page, live_server, users["ann1"])
    area = open_stream(page, live_server, project)
    expect(area.locator(".ls-video-total")).to_have_text("/ 100")
    area.locator('.ls-label[data-control="events"][data-value="Moving"]').click()
    drag(page, area.locator(".ls-video-timeline"), (0.105, 0.5), (0.295, 0.5))  # frames 11..30
    expect(area.locator(".ls-video-range.ls-region")).to_have_count(1)
    page.keyboard.press("Escape")
    area.locator('.ls-label[data-control="events"][data-value="Still"]').click()
    frame = area.locator(".ls-video-frame")
    frame.fill("50")
    frame.press("Enter")
    page.locator("body").click(position={"x": 5, "y": 5})  # leave the frame box: keys go to the player
    page.keyboard.press("[")
    for _ in range(5):
        page.keyboard.press(".")
    page.keyboard.press("]")
    expect(area.locator(".ls-video-range.ls-region")).to_have_count(2)
    submit(page, task)
    result = completion_of(task, users["ann1"]).result
    by_label = {item["value"]["timelinelabels"][0]: item for item in result}
    assert all(item["type"] == "timelinelabels" and item["to_name"] == "video" for item in result)
    moving = by_label["Moving"]["value"]["ranges"]
    assert (
        len(moving) == 1
        and moving[0]["start"] == pytest.approx(11, abs=1)
        and moving[0]["end"] == pytest.approx(30, abs=1)
    )
    assert by_label["Still"]["value"]["ranges"] == [{"start": 50, "end": 55}]
    assert parse(TIMELINE).validate_result(result) == []
