"""``<Chat llm=...>``: POST /api/ml/{id}/chat asks the backend's /predict for the next message."""

import pytest

from ml_backends import services
from projects.services import membership_set
from tests.conftest import client_for
from tests.factories import make_task, make_user

from .conftest import HERE

CHAT = '<View><Chat name="chat" value="$chat" llm="backend/echo"/><Chat name="quiet" value="$other"/></View>'
CONVERSATION = [{"role": "user", "content": "Hello"}, {"role": "assistant", "content": "Hi"}]


@pytest.mark.live
def test_the_next_message_comes_from_the_backend(servers, loopback, api, project):
    project.label_config = CHAT
    project.save()
    task = make_task(project, data={"chat": CONVERSATION, "other": []})
    backend = services.ml_backend_create(
        project=project, url=servers.start([str(HERE / "chat_server.py"), "--port", "{port}"])
    )
    annotator = make_user()
    membership_set(project=project, user=annotator, role="annotator")
    messages = [*CONVERSATION, {"role": "user", "content": "How are you?"}]
    body = {"task": task.pk, "chat": "chat", "messages": messages}
    response = client_for(annotator).post(f"/api/ml/{backend.pk}/chat", body, format="json")
    assert response.status_code == 200, response.json()
    assert response.json() == {"role": "assistant", "content": "Echo: How are you?", "model_version": "echo-v1"}

    response = api.post(f"/api/ml/{backend.pk}/chat", {**body, "chat": "quiet"}, format="json")
    assert response.status_code == 400 and "no llm attribute" in response.json()["detail"]
    response = api.post(f"/api/ml/{backend.pk}/chat", {**body, "chat": "nope"}, format="json")
    assert response.status_code == 400 and "names no <Chat>" in response.json()["detail"]
    response = api.post(f"/api/ml/{backend.pk}/chat", {**body, "messages": [{"role": "user"}]}, format="json")
    assert response.status_code == 400 and "messages[0]" in response.json()["detail"]

    bad = services.ml_backend_create(
        project=project, url=servers.start([str(HERE / "chat_server.py"), "--port", "{port}", "--bad"])
    )
    response = api.post(f"/api/ml/{bad.pk}/chat", body, format="json")
    assert response.status_code == 502 and "no chatmessage" in response.json()["detail"]
