"""Celery tasks of the tasks app: thin — load the job row, call the service, record the outcome."""

from celery import shared_task

from labelstudio.core.jobs import job_run


@shared_task(name="tasks.run_import", acks_late=True)
def run_import(job_id: int) -> dict:
    from .importers.services import import_run

    return job_run(job_id, import_run)


@shared_task(name="tasks.run_export", acks_late=True)
def run_export(job_id: int) -> dict:
    from .exporters.services import export_run

    return job_run(job_id, export_run)


# --- export schedules and file expiry (tasks/exporters/schedules.py, services.py) ---------------
@shared_task(name="tasks.run_export_schedule")
def run_export_schedule(schedule_id: int) -> dict:
    """Beat's tick for one schedule: queue a run (it is a job in the history)."""
    from .exporters.schedules import schedule_tick

    job = schedule_tick(schedule_id)
    return {"job": job.pk if job else None}


@shared_task(name="tasks.run_scheduled_export", acks_late=True)
def run_scheduled_export(job_id: int) -> dict:
    from .exporters.schedules import scheduled_export_retry, scheduled_export_run

    result = job_run(job_id, scheduled_export_run)
    scheduled_export_retry(job_id, run_scheduled_export)
    return result


@shared_task(name="tasks.expire_exports")
def expire_exports() -> dict:
    from .exporters.services import exports_expire

    return {"expired": exports_expire()}


# --- text-search index (tasks/search_index.py) ------------------------------------------------
@shared_task(name="tasks.search_index", bind=True, max_retries=20)
def search_index(self, project_id: int) -> dict:
    """Index a project's new tasks; retried while imports still hold tasks_task open."""
    from .search_index import index_project

    done = index_project(project_id)
    if done is None and self.request.retries < self.max_retries:
        raise self.retry(countdown=min(2**self.request.retries, 60))
    return {"indexed": done}
