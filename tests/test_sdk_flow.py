"""The core flow driven by Label Studio's own Python SDK (label-studio-sdk from PyPI) against a
live server: create a project with a config, import tasks, list tasks, create a completion and a
prediction, export JSON. This is the compatibility promise for Label Studio's clients."""

import pytest
from label_studio_sdk import LabelStudio
from rest_framework.authtoken.models import Token

from tests.factories import TEXT_CONFIG, make_user

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sdk(live_server):
    user = make_user("sdk", is_superuser=False)
    token = Token.objects.create(user=user)
    return LabelStudio(base_url=live_server.url, api_key=token.key)


def test_sdk_core_flow(sdk):
    project = sdk.projects.create(title="SDK project", label_config=TEXT_CONFIG)
    assert project.id and project.title == "SDK project"

    sdk.projects.import_tasks(id=project.id, request=[{"text": f"review {i}"} for i in range(30)])
    tasks = list(sdk.tasks.list(project=project.id, page_size=7))
    assert len(tasks) == 30
    assert sorted(t.data["text"] for t in tasks) == sorted(f"review {i}" for i in range(30))

    task = tasks[0]
    result = [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Positive"]}}]
    completion = sdk.annotations.create(id=task.id, result=result, lead_time=3.5)
    assert completion.id
    prediction = sdk.predictions.create(task=task.id, result=result, score=0.87, model_version="v1")
    assert prediction.id

    bad = [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Angry"]}}]
    with pytest.raises(Exception) as err:
        sdk.predictions.create(task=tasks[1].id, result=bad, model_version="v1")
    assert "Angry" in str(err.value)

    exported = sdk.projects.exports.as_json(project.id)
    assert len(exported) == 30
    by_id = {t["id"]: t for t in exported}
    ann = by_id[task.id]["annotations"]
    assert len(ann) == 1 and ann[0]["result"][0]["value"]["choices"] == ["Positive"]
    assert ann[0]["lead_time"] == 3.5
    assert by_id[task.id]["predictions"][0]["model_version"] == "v1"
