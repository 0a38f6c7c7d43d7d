"""A <Chat> project exports: JSON keeps the chatmessage items as they are, and the formats the
config enables (JSON_MIN, CSV, TSV) write a file without failing on the new result type."""

import json

import pytest

from tests import factories
from tests.conftest import client_for

from .conftest import build

CONFIG = (
    '<View><Chat name="chat" value="$chat"/>'
    '<Rating name="accuracy" toName="chat" perRegion="true"/>'
    '<Choices name="verdict" toName="chat"><Choice value="Good"/><Choice value="Bad"/></Choices></View>'
)
ADDED = {
    "id": "m1",
    "from_name": "chat",
    "to_name": "chat",
    "type": "chatmessage",
    "value": {"chatmessage": {"role": "user", "content": "Thanks!", "createdAt": 1700000000000}},
}
RATED = {"id": "chat_1", "from_name": "accuracy", "to_name": "chat", "type": "rating", "value": {"rating": 4}}
VERDICT = {"id": "v", "from_name": "verdict", "to_name": "chat", "type": "choices", "value": {"choices": ["Good"]}}


@pytest.fixture
def project(db):
    users = {"alice": factories.make_user("alice")}
    data = {"chat": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}]}
    return build(CONFIG, [{"data": data, "completions": [{"by": "alice", "result": [ADDED, RATED, VERDICT]}]}], users)


def download(project, kind) -> bytes:
    api = client_for(project.created_by)
    response = api.get(f"/api/projects/{project.pk}/export", {"exportType": kind})
    assert response.status_code == 200, response.content[:500]
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_json_keeps_chat_messages(project):
    (task,) = json.loads(download(project, "JSON"))
    assert task["annotations"][0]["result"] == [ADDED, RATED, VERDICT]


@pytest.mark.parametrize("kind", ["JSON_MIN", "CSV", "TSV"])
def test_other_formats_write_a_file(project, kind):
    assert b"Good" in download(project, kind)
