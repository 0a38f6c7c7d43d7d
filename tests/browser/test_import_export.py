"""Import a file through the import page (drag-and-drop upload) and export through the export page."""

import json
import re

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import login, shoot
from tests.browser.helpers import labeling_project
from tests.browser.test_labeling import TEXT_CLASSIFICATION

pytestmark = [pytest.mark.browser, pytest.mark.live]


def _drop_files(page, selector: str, files: dict[str, str]):
    """Drop files on an element the way a browser does (a DataTransfer on a drop event)."""
    handle = page.evaluate_handle(
        """(files) => { const dt = new DataTransfer();
            for (const [name, text] of Object.entries(files)) dt.items.add(new File([text], name, {type: 'application/json'}));
            return dt; }""",
        files,
    )
    page.dispatch_event(selector, "dragenter", {"dataTransfer": handle})
    page.dispatch_event(selector, "drop", {"dataTransfer": handle})


def test_import_a_file_then_see_the_tasks(page, live_server, users):
    project = factories.make_project(created_by=users["manager"], label_config=TEXT_CLASSIFICATION)
    login(page, live_server, users["manager"])
    page.goto(f"{live_server.url}/projects/{project.pk}/import/")
    tasks = [{"text": f"imported review {i}"} for i in range(12)]
    _drop_files(page, "#dropzone", {"reviews.json": json.dumps(tasks)})
    expect(page.locator("#file-list li")).to_have_count(1)
    expect(page.locator("#file-list")).to_contain_text("reviews.json")
    page.click("#upload-submit")
    expect(page.locator("#job-status")).to_have_text("succeeded")
    expect(page.locator("#job-result")).to_contain_text("12")
    expect(page.locator("#history-rows tr")).to_have_count(1)
    shoot(page, "import")
    page.locator("#job-result a").click()
    expect(page.locator("#tasks tbody tr[data-task]")).to_have_count(12)


def test_import_errors_are_shown(page, live_server, users):
    project = factories.make_project(created_by=users["manager"], label_config=TEXT_CLASSIFICATION)
    login(page, live_server, users["manager"])
    page.goto(f"{live_server.url}/projects/{project.pk}/import/")
    page.fill("#import-json", json.dumps([{"text": "fine"}, {"wrong_key": "no text here"}]))
    page.click("#paste-form button[type=submit]")
    expect(page.locator("#job-status")).to_have_text("failed")
    expect(page.locator("#job-errors .error-item").first).to_contain_text("text")
    from tasks.models import Task

    assert Task.objects.filter(project=project).count() == 0  # all-or-nothing
    # issue 11: a failed import is a red bar, progress has a unit, and the recommended
    # commit_mode=skip_bad_rows is offered by the page itself
    expect(page.locator("#job-bar")).to_have_class("done failed")
    expect(page.locator("#job-progress")).to_have_text(re.compile(r"^\d+ B of \d+ B read$"))
    expect(page.locator("#job-result")).to_contain_text("commit_mode=skip_bad_rows")
    expect(page.locator("#history-rows")).to_contain_text(re.compile(r"\d+ B of \d+ B"))
    page.check("#skip-bad-rows")
    page.click("#paste-form button[type=submit]")
    expect(page.locator("#job-status")).to_have_text("succeeded")
    expect(page.locator("#job-bar")).to_have_class("done")
    expect(page.locator("#job-errors .error-item")).to_have_count(1)
    assert Task.objects.filter(project=project).count() == 1


def test_export_with_progress_and_download(page, live_server, users):
    from annotators.services import completion_create

    project, tasks = labeling_project(users, TEXT_CLASSIFICATION, [{"text": f"review {i}"} for i in range(5)])
    for t in tasks[:2]:
        completion_create(
            task=t,
            user=users["ann1"],
            result=[
                {"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Positive"]}}
            ],
        )
    login(page, live_server, users["manager"])
    page.goto(f"{live_server.url}/projects/{project.pk}/export/")
    formats = page.locator("#formats input[name=format]")
    expect(formats.first).to_be_visible()
    page.check('#formats input[value="JSON"]')
    page.check("input[name=only_completed]")
    page.click("#export-submit")
    expect(page.locator("#export-status")).to_have_text("succeeded")
    expect(page.locator("#export-summary")).to_contain_text("2 tasks")
    shoot(page, "export", full_page=True)
    with page.expect_download() as info:
        page.click("#export-download")
    exported = json.loads(open(info.value.path()).read())
    assert len(exported) == 2 and all(t["annotations"] for t in exported)
    expect(page.locator("#export-rows tr[data-export]")).to_have_count(1)


def test_export_a_data_manager_selection_and_add_a_schedule(page, live_server, users):
    project, tasks = labeling_project(users, TEXT_CLASSIFICATION, [{"text": f"review {i}"} for i in range(5)])
    login(page, live_server, users["manager"])
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    for t in tasks[1:3]:
        page.check(f'.select-task[value="{t.pk}"]')
    page.locator('[data-action="export"]').click()
    expect(page.locator("#selection-badge")).to_have_text("2 selected tasks")
    page.check('#formats input[value="JSON"]')
    page.click("#export-submit")
    expect(page.locator("#export-status")).to_have_text("succeeded")
    with page.expect_download() as info:
        page.click("#export-download")
    assert sorted(t["id"] for t in json.loads(open(info.value.path()).read())) == [tasks[1].pk, tasks[2].pk]

    # issue 11: a bad schedule is explained at the form, on the field it names, not in the page-top flash
    page.fill("#schedule-form input[name=title]", "Nightly")
    page.fill("#schedule-form input[name=cron]", "every night")
    page.fill("#schedule-form input[name=local_path]", "nightly")
    page.click("#schedule-form button[type=submit]")
    expect(page.locator("#schedule-form #schedule-error")).to_contain_text("cron needs five fields")
    expect(page.locator("#schedule-form input[name=cron]")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#flash")).not_to_contain_text("Could not add")
    page.fill("#schedule-form input[name=cron]", "")
    page.fill("#schedule-form input[name=interval_hours]", "24")
    page.click("#schedule-form button[type=submit]")
    expect(page.locator("#schedule-rows tr[data-schedule]")).to_have_count(1)
    expect(page.locator("#schedule-error")).to_be_hidden()
    expect(page.locator("#schedule-rows")).to_contain_text("every 24 h")
