"""Locks follow people: the task an annotator holds goes back to the queue when they close the page
(pagehide + sendBeacon), and meanwhile the other annotator is told that others are working on it —
not that they are done — and gets it as soon as it is free."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import TIMEOUT_MS, VIEWPORT, login
from tests.browser.helpers import labeling_project, open_stream
from tests.browser.test_labeling import TEXT_CLASSIFICATION

pytestmark = [pytest.mark.browser, pytest.mark.live]


def test_closing_the_page_hands_the_task_to_the_next_annotator(page, browser, live_server, users):
    from annotators.models import TaskLock

    project, (task,) = labeling_project(users, TEXT_CLASSIFICATION, [{"text": "only one"}], maximum_annotations=1)
    assert project.task_lock_ttl >= 60  # only the beacon can free it within the test's wait

    # A opens the task: it is locked for A
    alice = page.context.browser.new_context(viewport=VIEWPORT).new_page()
    alice.context.set_default_timeout(TIMEOUT_MS)
    login(alice, live_server, users["ann1"])
    open_stream(alice, live_server, project)
    expect(alice.locator("#task-title")).to_have_text(f"Task #{task.pk}")
    assert TaskLock.objects.filter(task=task, user=users["ann1"]).exists()

    # B finds only that task: told someone is on it, not "you have labeled every task"
    login(page, live_server, users["ann2"])
    page.goto(f"{live_server.url}/projects/{project.pk}/label/")
    expect(page.locator("#stream-waiting")).to_be_visible()
    expect(page.locator("#stream-waiting")).to_contain_text("1 task is being labeled by others right now")
    expect(page.locator("#stream-done")).to_be_hidden()

    # A closes the page; B's page asks again and gets the task within seconds
    alice.close(run_before_unload=True)
    expect(page.locator("#task-title")).to_have_text(f"Task #{task.pk}")
    expect(page.locator("#labeling .ls-root")).to_be_visible()
    assert list(TaskLock.objects.filter(task=task).values_list("user", flat=True)) == [users["ann2"].pk]
    alice.context.close()


def test_heartbeat_keeps_the_lock_while_the_page_is_open(page, live_server, users):
    """The page extends its lock (POST /api/tasks/{id}/lock) while it shows the task."""
    from datetime import timedelta

    from django.utils import timezone

    from annotators.models import TaskLock

    project, (task,) = labeling_project(
        users, TEXT_CLASSIFICATION, [{"text": "kept"}], maximum_annotations=1, task_lock_ttl=15
    )
    login(page, live_server, users["ann1"])
    open_stream(page, live_server, project)
    lock = TaskLock.objects.get(task=task, user=users["ann1"])
    t0 = timezone.now()
    TaskLock.objects.filter(pk=lock.pk).update(expire_at=t0 + timedelta(seconds=10))
    beat = f"/api/tasks/{task.pk}/lock"
    with page.expect_response(lambda r: r.url.endswith(beat) and r.request.method == "POST") as response:
        pass  # the page's heartbeat (every ttl/3 = 5 s)
    assert response.value.status == 200
    assert TaskLock.objects.get(pk=lock.pk).expire_at > t0 + timedelta(seconds=11)


def test_a_reloaded_page_takes_its_task_again(page, live_server, users):
    """Reloading gives the lock back on pagehide; the reloaded page (``?task=``) takes it again."""
    from annotators.models import TaskLock

    project, (task, _) = labeling_project(
        users, TEXT_CLASSIFICATION, [{"text": "a"}, {"text": "b"}], maximum_annotations=1
    )
    login(page, live_server, users["ann1"])
    open_stream(page, live_server, project)
    expect(page.locator("#task-title")).to_have_text(f"Task #{task.pk}")
    beat = f"/api/tasks/{task.pk}/lock"
    with page.expect_response(lambda r: r.url.endswith(beat) and r.request.method == "POST") as response:
        page.reload()
    assert response.value.status == 200
    expect(page.locator("#task-title")).to_have_text(f"Task #{task.pk}")
    assert TaskLock.objects.filter(task=task, user=users["ann1"]).exists()
