"""Export schedules: validation, the beat entry they own, runs into a local directory, "only
changed" runs, retries after failures, file expiry, the API and the admin."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from annotators.models import Completion
from labelstudio.core.exceptions import ApplicationError
from labelstudio.core.models import Job
from tasks.exporters import schedules, services
from tasks.models import ExportSchedule
from tests import factories
from tests.conftest import client_for

from .cases import TEXT_CONFIG, choice, text_tasks
from .conftest import build


@pytest.fixture
def users(db):
    return {"alice": factories.make_user("alice"), "bob": factories.make_user("bob")}


@pytest.fixture
def project(users):
    return build(TEXT_CONFIG, text_tasks(), users)


@pytest.fixture
def target(settings, tmp_path) -> Path:
    settings.EXPORT_LOCAL_ROOTS = [str(tmp_path / "targets")]
    settings.EXPORT_SCHEDULE_RETRY_SECONDS = 0
    return tmp_path / "targets"


def make(project, users, **fields):
    defaults = {"format": "JSON", "interval_hours": 6, "target": "local", "local_path": "daily"}
    return schedules.schedule_create(project=project, created_by=users["alice"], **{**defaults, **fields})


def test_schedule_owns_its_beat_entry(project, users, target):
    schedule = make(project, users)
    task = PeriodicTask.objects.get(pk=schedule.periodic_task_id)
    assert task.task == "tasks.run_export_schedule" and json.loads(task.args) == [schedule.pk]
    assert task.interval.every == 6 * 3600 and task.interval.period == "seconds" and task.crontab is None
    schedules.schedule_update(schedule=schedule, cron="30 2 * * 1-5", enabled=False)
    task.refresh_from_db()
    assert task.interval is None and (task.crontab.minute, task.crontab.hour, task.crontab.day_of_week) == (
        "30",
        "2",
        "1-5",
    )
    assert task.enabled is False
    schedules.schedule_delete(schedule=schedule)
    assert not PeriodicTask.objects.filter(pk=task.pk).exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"cron": "61 * * * *"}, "cron"),
        ({"cron": "* * *", "interval_hours": None}, "cron"),
        ({"interval_hours": 0}, "interval_hours"),
        ({"local_path": "../../etc"}, "local_path"),
        ({"local_path": "/etc"}, "local_path"),
        ({"target": "s3", "s3_bucket": ""}, "s3_bucket"),
        ({"format": "COCO"}, "exportType"),
        ({"options": {"only_ground_truth": "sure"}}, "only_ground_truth"),
    ],
)
def test_bad_schedules_name_the_field(project, users, target, fields, field):
    if "cron" in fields and "interval_hours" not in fields:
        fields = {**fields, "interval_hours": None}
    with pytest.raises(ApplicationError) as err:
        make(project, users, **fields)
    assert err.value.extra.get("field") == field
    assert not ExportSchedule.objects.exists()


def test_runs_deliver_and_only_changed_exports_changes(project, users, target, django_capture_on_commit_callbacks):
    schedule = make(project, users, only_changed=True, options={"only_completed": True})
    with django_capture_on_commit_callbacks(execute=True):
        first = schedules.schedule_tick(schedule.pk)
    first.refresh_from_db()
    assert first.status == "succeeded", first.error
    delivered = Path(first.result["delivered_to"])
    assert delivered.parent == target / "daily"
    assert len(json.loads(delivered.read_text())) == 3

    with django_capture_on_commit_callbacks(execute=True):
        quiet = schedules.schedule_tick(schedule.pk)
    quiet.refresh_from_db()
    assert quiet.result["tasks"] == 0 and quiet.result["delivered_to"] is None

    changed = Completion.objects.filter(project=project, completed_by=users["alice"]).order_by("id").last()
    changed.result = [choice("Positive")]
    changed.save()
    with django_capture_on_commit_callbacks(execute=True):
        second = schedules.schedule_tick(schedule.pk)
    second.refresh_from_db()
    tasks = json.loads(Path(second.result["delivered_to"]).read_text())
    assert [t["id"] for t in tasks] == [changed.task_id]
    assert tasks[0]["annotations"][0]["result"][0]["value"]["choices"] == ["Positive"]
    assert list(schedules.schedule_jobs(schedule).values_list("pk", flat=True)) == [second.pk, quiet.pk, first.pk]
    schedule.refresh_from_db()
    assert schedule.last_job_id == second.pk


def test_failed_run_is_retried_then_stays_failed(project, users, target, django_capture_on_commit_callbacks):
    schedule = make(project, users)
    target.mkdir()
    (target / "daily").write_text("a file where the directory should be")
    with django_capture_on_commit_callbacks(execute=True):
        job = schedules.schedule_tick(schedule.pk)
    job.refresh_from_db()
    assert job.status == "failed" and job.attempts == schedules.MAX_ATTEMPTS
    assert "daily" in job.error
    schedule.refresh_from_db()
    assert schedule.last_run_at is None  # the watermark moves only on success
    assert not any((Path(services.export_dir(project.pk))).glob(f"*-{job.pk}.json"))


def test_disabled_schedule_does_not_run(project, users, target):
    schedule = make(project, users, enabled=False)
    assert schedules.schedule_tick(schedule.pk) is None


def test_expired_files_are_deleted_rows_kept(project, users, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.export_create(project=project, created_by=users["alice"], format="JSON")
    job.refresh_from_db()
    path = Path(settings.DATA_DIR) / job.result_file
    assert path.is_file()
    assert services.exports_expire() == 0
    Job.objects.filter(pk=job.pk).update(finished_at=timezone.now() - timedelta(days=settings.EXPORT_FILE_TTL_DAYS + 1))
    assert services.exports_expire() == 1
    job.refresh_from_db()
    assert not path.exists() and job.result_file == "" and job.result["expired_at"]
    with pytest.raises(ApplicationError, match="expired"):
        services.export_file(job)


def test_schedule_api(project, users, target, django_capture_on_commit_callbacks):
    api = client_for(users["alice"])
    base = f"/api/projects/{project.pk}/export-schedules/"
    created = api.post(
        base,
        {
            "format": "CSV",
            "cron": "0 3 * * *",
            "target": "local",
            "local_path": "nightly",
            "options": {"only_completed": True},
            "aws_secret_access_key": "hidden",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    sid = created.json()["id"]
    assert "aws_secret_access_key" not in created.json() and created.json()["next_run_at"]
    bad = api.post(base, {"format": "CSV", "cron": "0 3 * * *", "target": "local", "local_path": "/etc"}, format="json")
    assert bad.status_code == 400 and bad.json()["field"] == "local_path"
    assert api.patch(f"{base}{sid}", {"interval_hours": 12}, format="json").json()["cron"] == ""
    with django_capture_on_commit_callbacks(execute=True):
        run = api.post(f"{base}{sid}/run")
    assert run.status_code == 201
    history = api.get(f"{base}{sid}/jobs").json()
    assert [h["status"] for h in history] == ["completed"] and history[0]["counters"]["task_number"] == 3
    assert history[0]["delivered_to"].endswith(".csv")
    reviewer = factories.make_user("reviewer")
    from projects.services import membership_set

    membership_set(project=project, user=reviewer, role="reviewer")
    assert client_for(reviewer).get(base).status_code == 200
    assert client_for(reviewer).post(f"{base}{sid}/run").status_code == 403
    assert api.delete(f"{base}{sid}").status_code == 204
    assert api.get(base).json() == []


def test_admin_creates_through_the_service(project, users, target, client):
    admin = factories.make_user("admin", is_superuser=True, is_staff=True)
    client.force_login(admin)
    form = {
        "project": project.pk,
        "title": "nightly",
        "format": "JSON",
        "options": "{}",
        "cron": "",
        "interval_hours": "24",
        "target": "local",
        "local_path": "admin",
        "s3_bucket": "",
        "s3_prefix": "",
        "s3_endpoint": "",
        "s3_region": "",
        "aws_access_key_id": "",
        "aws_secret_access_key": "",
        "enabled": "on",
    }
    response = client.post("/admin/tasks/exportschedule/add/", form)
    assert response.status_code == 302, response.content[:2000]
    schedule = ExportSchedule.objects.get()
    assert schedule.periodic_task is not None and schedule.periodic_task.interval.every == 24 * 3600
    response = client.post("/admin/tasks/exportschedule/add/", {**form, "local_path": "/etc"})
    assert response.status_code == 200 and b"local_path must be under" in response.content


def test_deleting_the_project_leaves_no_beat_entry_or_files(
    project, users, target, settings, django_capture_on_commit_callbacks
):
    schedule = make(project, users)
    with django_capture_on_commit_callbacks(execute=True):
        job = schedules.schedule_tick(schedule.pk)
    job.refresh_from_db()
    folder = services.export_dir(project.pk)
    assert any(folder.iterdir())
    task_id, schedule_id = schedule.periodic_task_id, schedule.pk
    project.delete()
    assert schedules.schedule_tick(schedule_id) is None  # beat's next tick cleans up its entry
    assert not PeriodicTask.objects.filter(pk=task_id).exists()
    services.exports_expire()
    assert folder.exists()  # a folder touched within the hour may belong to a project being created
    services.exports_expire(now=timezone.now() + timedelta(hours=2))
    assert not folder.exists()
