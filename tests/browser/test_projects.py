"""Log in, the project list, and creating a project from a template in the config editor."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import login, shoot

pytestmark = [pytest.mark.browser, pytest.mark.live]


def test_login_logout_and_project_list(page, live_server, users):
    project = factories.make_project(created_by=users["manager"], title="Reviews")
    for i in range(4):
        factories.make_task(project, {"text": f"review {i}"})
    page.goto(f"{live_server.url}/projects/")
    expect(page).to_have_url(re.compile(r"/user/login/"))
    page.fill("input[name=username]", users["manager"].username)
    page.fill("input[name=password]", "pass12345")
    shoot(page, "login")
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/projects/$"))
    row = page.locator(f'#projects tr[data-project="{project.pk}"]')
    expect(row.locator('[data-col="tasks"]')).to_have_text("4")
    expect(row.locator('[data-col="by-me"]')).to_have_text("0")
    shoot(page, "projects")
    page.click("#logout")
    expect(page).to_have_url(re.compile(r"/user/login/"))


def test_create_project_from_template_with_live_preview(page, live_server, users):
    login(page, live_server, users["manager"])
    page.goto(f"{live_server.url}/projects/new/")
    page.fill("#project-title", "Sentiment")
    page.click('.template[data-slug="text-classification"]')
    # the live preview renders the labeling interface on sample data generated from the config
    preview = page.locator("#config-preview")
    expect(preview.locator(".ls-root")).to_be_visible()
    expect(preview.locator('[data-value="Positive"]').first).to_be_visible()
    expect(page.locator("#config-status")).to_have_text("valid")
    shoot(page, "project-create")

    # a broken config shows the error at its line, and the preview waits for a valid one
    editor = page.locator("#label-config")
    good = editor.input_value()
    editor.fill(good.replace('toName="text"', 'toName="nope"', 1))
    error = page.locator("#config-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("nope")
    line = error.get_attribute("data-line")
    assert line and int(line) > 1
    expect(page.locator(f'#config-gutter .err[data-line="{line}"]')).to_be_visible()
    expect(page.locator("#config-status")).to_have_text("invalid")
    shoot(page, "config-error")

    editor.fill(good)
    expect(page.locator("#config-status")).to_have_text("valid")
    page.click("#create-submit")
    expect(page).to_have_url(re.compile(r"/projects/\d+/import/$"))
    from projects.models import Project

    project = Project.objects.get(title="Sentiment")
    assert 'name="sentiment"' in project.label_config


def test_server_refuses_a_broken_config_at_its_line(page, live_server, users):
    login(page, live_server, users["manager"])
    page.goto(f"{live_server.url}/projects/new/")
    page.fill("#project-title", "Broken")
    page.evaluate("""() => { document.querySelector('#label-config').value =
        '<View>\\n  <Text name="t" value="$t"/>\\n  <Choices name="c" toName="x"><Choice value="A"/></Choices>\\n</View>'; }""")
    page.click("#create-submit")
    error = page.locator("#config-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("x")
    assert error.get_attribute("data-line") == "3"
