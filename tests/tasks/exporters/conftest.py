"""Helpers for export tests: build projects with completions and predictions (fixed timestamps, so
files are reproducible), run an export through the service, read the file back."""

from __future__ import annotations

import io
import json
import os
import wave
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.conf import settings

from tests import factories

FIXED = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
GOLDEN = Path(__file__).resolve().parents[2] / "data" / "exports"


@pytest.fixture
def media(settings, tmp_path) -> Path:
    """A fresh MEDIA_ROOT for the test's images and audio."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def image_file(
    media: Path, name: str, size: tuple[int, int], exif_orientation: int | None = None, folder: str = "1"
) -> str:
    """A PNG/JPEG under media/upload/<folder>/, returned as its /data/ URL."""
    from PIL import Image

    path = media / "upload" / folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", size, (200, 100, 50))
    if exif_orientation:
        exif = Image.Exif()
        exif[0x0112] = exif_orientation
        image.save(path, exif=exif)
    else:
        image.save(path)
    return f"{settings.MEDIA_URL}upload/{folder}/{name}"


def wav_file(media: Path, name: str, seconds: float, rate: int = 8000) -> str:
    path = media / "upload" / "1" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(2)
        f.setframerate(rate)
        f.writeframes(b"\x00\x00" * int(rate * seconds))
    return f"{settings.MEDIA_URL}upload/1/{name}"


def build(label_config: str, tasks: list[dict], users: dict, title: str = "export test"):
    """A project whose tasks carry ``completions`` ([{by, result, ...}]) and ``predictions``.

    ``users`` maps names used in ``by`` to users. Timestamps are fixed, so files are stable.
    """
    from annotators.models import Completion
    from ml_backends.models import Prediction
    from tasks.models import Task
    from tasks.services import project_counters_refresh

    owner = next(iter(users.values()))
    project = factories.make_project(created_by=owner, label_config=label_config, title=title)
    for spec in tasks:
        task = Task.objects.create(project=project, data=spec["data"], meta=spec.get("meta", {}))
        for c in spec.get("completions", []):
            Completion.objects.create(
                task=task,
                project=project,
                completed_by=users[c["by"]],
                result=c.get("result", []),
                was_cancelled=c.get("cancelled", False),
                ground_truth=c.get("ground_truth", False),
                lead_time=c.get("lead_time"),
                review_status=c.get("review", ""),
            )
        for p in spec.get("predictions", []):
            Prediction.objects.create(
                task=task,
                project=project,
                result=p["result"],
                score=p.get("score"),
                model_version=p.get("model_version", "v1"),
            )
    project_counters_refresh(project)
    Task.objects.filter(project=project).update(created_at=FIXED, updated_at=FIXED)
    Completion.objects.filter(project=project).update(created_at=FIXED, updated_at=FIXED)
    Prediction.objects.filter(project=project).update(created_at=FIXED, updated_at=FIXED)
    return project


def run_export(project, fmt: str, **options) -> dict[str, bytes]:
    """Export through the job service; returns {member name: bytes} (a plain file: its one name)."""
    from labelstudio.core.jobs import Progress, job_create
    from labelstudio.core.models import Job
    from tasks.celery_tasks import run_export as task
    from tasks.exporters.services import export_run

    job = job_create(
        kind=Job.Kind.EXPORT,
        celery_task=task,
        project=project,
        enqueue=False,
        params={"format": fmt, "options": options},
    )
    result = export_run(job, Progress(job.pk))
    path = Path(settings.DATA_DIR) / result["result_file"]
    data = path.read_bytes()
    path.unlink()
    if path.suffix == ".zip":
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return {name: zf.read(name) for name in zf.namelist()}
    return {f"result{path.suffix}": data}


def normalize(name: str, data: bytes) -> bytes:
    """Blank the parts that are the time of the export (COCO/YOLO ``info``)."""
    if name.endswith(".json") and (b'"info"' in data[:200] or b'"info"' in data[-400:]):
        doc = json.loads(data)
        if isinstance(doc, dict) and "info" in doc:
            doc["info"] = {k: ("<now>" if k in ("year", "date_created") else v) for k, v in doc["info"].items()}
            return (json.dumps(doc, indent=1, ensure_ascii=False) + "\n").encode()
    return data


def check_golden(case: str, fmt: str, files: dict[str, bytes]) -> None:
    """Compare with tests/data/exports/<case>/<fmt>/; UPDATE_GOLDEN=1 rewrites them (then read them!)."""
    folder = GOLDEN / case / fmt
    files = {name: normalize(name, data) for name, data in files.items()}
    if os.environ.get("UPDATE_GOLDEN"):
        if folder.exists():
            for old in sorted(folder.rglob("*"), reverse=True):
                old.unlink() if old.is_file() else old.rmdir()
        for name, data in files.items():
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    expected = {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert sorted(files) == sorted(expected), f"{case}/{fmt}: members differ"
    for name, data in files.items():
        if name.endswith(".png"):
            assert _pixels(data) == _pixels(expected[name]), f"{case}/{fmt}/{name} differs"
        else:
            assert data.decode() == expected[name].decode(), f"{case}/{fmt}/{name} differs"


def _pixels(data: bytes):
    from PIL import Image

    with Image.open(io.BytesIO(data)) as img:
        return img.mode, img.size, img.tobytes()
