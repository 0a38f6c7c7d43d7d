"""The job lifecycle: a job's outcome is recorded on its row, failures leave no partial data."""

import pytest
from django.db import transaction

from labelstudio.core.jobs import JobError, job_cancel, job_run
from labelstudio.core.models import Job
from tasks.models import Task
from tests.factories import make_task


def _job(project):
    return Job.objects.create(kind=Job.Kind.IMPORT, project=project)


@pytest.mark.django_db
def test_success_records_result_and_progress(project):
    job = _job(project)

    def work(job, progress):
        progress.report(5, 10)
        progress.report(10, 10, force=True)
        return {"task_count": 10, "result_file": "exports/x.json"}

    job_run(job.pk, work)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert (job.progress_done, job.progress_total) == (10, 10)
    assert job.result == {"task_count": 10}
    assert job.result_file == "exports/x.json"
    assert job.started_at and job.finished_at and job.attempts == 1


@pytest.mark.django_db
def test_failure_rolls_back_the_work_and_says_why(project):
    job = _job(project)

    def work(job, progress):
        with transaction.atomic():
            make_task(project)
            raise JobError("row 3 of tasks.json: missing key 'text'", errors=[{"row": 3, "key": "text"}])

    job_run(job.pk, work)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == "row 3 of tasks.json: missing key 'text'"
    assert job.errors == [{"row": 3, "key": "text"}]
    assert not Task.objects.filter(project=project).exists()


@pytest.mark.django_db
def test_crash_is_a_failed_job_not_a_lost_one(project):
    job = _job(project)
    job_run(job.pk, lambda job, progress: 1 / 0)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "ZeroDivisionError" in job.error


@pytest.mark.django_db
def test_cancel_stops_a_running_job_at_its_next_report(project):
    job = _job(project)
    seen = []

    def work(job, progress):
        job_cancel(job=Job.objects.get(pk=job.pk))
        for i in range(100):
            seen.append(i)
            progress.report(i, 100, force=True)
        return {}

    job_run(job.pk, work)
    job.refresh_from_db()
    assert job.status == Job.Status.CANCELLED
    assert seen == [0]


@pytest.mark.django_db
def test_finished_job_is_not_run_again(project):
    job = _job(project)
    job_run(job.pk, lambda job, progress: {"n": 1})
    calls = []
    job_run(job.pk, lambda job, progress: calls.append(1))
    assert calls == []


@pytest.mark.django_db
def test_jobs_api_shows_only_members_jobs(project, api, annotator):
    from tests.conftest import client_for

    job = _job(project)
    assert api.get(f"/api/jobs/{job.pk}").json()["status"] == "queued"
    assert client_for(annotator).get(f"/api/jobs/{job.pk}").status_code == 404
