"""Helpers for import tests: run an import the way the API does (job enqueued on commit, run by
the eager Celery task) and take a snapshot of a project to show it is unchanged."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from labelstudio.core.models import Job
from tasks.importers.services import import_job_create


def upload(name: str, content: bytes | str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content.encode() if isinstance(content, str) else content)


def json_file(name: str, payload) -> SimpleUploadedFile:
    return upload(name, json.dumps(payload))


def zip_bytes(members: dict[str, bytes | str]) -> bytes:
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in members.items():
            zf.writestr(name, content)
    return buf.getvalue()


def tar_gz_bytes(members: dict[str, bytes | str]) -> bytes:
    import tarfile

    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        for name, content in members.items():
            data = content.encode() if isinstance(content, str) else content
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def snapshot(project) -> dict:
    """What an import may change in a project."""
    return {
        "tasks": sorted(project.tasks.values_list("id", flat=True)),
        "completions": project.completions.count(),
        "predictions": project.predictions.count(),
    }


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    """Each test stores uploads in its own data directory."""
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.fixture
def run_import(django_capture_on_commit_callbacks, manager):
    """Create an import job as the API does and let the (eager) worker run it; returns the job."""

    def run(project, *, user=None, **kwargs) -> Job:
        with django_capture_on_commit_callbacks(execute=True):
            job = import_job_create(project=project, created_by=user or manager, **kwargs)
        job.refresh_from_db()
        return job

    return run
