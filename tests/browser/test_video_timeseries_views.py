"""Video tracks, timeline ranges and time-series regions outside the label stream, in real Chromium:
the compare view (read-only, one column per annotator), the review page (the reviewer opens a
completion in the labeling view and can correct it) and the embeddable interface (read-only and
editable)."""

import shutil

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import login
from tests.browser.helpers import drag, labeling_project, open_stream
from tests.browser.test_embed_example import embed_page
from tests.browser.test_embed_example import page as embed_tab  # noqa: F401  (file:// page fixture)
from tests.browser.test_video_timeseries import SAMPLES

pytestmark = [pytest.mark.browser]

CONFIG = """<View>
  <Labels name="videoLabels" toName="video"><Label value="Car"/><Label value="Person"/></Labels>
  <Video name="video" value="$video" frameRate="25"/>
  <VideoRectangle name="box" toName="video"/>
  <TimelineLabels name="events" toName="video"><Label value="Moving"/></TimelineLabels>
  <TimeSeriesLabels name="label" toName="ts"><Label value="Run"/><Label value="Change"/></TimeSeriesLabels>
  <TimeSeries name="ts" value="$ts" timeColumn="t" timeDisplayFormat=",.1f">
    <Channel column="a" legend="A"/>
    <Channel column="b" legend="B"/>
  </TimeSeries>
</View>"""

SERIES = {"t": list(range(100)), "a": [i % 10 for i in range(100)], "b": [(i * 7) % 13 for i in range(100)]}


def track(x, label="Car"):
    return {
        "from_name": "box",
        "to_name": "video",
        "type": "videorectangle",
        "value": {
            "framesCount": 100,
            "duration": 4,
            "labels": [label],
            "sequence": [
                {"frame": 1, "time": 0.04, "x": x, "y": 10, "width": 20, "height": 20, "rotation": 0, "enabled": True},
                {
                    "frame": 50,
                    "time": 2.0,
                    "x": x + 20,
                    "y": 10,
                    "width": 20,
                    "height": 20,
                    "rotation": 0,
                    "enabled": True,
                },
            ],
        },
    }


def timeline(start, end):
    return {
        "from_name": "events",
        "to_name": "video",
        "type": "timelinelabels",
        "value": {"ranges": [{"start": start, "end": end}], "timelinelabels": ["Moving"]},
    }


def ts_region(start, end, label="Run"):
    return {
        "from_name": "label",
        "to_name": "ts",
        "type": "timeserieslabels",
        "value": {"start": start, "end": end, "instant": start == end, "timeserieslabels": [label]},
    }


def result(x, ts_start):
    return [track(x), timeline(10, 30), ts_region(ts_start, ts_start + 20), ts_region(80, 80, "Change")]


def expect_regions(area, boxes=1, ranges=1, ts_regions=2):
    expect(area.locator(".ls-video-total")).to_have_text("/ 100")
    expect(area.locator(".ls-video-box.ls-region")).to_have_count(boxes)
    expect(area.locator(".ls-video-range.ls-region")).to_have_count(ranges)
    expect(area.locator(".ls-video-keyframe")).to_have_count(2 * boxes)
    expect(area.locator('.ls-ts-channel[data-column="a"] .ls-ts-region')).to_have_count(ts_regions)
    expect(area.locator('.ls-ts-channel[data-column="b"] .ls-ts-region.ls-instant')).to_have_count(1)


@pytest.mark.live
def test_compare_view_shows_tracks_ranges_and_series_regions_read_only(page, live_server, users, media):
    from annotators.services import completion_create

    shutil.copy(SAMPLES / "sample.mp4", media.path / "sample.mp4")
    data = {"video": f"{media.url}/sample.mp4", "ts": SERIES}
    project, (task,) = labeling_project(users, CONFIG, [data], maximum_annotations=2)
    completion_create(task=task, user=users["ann1"], result=result(10, 10))
    completion_create(task=task, user=users["ann2"], result=result(40, 30))

    login(page, live_server, users["manager"])
    page.goto(f"{live_server.url}/projects/{project.pk}/tasks/{task.pk}/compare/")
    columns = page.locator("#compare .compare-col.completion")
    expect(columns).to_have_count(2)
    for i, x in enumerate((10, 40)):
        col = columns.nth(i)
        expect_regions(col)
        box = col.locator(".ls-video-box.ls-region")
        assert float(box.evaluate("el => parseFloat(el.style.left)")) == pytest.approx(x)
        # read-only: no submit, the track tool disabled, dragging the box changes nothing
        expect(col.locator(".ls-submit")).to_have_count(0)
        expect(col.locator('.ls-tool[data-tool="videorectangle"]')).to_be_disabled()
        drag(page, box, (0.5, 0.5), (3, 1))
        assert float(box.evaluate("el => parseFloat(el.style.left)")) == pytest.approx(x)
        expect(col.locator('.ls-label[data-control="label"][data-value="Run"]')).to_be_disabled()
        drag(page, col.locator('.ls-ts-channel[data-column="a"]'), (0.6, 0.5), (0.7, 0.5))
        expect(col.locator('.ls-ts-channel[data-column="a"] .ls-ts-region')).to_have_count(2)
    # the differences table names the tracks, frames and series ranges
    diff = page.locator("#diff-table")
    expect(diff.locator("tr.same")).to_have_count(2)  # the timeline range and the instant
    expect(diff).to_contain_text("events: Moving frames 10–30")
    expect(diff).to_contain_text("box: Car track, keyframes 1@(10, 10) 20×20 → 50@(30, 10) 20×20")
    expect(diff).to_contain_text("label: Run 10 – 30")
    expect(diff).to_contain_text("label: Change instant 80")


@pytest.mark.live
def test_reviewer_opens_a_video_and_series_completion_and_corrects_it(page, live_server, users, media):
    from annotators.models import Completion
    from annotators.services import completion_create
    from projects.services import membership_set

    shutil.copy(SAMPLES / "sample.mp4", media.path / "sample.mp4")
    data = {"video": f"{media.url}/sample.mp4", "ts": SERIES}
    project, (task,) = labeling_project(users, CONFIG, [data], maximum_annotations=1)
    original = completion_create(task=task, user=users["ann1"], result=result(10, 10))
    reviewer = factories.make_user("rita")
    membership_set(project=project, user=reviewer, role="reviewer")

    login(page, live_server, reviewer)
    page.goto(f"{live_server.url}/projects/{project.pk}/review/")
    page.locator(f'tr[data-completion="{original.pk}"] [data-label]').click()
    area = page.locator("#labeling")
    expect_regions(area)
    # the reviewer corrects it: moves the track (a keyframe at frame 1) and adds a series range
    drag(page, area.locator(".ls-video-box.ls-region"), (0.5, 0.5), (2.0, 0.5))
    expect(area.locator(".ls-video-keyframe")).to_have_count(2)
    area.locator('.ls-label[data-control="label"][data-value="Run"]').click()
    drag(page, area.locator('.ls-ts-channel[data-column="a"]'), (0.5, 0.5), (0.7, 0.5))
    expect(area.locator('.ls-ts-channel[data-column="a"] .ls-ts-region')).to_have_count(3)
    area.locator(".ls-update").click()
    expect(page.locator("#stream-message")).to_contain_text("Correction saved")
    correction = Completion.objects.get(task=task, completed_by=reviewer)
    assert correction.parent_completion_id == original.pk
    tracks = [it for it in correction.result if it["type"] == "videorectangle"]
    (moved,) = tracks
    assert moved["value"]["sequence"][0]["frame"] == 1 and moved["value"]["sequence"][0]["x"] > 10
    assert len([it for it in correction.result if it["type"] == "timeserieslabels"]) == 3


def embed_options(read_only):
    video = (SAMPLES / "sample.mp4").as_uri()
    return {
        "config": CONFIG,
        "task": {"id": 1, "data": {"video": video, "ts": SERIES}},
        "completions": [{"id": 7, "result": result(10, 10)}],
        "readOnly": read_only,
    }


def test_embedded_interface_read_only_and_editable(embed_tab, tmp_path):  # noqa: F811
    page = embed_tab
    page.goto(embed_page(tmp_path, embed_options(True)))
    area = page.locator("#app")
    expect_regions(area)
    box = area.locator(".ls-video-box.ls-region")
    drag(page, box, (0.5, 0.5), (3, 1))
    assert float(box.evaluate("el => parseFloat(el.style.left)")) == pytest.approx(10)
    expect(area.locator(".ls-submit")).to_have_count(0)
    expect(area.locator(".ls-ts-axis span")).to_have_text(["0.0", "49.5", "99.0"])  # timeDisplayFormat, d3-style

    page.goto(embed_page(tmp_path, embed_options(False)))
    expect_regions(area)
    area.locator('.ls-label[data-control="label"][data-value="Change"]').click()
    channel = area.locator('.ls-ts-channel[data-column="b"]')
    channel.scroll_into_view_if_needed()
    bb = channel.bounding_box()
    page.mouse.dblclick(bb["x"] + bb["width"] * 0.5, bb["y"] + bb["height"] / 2)
    expect(channel.locator(".ls-ts-region.ls-instant")).to_have_count(2)
    page.keyboard.press("Escape")
    area.locator('.ls-label[data-control="videoLabels"][data-value="Person"]').click()
    area.locator(".ls-video-overlay").scroll_into_view_if_needed()
    drag(page, area.locator(".ls-video-overlay"), (0.6, 0.6), (0.8, 0.8))
    expect(area.locator(".ls-video-box.ls-region")).to_have_count(2)
    page.evaluate("() => { window.ui.options.onUpdate = (result) => { window.updated = result; }; }")
    area.locator(".ls-update").click()
    submitted = page.evaluate("() => window.updated")
    types = sorted(it["type"] for it in submitted)
    assert types.count("videorectangle") == 2 and types.count("timeserieslabels") == 3
    assert page.js_errors == []


URL_SERIES = """<View>
  <TimeSeriesLabels name="label" toName="ts"><Label value="Run"/></TimeSeriesLabels>
  <TimeSeries name="ts" valueType="url" value="$csv" timeColumn="time" timeFormat="%Y-%m-%d %H:%M:%S.%f"
              timeDisplayFormat="%H:%M:%S" multiaxis="true" overviewChannels="velocity">
    <Channel column="velocity" legend="Velocity" fixedScale="true"/>
    <Channel column="signal" legend="Signal"/>
  </TimeSeries>
</View>"""


@pytest.mark.live
def test_uploaded_csv_is_one_series_task_drawn_with_display_format_scales_and_one_axis(page, live_server, users):
    from tests.browser.test_import_export import _drop_files

    project, _ = labeling_project(users, URL_SERIES, [])
    login(page, live_server, users["manager"])
    page.goto(f"{live_server.url}/projects/{project.pk}/import/")
    expect(page.locator('#csv-as input[value="series"]')).to_be_checked()  # Label Studio's choice, series first
    _drop_files(page, "#dropzone", {"series.csv": (SAMPLES / "sample-timeseries.csv").read_text()})
    page.click("#upload-submit")
    expect(page.locator("#job-status")).to_have_text("succeeded")
    (task,) = project.tasks.all()
    assert task.data["csv"].startswith(f"/data/upload/{project.pk}/") and task.data["csv"].endswith("/series.csv")

    area = open_stream(page, live_server, project)
    expect(area.locator(".ls-ts-status")).to_have_text("600 points × 2 channel(s)")
    # multiaxis: both channels in one plot, each with its legend
    channel = area.locator(".ls-ts-channel")
    expect(channel).to_have_count(1)
    expect(channel).to_have_class("ls-ts-channel ls-ts-multiaxis")
    expect(channel.locator(".ls-ts-legend")).to_have_text(["Velocity", "Signal"])
    # timeDisplayFormat on the axis: the series runs 12:00:00.0 to 12:00:59.9
    expect(area.locator(".ls-ts-axis span").first).to_have_text("12:00:00")
    expect(area.locator(".ls-ts-axis span").last).to_have_text("12:00:59")
    ts = area.locator(".ls-ts")
    whole = ts.evaluate("el => JSON.parse(el.dataset.scales)")
    channel.scroll_into_view_if_needed()
    bb = channel.bounding_box()
    for _ in range(6):  # zoom in on the first tenth
        page.mouse.move(bb["x"] + bb["width"] * 0.05, bb["y"] + bb["height"] / 2)
        page.mouse.wheel(0, -300)
    expect(area.locator(".ls-ts-axis span").last).not_to_have_text("12:00:59")
    zoomed = ts.evaluate("el => JSON.parse(el.dataset.scales)")
    assert zoomed["velocity"] == whole["velocity"]  # fixedScale: the whole series' range
    assert zoomed["signal"] != whole["signal"]  # the visible window's range
    assert zoomed["signal"][1] - zoomed["signal"][0] < whole["signal"][1] - whole["signal"][0]

    # the other choice: a CSV that lists tasks (here one naming the stored series)
    page.goto(f"{live_server.url}/projects/{project.pk}/import/")
    page.check("#csv-as-tasks")
    _drop_files(page, "#dropzone", {"list.csv": f"csv\n{task.data['csv']}\n"})
    page.click("#upload-submit")
    expect(page.locator("#job-status")).to_have_text("succeeded")
    assert [t.data for t in project.tasks.order_by("pk")] == [task.data, task.data]
