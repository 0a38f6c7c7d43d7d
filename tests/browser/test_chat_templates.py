"""Label Studio 1.23.2's five chat templates, unchanged from its wheel, in real Chromium with their
sample data: the conversation shows, per-message controls follow the selected message's role,
annotators add messages up to minMessages, and the submitted result validates against the config."""

import json
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.browser.helpers import completion_of, labeling_project, open_stream, submit
from tests.projects.label_config.test_ls_templates import _wheel

pytestmark = [pytest.mark.browser, pytest.mark.live]

# template -> (per-message control shown for an assistant message, required conversation-level choices)
CHAT_TEMPLATES = {
    "chat/chatbot": ("accuracy", None),
    "chat/chat_rlhf": ("assistant_response_accuracy", None),
    "chat/chat_red_team": ("assistant_outcome", None),
    "chat/chat_eval": (None, None),
    "chat/chat_llm_eval": (None, "answered_rating"),
}


@pytest.fixture(scope="module")
def chat_templates() -> dict[str, str]:
    import zipfile

    import yaml

    wheel = _wheel()
    if wheel is None:
        pytest.skip("could not download the label-studio wheel with pip")
    prefix = "label_studio/annotation_templates/"
    with zipfile.ZipFile(wheel) as zf:
        return {key: yaml.safe_load(zf.read(f"{prefix}{key}/config.yml"))["config"] for key in CHAT_TEMPLATES}


def sample_data(config: str) -> dict:
    from projects.label_config import parse, sample_task

    found = re.search(r"<!--\s*(\{.*\})\s*-->", config, re.S)
    data = json.loads(found.group(1))["data"] if found else {}
    for key, value in sample_task(parse(config)).items():
        data.setdefault(key, value)
    return data


@pytest.mark.parametrize("key", list(CHAT_TEMPLATES))
def test_chat_template(page, live_server, users, chat_templates, key):
    from projects.label_config import parse

    config_text = chat_templates[key]
    config = parse(config_text)
    data = sample_data(config_text)
    per_message, required = CHAT_TEMPLATES[key]
    project, (task,) = labeling_project(users, config_text, [data])
    login(page, live_server, users["ann1"])
    area = open_stream(page, live_server, project)
    messages = area.locator(".ls-chat-message")
    expect(messages).to_have_count(len(data["chat"]))

    chat = config.controls["chat"]
    wanted = max(int(chat.node.get("minMessages") or 0), len(data["chat"]) + 2)
    turn = 0
    while messages.count() < wanted:
        role = ("user", "assistant")[turn % 2]
        area.locator(".ls-chat-role-select").select_option(role)
        area.locator(".ls-chat-input").fill(f"{role} message {turn}")
        area.locator(".ls-chat-send").click()
        turn += 1
        expect(messages).to_have_count(len(data["chat"]) + turn)
    if per_message:
        control = area.locator(f'.ls-control[data-name="{per_message}"]')
        expect(control).to_be_hidden()
        area.locator('.ls-chat-message[data-role="assistant"]').first.click()
        expect(control).to_be_visible()
        control.locator(".ls-rating-star, .ls-choice").first.click()
        area.locator('.ls-chat-message[data-role="assistant"]').first.click()  # deselect

    if required:
        area.locator(f'.ls-choice[data-control="{required}"]').first.click()
    submit(page, task)

    result = completion_of(task, users["ann1"]).result
    assert config.validate_result(result, data) == []
    added = [item for item in result if item["type"] == "chatmessage"]
    assert len(added) == turn and added[0]["value"]["chatmessage"]["content"] == "user message 0"
    if per_message:
        assert any(item["from_name"] == per_message for item in result)
