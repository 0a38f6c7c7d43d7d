"""Shared by the converter-parity tests: the task selections, our export and Label Studio's
converter run on our JSON export of the same selection."""

from __future__ import annotations

import math
from datetime import timedelta

from django.conf import settings
from label_studio_sdk.converter import Converter

from .conftest import FIXED, run_export

BRUSH_CONFIG = """<View>
  <Image name="img" value="$image"/>
  <BrushLabels name="paint" toName="img"><Label value="Sky"/><Label value="Tree"/></BrushLabels>
</View>"""

AUDIO_CONFIG = """<View><Audio name="audio" value="$audio"/><TextArea name="transcript" toName="audio"/></View>"""

SELECTIONS = {"all tasks": {}, "only labeled": {"download_all_tasks": False}}
# also for the text formats: Label Studio's snapshot filter object, and users expanded to emails
TEXT_SELECTIONS = {
    **SELECTIONS,
    "usual only": {"annotation_filter_options": {"usual": True}},
    "users expanded": {"serialization_options": {"annotations__completed_by": {"only_id": False}}},
}
ROWS = {"all tasks": 5, "only labeled": 4, "usual only": 5, "users expanded": 5}


def spread_times(project):
    """Completion times out of id order, so 'newest first' is tested (not only ties)."""
    from annotators.models import Completion

    for i, c in enumerate(Completion.objects.filter(project=project).order_by("pk")):
        Completion.objects.filter(pk=c.pk).update(created_at=FIXED + timedelta(seconds=(i * 7) % 5))


def ours(project, fmt, selection) -> dict[str, bytes]:
    return run_export(project, fmt, **TEXT_SELECTIONS[selection])


def theirs(project, fmt, selection, tmp_path) -> dict[str, bytes]:
    """Label Studio's converter on our JSON export (the same selection); {relative path: bytes}."""
    work = tmp_path / f"{fmt}-{selection.replace(' ', '_')}"
    work.mkdir()
    source = work / "export.json"
    source.write_bytes(ours(project, "JSON", selection)["result.json"])
    out = work / "out"
    out.mkdir()  # the brush converter does not make it
    Converter(project.label_config, project_dir=str(settings.MEDIA_ROOT), download_resources=False).convert(
        str(source), str(out), fmt, is_dir=False
    )
    return {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def close(a, b, tol=1e-4) -> bool:
    return len(a) == len(b) and all(math.isclose(x, y, abs_tol=tol) for x, y in zip(a, b, strict=True))
