"""Config changes do not race (issue 12), with real threads and connections: two managers saving
the config at once lose no edit (one gets 409), and completions submitted while a label is being
removed never end up using a label the config no longer has."""

from __future__ import annotations

import json
import threading

import pytest
from django.db import connection

from annotators.models import Completion
from labelstudio.core.exceptions import ApplicationError
from projects import services
from projects.models import Membership, Project
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db(transaction=True)

CONFIG = """<View>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text">
    {choices}
  </Choices>
</View>"""


NEUTRAL = [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Neutral"]}}]


def config(*labels: str) -> str:
    return CONFIG.format(choices="\n    ".join(f'<Choice value="{label}"/>' for label in labels))


def run_threads(targets) -> list:
    barrier = threading.Barrier(len(targets))
    results: list = [None] * len(targets)
    errors: list = []

    def body(i, target):
        try:
            barrier.wait()
            results[i] = target()
        except Exception as exc:  # surfaced in the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=body, args=(i, t)) for i, t in enumerate(targets)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    return results


def test_stale_config_save_is_409_and_unversioned_saves_still_work(api, project):
    version = api.get(f"/api/projects/{project.pk}/").json()["label_config_version"]
    ok = api.patch(
        f"/api/projects/{project.pk}/",
        {"label_config": config("A", "B"), "label_config_version": version},
        format="json",
    )
    assert ok.status_code == 200 and ok.json()["label_config_version"] == version + 1
    stale = api.patch(
        f"/api/projects/{project.pk}/",
        {"label_config": config("A", "C"), "label_config_version": version},
        format="json",
    )
    assert stale.status_code == 409 and stale.json()["version"] == version + 1
    assert 'value="B"' in Project.objects.get(pk=project.pk).label_config
    # a Label Studio client sends no version: last write wins, as before
    plain = api.patch(f"/api/projects/{project.pk}/", {"label_config": config("A", "D")}, format="json")
    assert plain.status_code == 200 and plain.json()["label_config_version"] == version + 2
    # a version sent with other settings only is ignored
    assert (
        api.patch(f"/api/projects/{project.pk}/", {"title": "t", "label_config_version": 1}, format="json").status_code
        == 200
    )


def test_settings_page_refuses_a_stale_config(client, manager, project):
    client.force_login(manager)
    url = f"/projects/{project.pk}/settings/"
    first = client.post(url, {"section": "config", "label_config": config("A", "B"), "label_config_version": "1"})
    assert first.status_code == 302
    second = client.post(url, {"section": "config", "label_config": config("A", "C"), "label_config_version": "1"})
    assert second.status_code == 200 and b"changed by someone else" in second.content
    assert 'value="B"' in Project.objects.get(pk=project.pk).label_config


@pytest.mark.parametrize("round_", range(5))
def test_two_concurrent_config_saves_lose_no_edit(round_):
    manager = factories.make_user("manager")
    other = factories.make_user("manager")
    project = factories.make_project(created_by=manager, label_config=config("A", "B"))
    Membership.objects.create(project=project, user=other, role="manager")
    version = Project.objects.get(pk=project.pk).label_config_version
    edits = {manager.pk: config("A", "B", "FromFirst"), other.pk: config("A", "B", "FromSecond")}

    def save(user):
        def go():
            body = {"label_config": edits[user.pk], "label_config_version": version}
            return user.pk, client_for(user).patch(f"/api/projects/{project.pk}/", body, format="json").status_code

        return go

    results = dict(run_threads([save(manager), save(other)]))
    assert sorted(results.values()) == [200, 409]
    winner = next(pk for pk, code in results.items() if code == 200)
    final = Project.objects.get(pk=project.pk)
    assert final.label_config == edits[winner] and final.label_config_version == version + 1


def test_submits_racing_a_label_removal_leave_no_orphans():
    """Annotators submit "Neutral" while a manager removes "Neutral": either the removal is refused
    (a completion using it committed first) or no completion uses it. Never both."""
    rounds, submitters = 15, 6
    refused = removed = 0
    for _ in range(rounds):
        manager = factories.make_user("manager")
        project = factories.make_project(created_by=manager, label_config=config("Positive", "Negative", "Neutral"))
        users = [factories.make_user("ann") for _ in range(submitters)]
        for user in users:
            Membership.objects.create(project=project, user=user, role="annotator")
        tasks = [factories.make_task(project) for _ in range(submitters)]

        def submit(user, task):
            def go():
                response = client_for(user).post(
                    f"/api/tasks/{task.pk}/annotations/", {"result": NEUTRAL}, format="json"
                )
                return response.status_code

            return go

        def remove(project_id=project.pk):
            try:
                services.project_update(
                    project=Project.objects.get(pk=project_id), label_config=config("Positive", "Negative")
                )
                return "removed"
            except ApplicationError:
                return "refused"

        results = run_threads([remove, *(submit(u, t) for u, t in zip(users, tasks, strict=True))])
        assert all(code in (201, 400) for code in results[1:]), results
        final = Project.objects.get(pk=project.pk)
        using = Completion.objects.filter(project=project, result__0__value__choices__0="Neutral").count()
        if results[0] == "removed":
            removed += 1
            assert 'value="Neutral"' not in final.label_config
            assert using == 0, f"{using} completions use the removed label"
        else:
            refused += 1
            assert 'value="Neutral"' in final.label_config
        assert using == results[1:].count(201)
    assert refused + removed == rounds


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL (SQLite serialises writers)")
def test_import_waits_for_a_config_change_and_checks_against_the_new_config(manager):
    """An import that carries annotations reads the config under the project row's shared lock:
    while a config change holds the row, the import waits, then checks its rows against the NEW
    config (here the label it uses was removed, so the all-or-nothing import fails naming it).
    Without the lock the import checks against the config it read first and commits a completion
    using the removed label."""
    from django.db import transaction
    from django.db.models import F

    from labelstudio.core.models import Job
    from tasks.celery_tasks import run_import
    from tasks.importers.services import import_job_create

    project = factories.make_project(created_by=manager, label_config=config("Positive", "Negative", "Neutral"))
    job = import_job_create(
        project=project,
        created_by=manager,
        tasks=[{"data": {"text": "t"}, "annotations": [{"result": NEUTRAL}]}],
        enqueue=False,
    )
    holding, release = threading.Event(), threading.Event()

    def change_config():
        try:
            with transaction.atomic():
                Project.objects.select_for_update().get(pk=project.pk)  # what project_update holds while it checks
                holding.set()
                release.wait(30)
                Project.objects.filter(pk=project.pk).update(
                    label_config=config("Positive", "Negative"), label_config_version=F("label_config_version") + 1
                )
        finally:
            connection.close()

    def import_now():
        try:
            holding.wait(30)
            run_import(job.pk)
        finally:
            connection.close()

    changer, importer = threading.Thread(target=change_config), threading.Thread(target=import_now)
    changer.start()
    importer.start()
    holding.wait(30)
    importer.join(2.0)  # the import reaches the project row's lock and waits there (or, unlocked, commits)
    release.set()
    changer.join()
    importer.join()
    job.refresh_from_db()
    assert not Completion.objects.filter(task__project=project).exists(), "a completion uses the removed label"
    assert job.status == Job.Status.FAILED, (job.status, job.error)
    assert "Neutral" in json.dumps([job.error, job.errors])
