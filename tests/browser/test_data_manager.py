"""The data manager: columns from data keys, filters, keyset paging, selection actions."""

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import login, shoot
from tests.browser.helpers import labeling_project
from tests.browser.test_labeling import TEXT_CLASSIFICATION

pytestmark = [pytest.mark.browser, pytest.mark.live]


def test_filter_page_and_delete(page, live_server, users):
    from annotators.services import completion_create
    from tasks.models import Task

    project, tasks = labeling_project(
        users,
        TEXT_CLASSIFICATION,
        [{"text": f"review number {i} {'apple' if i % 10 == 0 else 'pear'}"} for i in range(60)],
    )
    for t in tasks[:3]:
        completion_create(
            task=t,
            user=users["ann1"],
            result=[
                {"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Positive"]}}
            ],
        )
    login(page, live_server, users["manager"])
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    table = page.locator("#tasks")
    expect(table.locator("thead")).to_contain_text("text")  # a column per data key
    expect(table.locator("tbody tr[data-task]")).to_have_count(50)
    shoot(page, "data-manager")

    page.click("#next-page")
    expect(table.locator("tbody tr[data-task]")).to_have_count(10)
    assert "after=" in page.url
    page.click("#prev-page")
    expect(table.locator("tbody tr[data-task]")).to_have_count(50)
    expect(table.locator("tbody tr[data-task]").first).to_have_attribute("data-task", str(tasks[0].pk))

    page.fill("#filter-text", "apple")
    page.click("#apply-filters")
    expect(table.locator("tbody tr[data-task]")).to_have_count(6)

    page.goto(f"{live_server.url}/projects/{project.pk}/?is_labeled=true")
    expect(table.locator("tbody tr[data-task]")).to_have_count(3)
    page.select_option("#filter-annotator", str(users["ann1"].pk))
    page.select_option("#filter-labeled", "")
    page.click("#apply-filters")
    expect(table.locator("tbody tr[data-task]")).to_have_count(3)

    # sort by completions, descending: the labeled ones first
    page.goto(f"{live_server.url}/projects/{project.pk}/?sort=completions&desc=1")
    expect(table.locator("tbody tr[data-task]").first.locator("td.num").nth(1)).to_contain_text("1")

    # select two tasks with the keyboard and delete them
    page.goto(f"{live_server.url}/projects/{project.pk}/?text=apple")
    page.keyboard.press("j")
    page.keyboard.press("x")
    page.keyboard.press("j")
    page.keyboard.press("x")
    expect(page.locator("#selected-count")).to_have_text("2")
    page.once("dialog", lambda d: d.accept())
    page.locator('[data-action="delete"]').click()
    expect(page.locator("#flash")).to_contain_text("Deleted 2 task(s)")
    expect(table.locator("tbody tr[data-task]")).to_have_count(4)
    assert Task.objects.filter(project=project).count() == 58


def test_keyset_paging_reaches_the_last_page(page, live_server, users):
    project = factories.make_project(created_by=users["manager"])
    from tasks.models import Task

    Task.objects.bulk_create([Task(project=project, data={"text": f"t{i}"}) for i in range(230)])
    login(page, live_server, users["manager"])
    page.goto(f"{live_server.url}/projects/{project.pk}/?page_size=100")
    rows = page.locator("#tasks tbody tr[data-task]")
    counts = []
    while True:
        expect(rows.first).to_be_visible()
        counts.append(rows.count())
        if page.locator("#next-page").count() == 0:
            break
        first = rows.first.get_attribute("data-task")
        page.click("#next-page")
        expect(rows.first).not_to_have_attribute("data-task", first)  # the next page has arrived
    assert counts == [100, 100, 30]
