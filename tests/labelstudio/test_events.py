"""The event registry (labelstudio/core/events.py): each emitter's subscribers run once, after the
emitter's transaction commits, and never when it rolls back."""

from __future__ import annotations

import pytest
from django.db import transaction

from annotators.services import completion_create, completion_delete, completion_update
from labelstudio.core import events
from labelstudio.core.exceptions import ApplicationError
from labelstudio.core.jobs import job_run
from labelstudio.core.models import Job
from ml_backends.services import ml_settings_update, prediction_create
from projects.services import project_create, project_delete, project_update
from tasks.importers.services import import_job_create
from tasks.services import task_create, task_update, tasks_delete
from tests.factories import make_task

pytestmark = pytest.mark.django_db

RESULT = [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Positive"]}}]


class Rollback(Exception):
    pass


@pytest.fixture
def heard():
    """Subscribe a recorder to every event; ``heard`` lists (event, payload) in call order."""
    calls: list[tuple[str, dict]] = []

    def recorder(*, event, **payload):
        calls.append((event, payload))

    for event in events.EVENTS:
        events.subscribe(event, recorder)
    yield calls
    for event in events.EVENTS:
        events.unsubscribe(event, recorder)


def names(calls):
    return [event for event, _ in calls]


def emits(capture, heard, action, expected: list[str]):
    """Run ``action`` in a transaction: nothing is heard before commit, each event once after."""
    with capture(execute=True):
        with transaction.atomic():
            result = action()
            assert heard == []  # not before commit
    assert names(heard) == expected
    return result


def silent_on_rollback(heard, action):
    with pytest.raises(Rollback), transaction.atomic():
        action()
        raise Rollback
    assert heard == []


def test_registry_runs_subscribers_on_commit_only(heard, django_capture_on_commit_callbacks):
    emits(
        django_capture_on_commit_callbacks, heard, lambda: events.emit(events.JOB_FINISHED, job_id=1), ["JOB_FINISHED"]
    )
    assert heard[0][1] == {"job_id": 1}
    heard.clear()
    with django_capture_on_commit_callbacks(execute=True):
        silent_on_rollback(heard, lambda: events.emit(events.JOB_FINISHED, job_id=2))
    assert heard == []


def test_registry_refuses_unknown_events_and_survives_a_failing_subscriber(django_capture_on_commit_callbacks):
    with pytest.raises(ValueError, match="unknown event"):
        events.emit("NO_SUCH_EVENT")
    with pytest.raises(ValueError, match="unknown event"):
        events.subscribe("NO_SUCH_EVENT", print)

    def broken(**_):
        raise RuntimeError("boom")

    events.subscribe(events.JOB_FINISHED, broken)
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            events.emit(events.JOB_FINISHED, job_id=3)  # logged, not raised
        assert callbacks
    finally:
        events.unsubscribe(events.JOB_FINISHED, broken)


def test_guards_are_asked_in_one_statement_and_only_subscribers_with_work_run(
    monkeypatch, django_assert_num_queries, django_capture_on_commit_callbacks
):
    monkeypatch.setitem(events._registry, events.JOB_FINISHED, [])  # only this test's subscribers
    calls = []

    def subscriber(name):
        def fn(*, event, job_id):
            calls.append((name, job_id))

        return fn

    events.subscribe(events.JOB_FINISHED, subscriber("yes"), guard=events.Guard("%s > %s", lambda job_id: [job_id, 0]))
    events.subscribe(events.JOB_FINISHED, subscriber("no"), guard=events.Guard("%s < 0", lambda job_id: [job_id]))
    events.subscribe(events.JOB_FINISHED, subscriber("plain"))
    with django_capture_on_commit_callbacks() as callbacks:
        events.emit(events.JOB_FINISHED, job_id=5)
    assert len(callbacks) == 1 and calls == []  # not before commit
    with django_assert_num_queries(1):
        callbacks[0]()
    assert calls == [("yes", 5), ("plain", 5)]
    with pytest.raises(ValueError, match="after commit"):
        events.subscribe(events.JOB_FINISHED, print, on_commit=False, guard=events.Guard("true", lambda **_: []))


def test_a_failing_guard_skips_its_subscribers_and_not_the_others(monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setitem(events._registry, events.JOB_FINISHED, [])
    calls = []
    events.subscribe(
        events.JOB_FINISHED, lambda **_: calls.append("guarded"), guard=events.Guard("true", lambda **_: 1 / 0)
    )
    events.subscribe(events.JOB_FINISHED, lambda **_: calls.append("plain"))
    with django_capture_on_commit_callbacks(execute=True):
        events.emit(events.JOB_FINISHED, job_id=1)  # logged, not raised
    assert calls == ["plain"]


def test_every_app_subscribed_in_ready():
    subscribed = {e for e in events.EVENTS if events.subscribers(e)}
    assert subscribed == set(events.EVENTS)  # every event has a listener (webhooks hear them all)


def test_project_events(manager, heard, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks

    def create():
        return project_create(created_by=manager, title="P", label_config="<View></View>")

    project = emits(capture, heard, create, ["PROJECT_CREATED"])
    assert heard[0][1] == {"project": project}
    heard.clear()
    emits(capture, heard, lambda: project_update(project=project, title="Q"), ["PROJECT_UPDATED"])
    heard.clear()
    emits(capture, heard, lambda: project_delete(project=project), ["PROJECT_DELETED"])
    heard.clear()
    with capture(execute=True):
        silent_on_rollback(heard, create)
        other = create()
        heard.clear()
        silent_on_rollback(heard, lambda: project_update(project=other, title="R"))
        silent_on_rollback(heard, lambda: project_delete(project=other))


def test_task_events(project, heard, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    task = emits(capture, heard, lambda: task_create(project=project, data={"text": "a"}), ["TASKS_CREATED"])
    assert heard[0][1] == {"project": project, "task_ids": [task.pk]}
    heard.clear()
    emits(capture, heard, lambda: task_update(task=task, data={"text": "a2"}), ["TASKS_UPDATED"])
    assert heard[0][1] == {"project": project, "task_ids": [task.pk]}
    heard.clear()
    emits(capture, heard, lambda: tasks_delete(project=project, task_ids=[task.pk]), ["TASKS_DELETED"])
    assert heard[0][1]["task_ids"] == [task.pk]
    heard.clear()
    kept = make_task(project)
    with capture(execute=True):
        silent_on_rollback(heard, lambda: task_create(project=project, data={"text": "b"}))
        silent_on_rollback(heard, lambda: task_update(task=kept, meta={"m": 1}))
        silent_on_rollback(heard, lambda: tasks_delete(project=project, task_ids=[kept.pk]))
    with pytest.raises(ApplicationError), capture(execute=True):
        task_update(task=kept, data={"nope": 1})  # refused: nothing changed, nothing heard
    assert heard == []


def test_tasks_updated_by_the_api_and_by_a_low_scored_prediction(
    project, api, heard, django_capture_on_commit_callbacks
):
    """TASKS_UPDATED follows each write to existing tasks: PATCH /api/tasks/{id} (data, meta,
    overlap) and the human-in-the-loop priority a low-scored prediction sets in the task's meta."""
    task = make_task(project)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.patch(f"/api/tasks/{task.pk}", {"data": {"text": "edited"}, "overlap": 2}, format="json")
    assert response.status_code == 200, response.json()
    assert heard == [("TASKS_UPDATED", {"project": project, "task_ids": [task.pk]})]
    heard.clear()

    ml_settings_update(project=project, hitl_score_threshold=0.5)
    with django_capture_on_commit_callbacks(execute=True):
        prediction_create(task=task, result=RESULT, score=0.9)  # confident: the task is unchanged
    assert heard == []
    with django_capture_on_commit_callbacks(execute=True):
        prediction_create(task=task, result=RESULT, score=0.1)
    assert heard == [("TASKS_UPDATED", {"project": project, "task_ids": [task.pk]})]
    task.refresh_from_db()
    assert task.meta["priority"] == 1 and task.data == {"text": "edited"}


def test_completion_events(project, manager, heard, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    task = make_task(project)
    completion = emits(
        capture, heard, lambda: completion_create(task=task, user=manager, result=RESULT), ["ANNOTATION_CREATED"]
    )
    assert heard[0][1] == {"completion": completion}
    heard.clear()
    completion = emits(
        capture,
        heard,
        lambda: completion_update(completion=completion, user=manager, version=1, lead_time=2),
        ["ANNOTATION_UPDATED"],
    )
    heard.clear()
    with capture(execute=True):
        silent_on_rollback(
            heard, lambda: completion_update(completion=completion, user=manager, version=None, lead_time=3)
        )
        silent_on_rollback(heard, lambda: completion_delete(completion=completion, user=manager))
        silent_on_rollback(heard, lambda: completion_create(task=make_task(project), user=manager, result=RESULT))
    emits(capture, heard, lambda: completion_delete(completion=completion, user=manager), ["ANNOTATION_DELETED"])
    assert heard[0][1]["completion"].pk == completion.pk


def test_job_finished(project, heard, django_capture_on_commit_callbacks):
    job = Job.objects.create(kind=Job.Kind.IMPORT, project=project)
    with django_capture_on_commit_callbacks(execute=True):
        job_run(job.pk, lambda job, progress: {"done": 1})
    assert heard == [("JOB_FINISHED", {"job_id": job.pk})]


def test_import_finished(project, manager, heard, django_capture_on_commit_callbacks, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        job = import_job_create(project=project, created_by=manager, tasks=[{"text": "a"}, {"text": "b"}])
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert names(heard) == ["IMPORT_FINISHED", "TASKS_CREATED", "JOB_FINISHED"]
    assert heard[0][1]["counts"]["task_count"] == 2
    assert sorted(heard[1][1]["task_ids"]) == sorted(project.tasks.values_list("pk", flat=True))


def test_failed_import_emits_nothing(project, manager, heard, django_capture_on_commit_callbacks, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        job = import_job_create(project=project, created_by=manager, tasks=[{"text": "a"}, {"nope": 1}])
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and not project.tasks.exists()
    assert names(heard) == ["JOB_FINISHED"]
