"""The export page says "completed with warnings" and lists what was left out when a media file of
the project cannot be included, instead of a plain success."""

import io
import zipfile

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import login
from tests.browser.helpers import labeling_project

pytestmark = [pytest.mark.browser, pytest.mark.live]

IMAGE_CONFIG = """<View>
  <Image name="image" value="$image"/>
  <RectangleLabels name="box" toName="image"><Label value="Car"/></RectangleLabels>
</View>"""


def test_missing_upload_is_a_warning_on_the_export_page(page, live_server, users):
    from PIL import Image

    from annotators.services import completion_create
    from tasks.importers.files import job_dir

    project, _ = labeling_project(users, IMAGE_CONFIG, [])
    folder = job_dir(project.pk, 1)
    folder.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (40, 30)).save(folder / "here.png")
    box = {"from_name": "box", "to_name": "image", "type": "rectanglelabels"}
    box["value"] = {"x": 10, "y": 10, "width": 20, "height": 20, "rectanglelabels": ["Car"]}
    for name in ("here.png", "gone.png"):
        task = factories.make_task(project, {"image": f"/data/upload/{project.pk}/1/{name}"})
        completion_create(task=task, user=users["ann1"], result=[box])

    login(page, live_server, users["manager"])
    page.goto(f"{live_server.url}/projects/{project.pk}/export/")
    page.check('#formats input[value="COCO"]')
    page.check("input[name=include_images]")
    page.click("#export-submit")
    expect(page.locator("#export-status")).to_have_text("completed with warnings")
    expect(page.locator("#export-errors")).to_contain_text("image not included")
    expect(page.locator("#export-errors")).to_contain_text("gone.png")
    expect(page.locator("#export-rows tr[data-export]").first).to_contain_text("completed with warnings")
    with page.expect_download() as info:
        page.click("#export-download")
    with zipfile.ZipFile(io.BytesIO(open(info.value.path(), "rb").read())) as zf:
        assert "images/here.png" in zf.namelist() and "images/gone.png" not in zf.namelist()
