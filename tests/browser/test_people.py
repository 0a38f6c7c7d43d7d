"""Arriving and leaving, in real Chromium: an administrator makes an invite link with the
annotator role; a new person signs up through it, lands in the organization, is added to a
project, labels a task; the administrator deactivates them, their API token stops working and
their completion stays with them. The pages run under the Content-Security-Policy, so a
console error (a refused script or style) fails the test."""

import pytest
import requests
from playwright.sync_api import expect

from tests.browser.conftest import VIEWPORT, login
from tests.browser.helpers import completion_of, open_stream, submit

pytestmark = [pytest.mark.browser, pytest.mark.live]

CONFIG = """<View>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text" choice="single-radio">
    <Choice value="Positive"/><Choice value="Negative"/>
  </Choices>
</View>"""


def test_invite_signup_label_and_deactivate(page, browser, live_server, transactional_db):
    from annotators.models import Completion
    from labelstudio.core import orgs
    from tests import factories

    org = factories.make_organization("Acme Labeling")
    admin = factories.make_user("admin", org_role="administrator", organization=org)
    project = factories.make_project(created_by=admin, label_config=CONFIG, title="Reviews")
    task = factories.make_task(project, {"text": "Lovely little film."})

    # the administrator makes an invite link with the annotator role
    login(page, live_server, admin)
    page.goto(f"{live_server.url}/projects/")
    page.locator("#nav-people").click()
    page.select_option("#invite-role", "annotator")
    page.fill("#invite-days", "7")
    page.locator("#invite-create").click()
    invite_url = page.locator("#invite-url").input_value()
    assert "/user/signup/?token=" in invite_url

    # a new person signs up through it, in their own browser
    newcomer_context = browser.new_context(viewport=VIEWPORT)
    newcomer = newcomer_context.new_page()
    errors = []
    newcomer.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    newcomer.goto(invite_url)
    expect(newcomer.locator("h1")).to_have_text("Join Acme Labeling")
    expect(newcomer.locator("#invite-role")).to_have_text("annotator")
    newcomer.fill("input[name=username]", "nadia")
    newcomer.fill("input[name=email]", "nadia@example.com")
    newcomer.fill("input[name=password]", "12345678")
    newcomer.locator("#signup-submit").click()
    expect(newcomer.locator("#signup-error")).to_contain_text("too common")
    newcomer.fill("input[name=password]", "Nadia-labels-2026")
    newcomer.locator("#signup-submit").click()
    expect(newcomer.locator(".message")).to_contain_text("Welcome to Acme Labeling")
    expect(newcomer.get_by_role("link", name="Create project")).to_have_count(0)
    expect(newcomer.locator("#projects")).not_to_contain_text("Reviews")  # not in the project yet
    from django.contrib.auth import get_user_model

    nadia = get_user_model().objects.get(username="nadia")
    assert orgs.org_id_of(nadia) == org.pk and orgs.org_role(nadia) == "annotator"

    # the administrator adds her to the project
    page.goto(f"{live_server.url}/projects/{project.pk}/settings/")
    page.fill("#member-username", "nadia@example.com")
    page.locator("form.add-member select[name=role]").select_option("annotator")
    page.locator("form.add-member button[type=submit]").click()
    expect(page.locator('#member-list tr[data-user="nadia"]')).to_be_visible()

    # she labels a task
    area = open_stream(newcomer, live_server, project)
    area.locator('[data-control="sentiment"][data-value="Positive"]').click()
    submit(newcomer, task)
    assert completion_of(task, nadia).result[0]["value"] == {"choices": ["Positive"]}

    # her API token (from her account page) works ...
    newcomer.goto(f"{live_server.url}/user/account/")
    token = newcomer.locator("#api-token").inner_text().strip()
    headers = {"Authorization": f"Token {token}"}
    assert (
        requests.get(f"{live_server.url}/api/current-user", headers=headers, timeout=10).json()["username"] == "nadia"
    )

    # ... until the administrator deactivates her
    page.goto(f"{live_server.url}/people/?q=nadia")
    row = page.locator('#people-list tr[data-user="nadia"]')
    row.get_by_role("button", name="Deactivate").click()
    expect(page.locator('#people-list tr[data-user="nadia"] .status')).to_have_text("deactivated")
    assert requests.get(f"{live_server.url}/api/current-user", headers=headers, timeout=10).status_code == 401
    newcomer.goto(f"{live_server.url}/projects/")
    expect(newcomer.locator("#login-form")).to_be_visible()  # her session ended

    completion = Completion.objects.get(task=task)
    assert completion.completed_by_id == nadia.pk  # the work stays, with its author
    admin_token = factories_token(admin)
    answer = requests.get(
        f"{live_server.url}/api/tasks/{task.pk}/annotations/",
        headers={"Authorization": f"Token {admin_token}"},
        timeout=10,
    ).json()
    assert [a["completed_by"] for a in answer] == [nadia.pk]
    refused = [e for e in page.js_errors + errors if "Content Security Policy" in e or "Refused to" in e]
    assert not refused, refused
    newcomer_context.close()


def factories_token(user) -> str:
    from rest_framework.authtoken.models import Token

    return Token.objects.get_or_create(user=user)[0].key
