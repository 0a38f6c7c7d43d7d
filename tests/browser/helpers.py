"""Shared steps of the browser tests: make a labeling project, open the label stream, submit."""

from __future__ import annotations

from playwright.sync_api import expect

from tests import factories


def labeling_project(users, config: str, tasks: list[dict], **settings):
    """A project made by the manager with the two annotators as members, and its tasks."""
    from projects.services import membership_set

    project = factories.make_project(created_by=users["manager"], label_config=config, **settings)
    for key in ("ann1", "ann2"):
        membership_set(project=project, user=users[key], role="annotator")
    made = [factories.make_task(project, data) for data in tasks]
    return project, made


def no_favicon(page):
    """Answer the browser's /favicon.ico request (the app has none), so a test can assert that the
    page logged no errors at all."""
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))


def open_stream(page, live_server, project, task=None):
    url = f"{live_server.url}/projects/{project.pk}/label/"
    if task is not None:
        url += f"?task={task.pk}"
    page.goto(url)
    expect(page.locator("#labeling .ls-root")).to_be_visible()
    return page.locator("#labeling")


def submit(page, task):
    page.locator("#labeling .ls-submit").click()
    expect(page.locator("#stream-message")).to_contain_text(f"Task #{task.pk} submitted")


def completion_of(task, user):
    from annotators.models import Completion

    return Completion.objects.get(task=task, completed_by=user)


def reopen_and_expect_completion(page, live_server, project, task):
    """Reload the task in the stream: the saved completion is loaded, ready to update."""
    area = open_stream(page, live_server, project, task)
    expect(area.locator(".ls-update")).to_be_visible()
    expect(page.locator("#task-state")).to_have_text("completed")
    return area


def visible_box(locator) -> dict:
    """The element's box once it is shown. ``bounding_box()`` is None for an element removed in
    the meantime: the video tag's redraw replaces its region boxes (a CI run failed on that), so
    the locator is resolved again until it measures one that stays."""
    for _ in range(3):
        locator.wait_for(state="visible")
        box = locator.bounding_box()
        if box is not None:
            return box
    raise AssertionError(f"{locator} is never shown long enough to be measured")


def drag(page, locator, start: tuple[float, float], end: tuple[float, float], steps: int = 8):
    """Press at ``start`` and release at ``end``, both as fractions of the element's box."""
    box = visible_box(locator)
    x0, y0 = box["x"] + box["width"] * start[0], box["y"] + box["height"] * start[1]
    x1, y1 = box["x"] + box["width"] * end[0], box["y"] + box["height"] * end[1]
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move(x1, y1, steps=steps)
    page.mouse.up()


def click_at(page, locator, fx: float, fy: float):
    box = visible_box(locator)
    page.mouse.click(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
