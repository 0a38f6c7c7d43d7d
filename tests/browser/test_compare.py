"""Compare two annotators' completions side by side and pick one as ground truth."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, shoot
from tests.browser.helpers import labeling_project
from tests.browser.test_labeling import NER

pytestmark = [pytest.mark.browser, pytest.mark.live]


def span(start, end, text, label):
    return {
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "value": {"start": start, "end": end, "text": text, "labels": [label]},
    }


def test_compare_two_annotators_and_mark_ground_truth(page, live_server, users):
    from annotators.models import Completion
    from annotators.services import completion_create

    text = "Alice works at Acme in Paris."
    project, (task,) = labeling_project(users, NER, [{"text": text}], maximum_annotations=2)
    a = completion_create(
        task=task, user=users["ann1"], result=[span(0, 5, "Alice", "PER"), span(15, 19, "Acme", "ORG")], lead_time=12.5
    )
    b = completion_create(
        task=task, user=users["ann2"], result=[span(0, 5, "Alice", "PER"), span(23, 28, "Paris", "LOC")], lead_time=8.0
    )

    login(page, live_server, users["manager"])
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    row = page.locator(f'#tasks tr[data-task="{task.pk}"]')
    expect(row).to_contain_text("2")
    row.get_by_role("link", name="Compare").click()

    columns = page.locator("#compare .compare-col.completion")
    expect(columns).to_have_count(2)
    expect(columns.nth(0)).to_contain_text(users["ann1"].username)
    expect(columns.nth(1)).to_contain_text(users["ann2"].username)
    # each side renders its spans read-only
    expect(columns.nth(0).locator(".ls-text [data-id]")).to_have_count(2)
    expect(columns.nth(1).locator(".ls-text [data-id]")).to_have_count(2)
    # the differences table: the shared span agrees, the other two differ
    diff = page.locator("#diff-table")
    expect(diff.locator("tr.same")).to_have_count(1)
    expect(diff.locator("tr.diff")).to_have_count(2)
    expect(diff.locator("tr.same")).to_contain_text("PER “Alice”")
    expect(page.locator("#agreement-summary")).to_contain_text("2 of 3 answers differ")
    shoot(page, "compare", full_page=True)

    page.locator(f'.mark-gt[data-completion="{b.pk}"]').click()
    expect(page.locator("#flash")).to_contain_text("ground truth")
    expect(page.locator(f'.compare-col[data-completion="{b.pk}"]')).to_have_class(re.compile("is-gt"))
    assert Completion.objects.get(pk=b.pk).ground_truth
    assert not Completion.objects.get(pk=a.pk).ground_truth

    page.check("#only-diff")
    expect(diff.locator("tr.same")).to_have_count(0)
