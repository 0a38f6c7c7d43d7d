"""Server directories belong to one organization: a local import storage, a local export storage
or an export schedule's target may not lie in, contain or equal a directory another
organization's storage or schedule uses (else one organization's managers could import, serve or
overwrite another's files, the document and export roots being shared by the installation)."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings

from labelstudio.core.exceptions import ApplicationError


def _import_dir(raw: str) -> Path:
    root = Path(settings.LOCAL_FILES_DOCUMENT_ROOT).resolve()
    raw = (raw or "").strip()
    return (root / raw).resolve() if not os.path.isabs(raw) else Path(raw).resolve()


def _export_dir(raw: str) -> Path:
    from tasks.exporters.schedules import local_roots

    raw = (raw or "").strip()
    return (local_roots()[0] / raw).resolve() if not os.path.isabs(raw) else Path(raw).resolve()


def _used_elsewhere(organization_id):
    """Directories of other organizations' local storages and schedule targets."""
    from tasks.models import ExportSchedule, ExportStorage, LocalFilesImportStorage

    others = {"project__organization_id": organization_id}
    for raw in LocalFilesImportStorage.objects.exclude(**others).values_list("path", flat=True):
        yield _import_dir(raw)
    exports = ExportStorage.objects.exclude(**others).filter(storage_type="localfiles")
    for raw in exports.values_list("path", flat=True):
        yield _export_dir(raw)
    for raw in ExportSchedule.objects.exclude(**others).exclude(local_path="").values_list("local_path", flat=True):
        yield _export_dir(raw)


def check_directory_free(project, folder: Path, field: str = "path") -> None:
    for used in _used_elsewhere(project.organization_id):
        if folder == used or folder.is_relative_to(used) or used.is_relative_to(folder):
            raise ApplicationError(f"{field}: this directory is in use by another organization", field=field)
