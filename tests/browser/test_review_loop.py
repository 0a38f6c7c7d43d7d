"""The review loop, closed in the UI, with three people: an annotator submits, a reviewer rejects
with a comment in the labeling view, the rejected task comes back to the annotator first with the
comment beside it, the annotator resubmits, the reviewer corrects it in the labeling view and sees
the history, and the JSON export carries the correction linked to the original."""

import json

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import TIMEOUT_MS, VIEWPORT, login
from tests.browser.helpers import labeling_project, open_stream, submit
from tests.browser.test_labeling import TEXT_CLASSIFICATION

pytestmark = [pytest.mark.browser, pytest.mark.live]


def other_page(browser, live_server, user):
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    login(page, live_server, user)
    return page


def pick(area, value):
    area.locator(f'[data-control="sentiment"][data-value="{value}"]').click()


def test_reject_resubmit_correct_and_export(page, browser, live_server, users):
    from annotators.models import Completion, ReviewEvent
    from projects.services import membership_set

    project, (first, second) = labeling_project(
        users, TEXT_CLASSIFICATION, [{"text": "one"}, {"text": "two"}], maximum_annotations=1
    )
    reviewer = factories.make_user("rita")
    membership_set(project=project, user=reviewer, role="reviewer")

    # the annotator submits the first task and moves on to the second (which they now hold)
    login(page, live_server, users["ann1"])
    area = open_stream(page, live_server, project)
    expect(page.locator("#task-title")).to_have_text(f"Task #{first.pk}")
    pick(area, "Positive")
    submit(page, first)
    expect(page.locator("#task-title")).to_have_text(f"Task #{second.pk}")
    original = Completion.objects.get(task=first, completed_by=users["ann1"])

    # the reviewer opens it from the review queue in the labeling view, with its result, and rejects it
    rev = other_page(browser, live_server, reviewer)
    rev.goto(f"{live_server.url}/projects/{project.pk}/review/")
    rev.locator(f'tr[data-completion="{original.pk}"] [data-label]').click()
    rev_area = rev.locator("#labeling")
    expect(rev_area.locator('[data-control="sentiment"][data-value="Positive"]')).to_have_attribute(
        "aria-checked", "true"
    )
    rev.fill("#review-comment", "The review is negative, read the last sentence.")
    rev.click("#review-reject")
    expect(rev.locator("#task-state")).to_have_text("rejected")
    original.refresh_from_db()
    assert original.review_status == "rejected"

    # the annotator's stream brings the rejected task back first, marked, with the comment beside it
    page.goto(f"{live_server.url}/projects/{project.pk}/label/")  # the Label tab
    expect(page.locator("#task-title")).to_have_text(f"Task #{first.pk}")
    expect(page.locator("#task-state")).to_have_text("rejected")
    expect(page.locator("#review-note")).to_contain_text("The review is negative, read the last sentence.")
    expect(page.locator("#review-note")).to_contain_text("rita")
    expect(area.locator('[data-control="sentiment"][data-value="Positive"]')).to_have_attribute("aria-checked", "true")
    pick(area, "Negative")
    area.locator(".ls-update").click()
    expect(page.locator("#stream-message")).to_contain_text(f"Task #{first.pk} resubmitted for review")
    expect(page.locator("#task-title")).to_have_text(f"Task #{second.pk}")  # on to the held task
    original.refresh_from_db()
    assert original.review_status == "" and original.result[0]["value"]["choices"] == ["Negative"]

    # back in the review queue; the reviewer opens it, sees the history and corrects it
    rev.goto(f"{live_server.url}/projects/{project.pk}/review/")
    rev.locator(f'tr[data-completion="{original.pk}"] [data-label]').click()
    history = rev.locator("#review-history-list li")
    expect(history).to_have_count(3)
    expect(history.nth(0)).to_have_attribute("data-action", "submitted")
    expect(history.nth(0)).to_contain_text("Positive")
    expect(history.nth(1)).to_have_attribute("data-action", "rejected")
    expect(history.nth(1)).to_contain_text("read the last sentence")
    expect(history.nth(2)).to_have_attribute("data-action", "resubmitted")
    expect(history.nth(2)).to_contain_text("Negative")
    pick(rev_area, "Neutral")
    rev_area.locator(".ls-update").click()
    expect(rev.locator("#stream-message")).to_contain_text("Correction saved")
    expect(history).to_have_count(4)
    expect(history.nth(3)).to_have_attribute("data-action", "corrected")
    correction = Completion.objects.get(task=first, completed_by=reviewer)
    assert correction.parent_completion_id == original.pk
    assert [e.action for e in ReviewEvent.objects.filter(completion=original)] == [
        "rejected",
        "resubmitted",
        "corrected",
    ]
    rev.context.close()

    # the manager's JSON export shows the correction, linked to the original
    man = other_page(browser, live_server, users["manager"])
    man.goto(f"{live_server.url}/projects/{project.pk}/export/")
    man.check('#formats input[value="JSON"]')
    man.click("#export-submit")
    expect(man.locator("#export-status")).to_have_text("succeeded")
    with man.expect_download() as info:
        man.click("#export-download")
    exported = {t["id"]: t for t in json.loads(open(info.value.path()).read())}
    annotations = {a["id"]: a for a in exported[first.pk]["annotations"]}
    assert annotations[correction.pk]["result"][0]["value"]["choices"] == ["Neutral"]
    assert annotations[correction.pk]["parent_annotation"] == original.pk
    assert annotations[original.pk]["review_status"] == "fixed"
    man.context.close()
