"""Schema-driven fuzzing (schemathesis) of the whole API, through the WSGI app, as a manager who
has a project with tasks, a completion, a draft, a prediction, an ML backend, a storage and a job:
no input, valid or not, may answer 5xx.

Bounded and deterministic: a few examples per operation (``FUZZ_EXAMPLES``, default 4;
derandomized) so the run stays within a couple of minutes. For a deeper local run set
FUZZ_EXAMPLES higher and FUZZ_PATHS to a path regex. The first id in a path points at the
fixture's object of that kind (a random id would only ever find the 404 branch). A failure shows
the server's traceback."""

from __future__ import annotations

import os
import re
import traceback

import pytest
import schemathesis
from django.core.signals import got_request_exception
from hypothesis import HealthCheck, settings

from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "4"))
SKIP = re.compile(r"^/api/(schema|docs)")  # the schema and its docs page themselves


@pytest.fixture
def fuzz_world(transactional_db):
    from rest_framework.authtoken.models import Token

    from annotators.models import Completion, Draft
    from labelstudio.core.models import Job
    from ml_backends.models import MLBackend, Prediction
    from projects.services import membership_set
    from tasks.models import S3ImportStorage

    manager = factories.make_user("fuzzmgr")
    annotator = factories.make_user("fuzzann")
    project = factories.make_project(created_by=manager)
    membership_set(project=project, user=annotator, role="annotator")
    tasks = [factories.make_task(project) for _ in range(3)]
    completion = Completion.objects.create(
        task=tasks[0], project=project, completed_by=annotator, result=[], lead_time=1.0
    )
    draft = Draft.objects.create(task=tasks[1], project=project, user=manager, result=[])
    prediction = Prediction.objects.create(task=tasks[2], project=project, result=[], score=0.5, model_version="v1")
    # loopback is refused to outgoing calls here, so checks of this backend fail fast
    backend = MLBackend.objects.create(
        project=project, url="http://127.0.0.1:9", title="m", send_completion_events=False
    )
    storage = S3ImportStorage.objects.create(project=project, bucket="b")
    job = Job.objects.create(kind="export", project=project, created_by=manager, params={})
    token = Token.objects.create(user=manager)
    return {
        "token": token.key,
        "projects": project.pk,
        "tasks": tasks[0].pk,
        "annotations": completion.pk,
        "drafts": draft.pk,
        "predictions": prediction.pk,
        "ml": backend.pk,
        "storages": storage.pk,
        "jobs": job.pk,
    }


@pytest.fixture
def api_schema(fuzz_world):
    from labelstudio.wsgi import application

    schema = schemathesis.openapi.from_wsgi("/api/schema/", application).exclude(path_regex=SKIP.pattern)
    only = os.environ.get("FUZZ_PATHS")  # a regex, to fuzz a few operations harder
    return schema.include(path_regex=only) if only else schema


schema = schemathesis.pytest.from_fixture("api_schema")


def _real_ids(case, world) -> None:
    """The first id in the path points at the fixture's object of that kind."""
    params = case.path_parameters or {}
    if not params:
        return
    segment = case.operation.path.strip("/").split("/")[1]
    first = case.operation.path.split("{", 1)[1].split("}", 1)[0]
    if segment in world and first in params:
        params[first] = world[segment]


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_server_errors(case, fuzz_world):
    _real_ids(case, fuzz_world)
    errors: list[str] = []

    def remember(sender, request=None, **kwargs):
        errors.append(traceback.format_exc())

    got_request_exception.connect(remember)
    try:
        response = case.call(headers={"Authorization": f"Token {fuzz_world['token']}"})
    finally:
        got_request_exception.disconnect(remember)
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path} -> {response.status_code}\n"
        f"query={case.query!r} body={getattr(case, 'body', None)!r}\n{''.join(errors)[-3000:] or response.text[:500]}"
    )
