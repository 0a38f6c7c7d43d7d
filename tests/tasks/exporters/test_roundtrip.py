"""Round trip: export JSON, import the file into a new project, export again: the same tasks,
completions and predictions (modulo ids and timestamps, which an import assigns anew)."""

import json
from pathlib import Path

import pytest

from tasks.importers.services import import_job_create
from tests import factories

from .cases import IMAGE_CONFIG, TEXT_CONFIG, image_tasks, text_tasks
from .conftest import build, run_export

pytestmark = pytest.mark.django_db

ASSIGNED = {"id", "task", "project", "created_at", "updated_at"}


def strip(tasks: list[dict]) -> list[dict]:
    def clean(obj: dict) -> dict:
        return {k: v for k, v in obj.items() if k not in ASSIGNED}

    return [
        {
            **clean(t),
            "annotations": [clean(a) for a in t["annotations"]],
            "predictions": [clean(p) for p in t["predictions"]],
        }
        for t in tasks
    ]


@pytest.mark.parametrize("case", ["text", "image"])
def test_export_import_export(case, media, tmp_path, django_capture_on_commit_callbacks):
    users = {"alice": factories.make_user("alice"), "bob": factories.make_user("bob")}
    config, make = {"text": (TEXT_CONFIG, text_tasks), "image": (IMAGE_CONFIG, image_tasks)}[case]
    source = build(config, make(media), users)
    first = run_export(source, "JSON", include_cancelled=True)["result.json"]
    path = tmp_path / "export.json"
    path.write_bytes(first)

    target = factories.make_project(created_by=users["alice"], label_config=config, title="copy")
    with django_capture_on_commit_callbacks(execute=True):
        job = import_job_create(project=target, created_by=users["alice"], files=[Path(path)])
    job.refresh_from_db()
    assert job.status == "succeeded", (job.error, job.errors)

    again = json.loads(run_export(target, "JSON", include_cancelled=True)["result.json"])
    original = json.loads(first)
    assert len(again) == len(original) == source.tasks.count()
    assert strip(again) == strip(original)
    assert any(a["was_cancelled"] for t in again for a in t["annotations"])
    assert any(a["ground_truth"] for t in again for a in t["annotations"]) == (case == "text")
    assert any(t["predictions"] for t in again) == (case == "text")
