"""<Chat> in real Chromium: rate one of two assistant answers, add a message (the model's answer
comes from the project's ML backend through /predict), submit; the export validates."""

import json
import re
import sys

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.browser.helpers import completion_of, labeling_project, open_stream, submit
from tests.live import ROOT, Process, base_env, free_port, wait_http

pytestmark = [pytest.mark.browser, pytest.mark.live]

CONFIG = """<View>
  <Chat name="chat" value="$chat" llm="backend/echo" messageroles="user,assistant" editable="true" minMessages="5"/>
  <View visibleWhen="no-region-selected"><Header value="Click on a message to evaluate"/></View>
  <View visibleWhen="region-selected" whenRole="assistant">
    <Header value="Response accuracy"/>
    <Rating name="accuracy" toName="chat" perRegion="true" maxRating="5"/>
  </View>
  <View visibleWhen="region-selected" whenRole="user">
    <Choices name="risk" toName="chat" perRegion="true"><Choice value="Benign"/><Choice value="Risky"/></Choices>
  </View>
</View>"""

CHAT = [
    {"role": "user", "content": "Which **planet** is largest?"},
    {"role": "assistant", "content": "Saturn. <script>window.pwned = 1</script>"},
    {"role": "assistant", "content": "Jupiter is the largest:\n\n- mass: 318 Earths\n- [source](https://nasa.gov)"},
]


@pytest.fixture
def chat_backend(settings):
    settings.ALLOW_LOOPBACK_URLS = True
    port = free_port()
    proc = Process([sys.executable, str(ROOT / "tests/ml_backends/chat_server.py"), "--port", str(port)], base_env())
    url = f"http://127.0.0.1:{port}"
    wait_http(url + "/health", timeout=60)
    yield url
    proc.stop()


def test_rate_an_answer_and_add_messages(page, live_server, users, chat_backend):
    from django.test import Client

    from ml_backends import services
    from projects.label_config import parse

    project, (task,) = labeling_project(users, CONFIG, [{"chat": CHAT}])
    services.ml_backend_create(project=project, url=chat_backend)
    login(page, live_server, users["ann1"])
    area = open_stream(page, live_server, project)
    messages = area.locator(".ls-chat-message")
    expect(messages).to_have_count(3)
    expect(messages.nth(0).locator("strong")).to_have_text("planet")  # Markdown
    expect(messages.nth(2).locator("li")).to_have_count(2)
    expect(messages.nth(1)).to_contain_text("<script>")  # raw HTML is shown as text, never run
    assert page.evaluate("window.pwned") is None
    rating = area.locator('.ls-control[data-name="accuracy"]')
    expect(rating).to_be_hidden()

    messages.nth(2).click()  # the better of the two assistant answers
    expect(rating).to_be_visible()
    expect(area.locator('.ls-control[data-name="risk"]')).to_be_hidden()
    rating.locator('.ls-rating-star[data-value="5"]').click()
    messages.nth(1).click()
    rating.locator('.ls-rating-star[data-value="1"]').click()
    messages.nth(0).click()
    expect(rating).to_be_hidden()
    expect(area.locator('.ls-control[data-name="risk"]')).to_be_visible()

    area.locator(".ls-submit").click()  # minMessages="5": three so far
    expect(area.locator('.ls-error[data-control="chat"]')).to_contain_text("needs at least 5 messages (has 3)")

    area.locator(".ls-chat-role-select").select_option("user")
    area.locator(".ls-chat-input").fill("And the smallest?")
    area.locator(".ls-chat-send").click()
    expect(messages).to_have_count(5)  # ours, then the model's answer
    expect(messages.nth(4)).to_have_attribute("data-role", "assistant")
    expect(messages.nth(4)).to_contain_text("Echo: And the smallest?")
    expect(messages.nth(0).locator(".ls-chat-edit")).to_have_count(0)  # the task's messages stay as they are
    messages.nth(3).locator(".ls-chat-edit").click()  # editable="true": our own message can be edited
    messages.nth(3).locator(".ls-chat-editor textarea").fill("And the *smallest* planet?")
    messages.nth(3).locator(".ls-chat-save").click()
    expect(messages.nth(3).locator("em")).to_have_text("smallest")
    submit(page, task)

    client = Client()
    client.force_login(users["manager"])
    response = client.get(f"/api/projects/{project.pk}/export", {"exportType": "JSON"})
    exported = json.loads(b"".join(response.streaming_content))
    (result,) = [a["result"] for t in exported for a in t["annotations"]]
    config = parse(CONFIG)
    assert config.validate_result(result, {"chat": CHAT}) == []
    ratings = {item["id"]: item["value"]["rating"] for item in result if item["type"] == "rating"}
    assert ratings == {"chat_2": 5, "chat_1": 1}
    added = [item["value"]["chatmessage"] for item in result if item["type"] == "chatmessage"]
    assert [(m["role"], m["content"]) for m in added] == [
        ("user", "And the *smallest* planet?"),
        ("assistant", "Echo: And the smallest?"),
    ]
    assert all(isinstance(m["createdAt"], int) for m in added)


PAIRWISE = """<View>
  <Chat name="answer_a" value="$answer_a"/>
  <Chat name="answer_b" value="$answer_b"/>
  <Pairwise name="better" toName="answer_a,answer_b"/>
</View>"""


def test_pairwise_of_two_candidate_answers(page, live_server, users):
    from projects.label_config import parse

    question = {"role": "user", "content": "Capital of France?"}
    data = {
        "answer_a": [question, {"role": "assistant", "content": "Lyon"}],
        "answer_b": [question, {"role": "assistant", "content": "**Paris**"}],
    }
    project, (task,) = labeling_project(users, PAIRWISE, [data])
    login(page, live_server, users["ann1"])
    area = open_stream(page, live_server, project)
    expect(area.locator('.ls-chat[data-name="answer_b"] strong')).to_have_text("Paris")
    area.locator(".ls-pairwise-right").click()
    expect(area.locator('.ls-chat[data-name="answer_b"]')).to_have_class(re.compile("ls-pairwise-chosen"))
    submit(page, task)
    (item,) = completion_of(task, users["ann1"]).result
    assert item["value"] == {"selected": "right"}
    assert parse(PAIRWISE).validate_result([item], data) == []
