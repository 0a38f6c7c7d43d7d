"""Review queue, dashboard charts, project settings and the models page."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, shoot
from tests.browser.helpers import labeling_project
from tests.browser.test_labeling import TEXT_CLASSIFICATION

pytestmark = [pytest.mark.browser, pytest.mark.live]


def choice(label):
    return [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": [label]}}]


@pytest.fixture
def labeled(users):
    from annotators.services import completion_create

    project, tasks = labeling_project(
        users, TEXT_CLASSIFICATION, [{"text": f"review {i}"} for i in range(6)], maximum_annotations=2
    )
    for i, t in enumerate(tasks[:4]):
        completion_create(task=t, user=users["ann1"], result=choice("Positive"), lead_time=10 + i)
        completion_create(
            task=t, user=users["ann2"], result=choice("Positive" if i % 2 else "Negative"), lead_time=5 + i
        )
    return project, tasks


def test_review_queue_accept_and_reject(page, live_server, users, labeled):
    from annotators.models import Completion

    project, tasks = labeled
    login(page, live_server, users["manager"])
    page.goto(f"{live_server.url}/projects/{project.pk}/review/")
    rows = page.locator("#review-rows tr[data-completion]")
    expect(rows).to_have_count(8)
    shoot(page, "review")
    first = rows.first.get_attribute("data-completion")
    page.keyboard.press("j")
    page.keyboard.press("a")  # accept with the keyboard
    expect(rows).to_have_count(7)
    assert Completion.objects.get(pk=first).review_status == "accepted"
    second = rows.first.get_attribute("data-completion")
    page.once("dialog", lambda d: d.accept("wrong label"))
    rows.first.locator('[data-review="reject"]').click()
    expect(rows).to_have_count(6)
    c = Completion.objects.get(pk=second)
    assert c.review_status == "rejected" and c.review_comment == "wrong label"
    page.select_option("#review-status", "rejected")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("wrong label")


def test_dashboard_charts(page, live_server, users, labeled):
    project, _ = labeled
    login(page, live_server, users["manager"])
    page.goto(f"{live_server.url}/projects/{project.pk}/dashboard/")
    expect(page.locator("#kpi-completions")).to_have_text("8")
    expect(page.locator("#kpi-tasks")).to_have_text("6")
    expect(page.locator("#chart-progress svg polyline")).to_have_count(3)
    expect(page.locator("#chart-throughput svg .bar-row")).to_have_count(2)
    expect(page.locator("#chart-lead svg .bar-row")).to_have_count(2)
    expect(page.locator("#chart-agreement svg rect.cell")).to_have_count(4)
    expect(page.locator("#chart-labels svg .bar-row")).to_have_count(2)  # Positive, Negative
    expect(page.locator("#kpi-agreement")).to_have_text("50%")
    shoot(page, "dashboard", full_page=True)


def test_dashboard_label_colours_follow_the_config_background(page, live_server, users):
    """Issue 11: the label distribution paints each label with its <Label background>."""
    from annotators.services import completion_create

    config = """<View><Text name="text" value="$text"/>
      <Labels name="ner" toName="text"><Label value="PER" background="#123456"/><Label value="ORG" background="rgb(200, 10, 10)"/></Labels>
    </View>"""
    project, (task,) = labeling_project(users, config, [{"text": "Ann at Acme"}])

    def span(start, end, label):
        return {
            "from_name": "ner",
            "to_name": "text",
            "type": "labels",
            "value": {"start": start, "end": end, "labels": [label]},
        }

    completion_create(task=task, user=users["ann1"], result=[span(0, 3, "PER"), span(7, 11, "ORG")], lead_time=3)
    login(page, live_server, users["manager"])
    page.goto(f"{live_server.url}/projects/{project.pk}/dashboard/")
    bars = page.locator("#chart-labels svg .bar-row")
    expect(bars).to_have_count(2)
    expect(page.locator('#chart-labels .bar-row[data-label="PER"] rect').nth(1)).to_have_attribute("fill", "#123456")
    expect(page.locator('#chart-labels .bar-row[data-label="ORG"] rect').nth(1)).to_have_attribute(
        "fill", "rgb(200, 10, 10)"
    )


def test_settings_instructions_overlap_and_members(page, live_server, users, labeled):
    from tests import factories

    project, _ = labeled
    newcomer = factories.make_user("carol")
    login(page, live_server, users["manager"])
    page.goto(f"{live_server.url}/projects/{project.pk}/settings/")
    expect(page.locator("#config-preview .ls-root")).to_be_visible()  # live preview of the current config
    page.fill("#expert-instruction", "Be kind.")
    page.locator("#instructions button[type=submit]").click()
    expect(page.locator(".message.success")).to_have_text("Saved.")
    page.fill("#overlap", "3")
    page.uncheck("#show-skip")
    page.locator("#queue button[type=submit]").click()
    expect(page.locator(".message.success")).to_be_visible()
    page.fill("#member-username", newcomer.username)
    page.locator(".add-member button[type=submit]").click()
    expect(page.locator(f'#member-list tr[data-user="{newcomer.username}"]')).to_be_visible()
    shoot(page, "settings")
    project.refresh_from_db()
    assert (project.expert_instruction, project.maximum_annotations, project.show_skip_button) == ("Be kind.", 3, False)

    # a config change that would orphan completions is refused, naming what is in use
    editor = page.locator("#label-config")
    editor.fill(editor.input_value().replace('<Choice value="Negative"/>', ""))
    page.click("#config-save")
    expect(page.locator("#config-error")).to_contain_text("Negative")
    project.refresh_from_db()
    assert "Negative" in project.label_config


def test_models_page_lists_backends(page, live_server, users, labeled):
    project, _ = labeled
    login(page, live_server, users["manager"])
    page.goto(f"{live_server.url}/projects/{project.pk}/ml/")
    expect(page.locator("#backend-rows")).to_contain_text(re.compile("No backends connected"))
    shoot(page, "models")


def test_models_page_tells_the_true_state_of_a_dead_backend(page, live_server, users, labeled, settings):
    """Issue 11: not "Backend connected." beside state "error" and a raw Python exception."""
    from tests.live import free_port

    settings.ALLOW_LOOPBACK_URLS = True
    project, _ = labeled
    login(page, live_server, users["manager"])
    page.goto(f"{live_server.url}/projects/{project.pk}/ml/")
    port = free_port()
    page.fill('#backend-form input[name="url"]', f"http://127.0.0.1:{port}")
    page.click('#backend-form button[type="submit"]')
    expect(page.locator("#flash")).to_contain_text('Backend added, but it is in state "error"')
    expect(page.locator("#flash")).not_to_contain_text("Backend connected")
    row = page.locator("#backend-rows tr[data-backend]")
    expect(row.locator(".badge")).to_have_text("error")
    expect(row).to_contain_text(f"nothing is listening at 127.0.0.1:{port} (connection refused)")
    expect(row).not_to_contain_text("HTTPConnectionPool")
    page.evaluate("document.getElementById('flash').hidden = true")
    row.get_by_role("button", name="Check").click()  # a re-check tells the state too, not "checked"
    expect(page.locator("#flash")).to_contain_text('it is in state "error": cannot connect: nothing is listening')
