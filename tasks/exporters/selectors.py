"""Reads for the export API: a project's exports (not their conversions) and schedules."""

from __future__ import annotations

from django.db.models import QuerySet

from labelstudio.core.models import Job
from projects.models import Project

from ..models import ExportSchedule


def export_list(project: Project) -> QuerySet[Job]:
    """The project's export jobs, newest first; conversions are listed under their source."""
    return (
        Job.objects.filter(project=project, kind=Job.Kind.EXPORT)
        .exclude(params__has_key="convert_from")
        .select_related("created_by")
        .order_by("-id")
    )


def export_get(project: Project, export_id: str | int) -> Job | None:
    try:
        return export_list(project).filter(pk=int(export_id)).first()
    except (TypeError, ValueError):
        return None


def schedule_list(project: Project) -> QuerySet[ExportSchedule]:
    return ExportSchedule.objects.filter(project=project).select_related("last_job", "periodic_task").order_by("id")
